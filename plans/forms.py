"""Forms for the plan pages. They parse input (types, dates); the rules live in plans.services,
whose errors are put back on the matching goal or action form.

The plan editor is one page without JavaScript: every goal is a fieldset (prefix ``g<i>``) with its
actions (prefix ``g<i>-a<j>``), one blank action under each goal and one blank goal at the end.
Suggested goals (low domain scores) come as extra goal forms the user ticks to add.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from access import policy
from accounts.models import Organisation, User
from core.choices import Domain
from core.concurrency import VersionedForm

from .models import ActionStatus, Goal, GoalStatus, Phase
from .services import ActionInput, GoalInput, PlanInput

MAX_GOALS = 100
MAX_ACTIONS = 50


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _count(data: Any, name: str, limit: int) -> int:
    try:
        return max(0, min(int(data.get(name, 0)), limit))
    except (TypeError, ValueError):
        return 0


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    priorities = forms.CharField(
        label=_("The survivor's own priorities"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In the survivor's own words: what matters most to them now."),
    )


class GoalForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    suggested = forms.BooleanField(widget=forms.HiddenInput, required=False)
    include = forms.BooleanField(label=_("Add this suggested goal to the plan"), required=False)
    domain = forms.ChoiceField(label=_("Recovery domain"), required=False,
                               choices=[("", "—"), *Domain.choices])
    description = forms.CharField(label=_("Goal"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices, initial=GoalStatus.OPEN)

    def is_blank_new(self) -> bool:
        d = self.cleaned_data
        return not d.get("id") and not d.get("domain") and not (d.get("description") or "").strip()


class ActionForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    description = forms.CharField(label=_("Action"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    responsible_organisation = forms.ChoiceField(label=_("Responsible organisation"), required=False)
    responsible_user = forms.ChoiceField(label=_("Responsible person (Sintas user)"), required=False)
    responsible_name = forms.CharField(
        label=_("Responsible person (name)"), required=False, max_length=200,
        help_text=_("For someone without a Sintas account, for example at a partner organisation."),
    )
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices, initial=ActionStatus.OPEN)

    def __init__(self, *args: Any, org_choices: list[tuple[Any, str]], user_choices: list[tuple[Any, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_organisation"].choices = [("", "—"), *org_choices]  # type: ignore[attr-defined]
        self.fields["responsible_user"].choices = [("", "—"), *user_choices]  # type: ignore[attr-defined]

    def is_blank_new(self) -> bool:
        d = self.cleaned_data
        return not d.get("id") and not any(
            (d.get(f) or "") for f in ("description", "responsible_user", "responsible_name", "target_date")
        )


class GoalBlock:
    """A goal form with its action forms (what the template loops over)."""

    def __init__(self, form: GoalForm, actions: list[ActionForm], *, goal: Goal | None = None,
                 suggestion: Any = None) -> None:
        self.form = form
        self.actions = actions
        self.goal = goal
        self.suggestion = suggestion

    @property
    def is_new(self) -> bool:
        return not self.form["id"].value()

    @property
    def domain_label(self) -> str:
        return str(dict(Domain.choices).get(self.form["domain"].value() or "", ""))

    @property
    def description(self) -> str:
        return str(self.form["description"].value() or "")

    @property
    def has_errors(self) -> bool:
        return bool(self.form.errors) or any(a.errors for a in self.actions)


class PlanEditor:
    """All the forms of the plan edit page, built from the saved plan (GET) or the POST."""

    def __init__(self, *, case: Any, goals: list[Goal], version: int, priorities: str,
                 suggestions: list[Any] | None = None, data: Any = None) -> None:
        self.case = case
        referenced_orgs = {a.responsible_organisation_id for g in goals for a in g.actions.all()}
        orgs = Organisation.objects.filter(is_active=True) | Organisation.objects.filter(pk__in=referenced_orgs)
        self.org_choices = [(o.pk, o.name if o.is_active else f"{o.name} ({_('inactive')})")
                            for o in orgs.distinct().order_by("name")]
        referenced_users = {a.responsible_user_id for g in goals for a in g.actions.all() if a.responsible_user_id}
        colleagues = list(policy.team_candidates(case))
        others = User.objects.filter(pk__in=referenced_users - {u.pk for u in colleagues}).select_related(
            "organisation")
        self.user_choices = [(u.pk, u.display_name) for u in colleagues] + [
            (u.pk, f"{u.display_name} ({u.organisation.name if u.organisation else ''})") for u in others
        ]
        self.bound = data is not None
        if data is not None:
            self.plan_form = PlanForm(data)
            self.blocks = self._from_data(data)
        else:
            self.plan_form = PlanForm(initial={"version": version, "priorities": priorities})
            self.blocks = self._from_plan(goals, suggestions or [])

    # -- building ---------------------------------------------------------------------------

    def _action_form(self, prefix: str, **kwargs: Any) -> ActionForm:
        return ActionForm(prefix=prefix, org_choices=self.org_choices, user_choices=self.user_choices, **kwargs)

    def _blank_action(self, i: int, j: int) -> ActionForm:
        return self._action_form(f"g{i}-a{j}", initial={"responsible_organisation": self.case.lead_organisation_id,
                                                      "status": ActionStatus.OPEN})

    def _from_plan(self, goals: list[Goal], suggestions: list[Any]) -> list[GoalBlock]:
        blocks = []
        for i, goal in enumerate(goals):
            form = GoalForm(prefix=f"g{i}", initial={"id": goal.pk, "domain": goal.domain,
                                                     "description": goal.description, "status": goal.status})
            actions = [
                self._action_form(f"g{i}-a{j}", initial={
                    "id": a.pk, "description": a.description, "responsible_organisation": a.responsible_organisation_id,
                    "responsible_user": a.responsible_user_id or "", "responsible_name": a.responsible_name,
                    "target_date": a.target_date, "status": a.status,
                })
                for j, a in enumerate(goal.actions.all())
            ]
            actions.append(self._blank_action(i, len(actions)))
            blocks.append(GoalBlock(form, actions, goal=goal))
        for suggestion in suggestions:
            i = len(blocks)
            form = GoalForm(prefix=f"g{i}", initial={"suggested": True, "include": False, "domain": suggestion.domain,
                                                     "description": suggestion.description})
            blocks.append(GoalBlock(form, [self._blank_action(i, 0)], suggestion=suggestion))
        i = len(blocks)
        blocks.append(GoalBlock(GoalForm(prefix=f"g{i}"), [self._blank_action(i, 0)]))
        return blocks

    def _from_data(self, data: Any) -> list[GoalBlock]:
        blocks = []
        for i in range(_count(data, "goal_count", MAX_GOALS)):
            form = GoalForm(data, prefix=f"g{i}")
            actions = [self._action_form(f"g{i}-a{j}", data=data)
                       for j in range(_count(data, f"g{i}-action_count", MAX_ACTIONS))]
            blocks.append(GoalBlock(form, actions))
        return blocks

    # -- reading ------------------------------------------------------------------------------

    def is_valid(self) -> bool:
        valid = self.plan_form.is_valid()
        for block in self.blocks:
            valid = block.form.is_valid() and valid
            for action in block.actions:
                valid = action.is_valid() and valid
        return valid

    def to_input(self) -> PlanInput:
        """The plan input, remembering which form each goal and action came from (for errors)."""
        self._goal_forms: list[GoalBlock] = []
        self._action_forms: list[list[ActionForm]] = []
        goals: list[GoalInput] = []
        for block in self.blocks:
            d = block.form.cleaned_data
            filled = [a for a in block.actions if not a.is_blank_new()]
            if d.get("suggested") and not d.get("id"):
                if not d.get("include"):
                    continue
            elif block.form.is_blank_new() and not filled:
                continue
            goals.append(GoalInput(
                id=d.get("id") or None, domain=d.get("domain") or "", description=d.get("description") or "",
                status=d.get("status") or GoalStatus.OPEN,
                actions=[ActionInput(
                    id=a.cleaned_data.get("id") or None,
                    description=a.cleaned_data.get("description") or "",
                    responsible_organisation_id=_to_int(a.cleaned_data.get("responsible_organisation")),
                    responsible_user_id=_to_int(a.cleaned_data.get("responsible_user")),
                    responsible_name=a.cleaned_data.get("responsible_name") or "",
                    target_date=a.cleaned_data.get("target_date"),
                    status=a.cleaned_data.get("status") or ActionStatus.OPEN,
                ) for a in filled],
            ))
            self._goal_forms.append(block)
            self._action_forms.append(filled)
        return PlanInput(priorities=self.plan_form.cleaned_data.get("priorities") or "", goals=goals)

    def apply_errors(self, exc: ValidationError) -> None:
        """Put the service's errors (``goals.0.actions.1.target_date``) on the forms they belong to."""
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                self.plan_form.add_error(None, message)
            return
        for key, messages in exc.message_dict.items():
            parts = key.split(".")
            form: forms.Form = self.plan_form
            field: str | None = key
            try:
                if parts[0] == "goals" and len(parts) >= 3:
                    block = self._goal_forms[int(parts[1])]
                    form, field = block.form, parts[2]
                    if parts[2] == "actions" and len(parts) >= 5:
                        form, field = self._action_forms[int(parts[1])][int(parts[3])], parts[4]
            except (IndexError, ValueError):
                form, field = self.plan_form, None
            for message in messages:
                form.add_error(field if field in form.fields else None, message)

    @property
    def goal_count(self) -> int:
        return len(self.blocks)


def _to_int(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class PhaseForm(VersionedForm):
    phase = forms.ChoiceField(label=_("Phase"), choices=[("", "—"), *Phase.choices], required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Why the case team decided this, for whoever reads the case file later."))


class SubmitForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DecisionForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Required when you return the plan: say what should change."))
