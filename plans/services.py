"""Every write to the phase and the rehabilitation plan.

Each function checks who may act, validates all of its input (collecting every error), then writes
in one ``transaction.atomic()`` together with the change history (``history_record``). Nothing is
half-saved: an error anywhere leaves the plan exactly as it was.

Who plans (``access.plans.may_plan``): the case team's caseworkers and psychologists, and the lead organisation's
supervisors; that is ``access.policy.can(user, EDIT, case)`` plus psychologists on the team, who
share the trauma-informed decisions (phase, mental-wellbeing goals) with the caseworker.
Who approves: a supervisor of the lead organisation (``access.plans.may_approve``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access import plans as plan_access
from accounts.models import Organisation, User
from audit.models import ChangeRecord
from audit.services import history_record, snapshot
from cases.models import Case, CaseStatus
from core import clock
from core.choices import Domain
from core.concurrency import StaleVersion, version_check
from core.validation import Errors

from .documents import content_of, plan_differences, plan_document, plan_goals
from .models import (
    Action,
    ActionStatus,
    Goal,
    GoalStatus,
    Phase,
    PhaseChange,
    Plan,
    PlanRevision,
    RevisionStatus,
)

# --- who may do what ---------------------------------------------------------------------------


class NotAllowed(PermissionDenied):
    """The user may see the case but not do this (a caseworker approving a plan). The message is
    meant for the user; pages show it, the API answers 403 with it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _require_planner(actor: Any, case: Case) -> None:
    if not plan_access.may_plan(actor, case):
        raise NotAllowed(_("Only the case team's caseworkers and psychologists, and supervisors, can change the plan "
                           "or the phase."))
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("A closed case cannot be changed; reopen it first."))


# --- phase -------------------------------------------------------------------------------------


def current_phase(case: Case) -> PhaseChange | None:
    return PhaseChange.objects.filter(case=case).select_related("changed_by").order_by("-changed_at", "-id").first()


def phase_version(case: Case) -> int:
    """The phase's version: how many changes of phase are recorded (0 before the first)."""
    return PhaseChange.objects.filter(case=case).count()


def phase_change(*, actor: Any, case: Case, phase: str, reason: str, version: int | None = None) -> PhaseChange:
    """Record the case team's decision that the case is now in ``phase``, with the reason.

    ``version``: the ``phase_version`` the decision was made on; raises ``StaleVersion`` (nothing
    recorded) when someone recorded another change of phase since (``core.concurrency``).
    """
    _require_planner(actor, case)
    e = Errors()
    if phase not in Phase.values:
        e.add("phase", _("Choose a phase from the list."))
    if not (reason or "").strip():
        e.add("reason", _("Record the reason for this change of phase."))
    e.raise_if_any()
    with transaction.atomic():
        # Lock the case so two simultaneous decisions are recorded one after the other.
        Case.objects.select_for_update().filter(pk=case.pk).first()
        latest = current_phase(case)
        version_check(latest, version, current_version=phase_version(case),
                      submitted={"phase": phase, "reason": (reason or "").strip()},
                      current={"phase": latest.phase if latest else "", "reason": latest.reason if latest else ""})
        if latest is not None and latest.phase == phase:
            raise ValidationError({"phase": [_("The case is already in this phase.")]})
        change = PhaseChange.objects.create(
            case=case, phase=phase, reason=reason.strip(), changed_by=actor, changed_at=clock.now()
        )
        history_record(actor=actor, instance=change, action=ChangeRecord.Action.CREATE, case_id=case.pk)
    return change


# --- plan content --------------------------------------------------------------------------------


@dataclass
class ActionInput:
    description: str = ""
    responsible_organisation_id: int | None = None
    responsible_user_id: int | None = None
    responsible_name: str = ""
    target_date: dt.date | None = None
    status: str = ActionStatus.OPEN
    id: int | None = None


@dataclass
class GoalInput:
    domain: str = ""
    description: str = ""
    status: str = GoalStatus.OPEN
    actions: list[ActionInput] = field(default_factory=list)
    id: int | None = None


@dataclass
class PlanInput:
    """The whole plan as submitted. Goals and actions with an id change those; without an id they
    are new. Goals and actions left out stay as they are: nothing is deleted (drop or cancel)."""

    priorities: str = ""
    goals: list[GoalInput] = field(default_factory=list)


class PlanConflict(StaleVersion):
    """Someone else saved the plan after the version this save was based on. Nothing was saved.

    ``current`` is the plan as saved now, ``submitted`` what this save carried, ``differences`` a
    per-field comparison of the two for the user to read.
    """

    def __init__(self, *, plan: Plan, current: dict[str, Any], submitted: dict[str, Any],
                 revision: PlanRevision | None) -> None:
        super().__init__(current_version=plan.version, current=current, submitted=submitted)
        self.plan = plan
        self.version = plan.version
        self.current = current
        self.submitted = submitted
        self.revision = revision
        self.differences = plan_differences(current, submitted)


def _int_or_none(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # never a real id: reported as unknown


def _submitted_document(data: PlanInput, orgs: dict[int, Organisation], users: dict[int, User]) -> dict[str, Any]:
    def action_doc(a: ActionInput) -> dict[str, Any]:
        org_id, user_id = _int_or_none(a.responsible_organisation_id), _int_or_none(a.responsible_user_id)
        org = orgs.get(org_id) if org_id is not None else None
        user = users.get(user_id) if user_id is not None else None
        return {
            "id": a.id,
            "description": (a.description or "").strip(),
            "responsible_organisation_id": org_id,
            "responsible_organisation_name": org.name if org else "",
            "responsible_user_id": user_id,
            "responsible_user_name": user.display_name if user else "",
            "responsible_name": (a.responsible_name or "").strip(),
            "target_date": a.target_date.isoformat() if a.target_date else None,
            "status": a.status or ActionStatus.OPEN,
        }

    return {
        "priorities": (data.priorities or "").strip(),
        "goals": [
            {"id": g.id, "domain": g.domain or "", "description": (g.description or "").strip(),
             "status": g.status or GoalStatus.OPEN, "actions": [action_doc(a) for a in g.actions]}
            for g in data.goals
        ],
    }


def _validate(e: Errors, data: PlanInput, goals: dict[int, Goal], orgs: dict[int, Organisation],
              users: dict[int, User], today: dt.date) -> None:
    seen_goals: set[int] = set()
    seen_actions: set[int] = set()
    for i, g in enumerate(data.goals):
        key = f"goals.{i}"
        existing = goals.get(g.id) if g.id is not None else None
        if g.id is not None:
            if existing is None:
                e.add(f"{key}.id", _("This goal is not part of this plan."))
            elif g.id in seen_goals:
                e.add(f"{key}.id", _("This goal appears twice."))
            seen_goals.add(g.id)
        if not g.domain:
            e.add(f"{key}.domain", _("Choose the recovery domain this goal belongs to."))
        elif g.domain not in Domain.values:
            e.add(f"{key}.domain", _("Choose a recovery domain from the list."))
        if not (g.description or "").strip():
            e.add(f"{key}.description", _("Describe the goal."))
        if (g.status or GoalStatus.OPEN) not in GoalStatus.values:
            e.add(f"{key}.status", _("Choose a status from the list."))
        existing_actions = {a.pk: a for a in existing.actions.all()} if existing is not None else {}
        for j, a in enumerate(g.actions):
            kept = existing_actions.get(a.id) if a.id is not None else None
            akey = f"{key}.actions.{j}"
            if a.id is not None:
                if a.id not in existing_actions:
                    e.add(f"{akey}.id", _("This action is not part of this goal."))
                elif a.id in seen_actions:
                    e.add(f"{akey}.id", _("This action appears twice."))
                seen_actions.add(a.id)
            if not (a.description or "").strip():
                e.add(f"{akey}.description", _("Describe the action."))
            org_id = _int_or_none(a.responsible_organisation_id)
            if org_id is None:
                e.add(f"{akey}.responsible_organisation", _("Choose the organisation responsible for this action."))
            # An organisation or person no longer active may stay on an existing action (the record
            # stays true); a new or reassigned action needs an active one.
            elif org_id not in orgs or not (
                orgs[org_id].is_active or (kept is not None and kept.responsible_organisation_id == org_id)
            ):
                e.add(f"{akey}.responsible_organisation",
                      _("This organisation does not exist or is no longer active."))
            user_id = _int_or_none(a.responsible_user_id)
            if user_id is not None:
                user = users.get(user_id)
                if user is None or not (
                    user.is_active or (kept is not None and kept.responsible_user_id == user_id)
                ):
                    e.add(f"{akey}.responsible_user", _("This person does not exist or is no longer active."))
                elif org_id is not None and user.organisation_id != org_id:
                    e.add(f"{akey}.responsible_user",
                          _("The responsible person must work at the responsible organisation."))
            if (a.status or ActionStatus.OPEN) not in ActionStatus.values:
                e.add(f"{akey}.status", _("Choose a status from the list."))
            # A new action is planned ahead. An existing one may keep (or be corrected to) a past date:
            # an overdue action must stay recordable, and editing the plan must not force rewriting it.
            if a.id is None and a.target_date is not None and a.target_date < today:
                e.add(f"{akey}.target_date", _("A new action's target date cannot be in the past."))


def plan_save(*, actor: Any, case: Case, version: int | None, data: PlanInput) -> Plan:
    """Save the plan as submitted, based on ``version`` (the plan's version when the form was opened).

    Raises ``PlanConflict`` when the plan was saved by someone else since, ``ValidationError``
    (field path -> messages, e.g. ``goals.0.actions.1.target_date``) for bad input, ``NotAllowed``
    for someone who may not plan. A save that changes something makes a new draft revision (an
    approved plan that is edited needs approval again); a save that changes nothing makes none.
    """
    _require_planner(actor, case)
    with transaction.atomic():
        plan, _created = Plan.objects.get_or_create(case=case)
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        goals_list = plan_goals(plan)
        goals = {g.pk: g for g in goals_list}
        org_ids = {i for a in _all_actions(data) if (i := _int_or_none(a.responsible_organisation_id))}
        user_ids = {i for a in _all_actions(data) if (i := _int_or_none(a.responsible_user_id))}
        orgs = {o.pk: o for o in Organisation.objects.filter(pk__in=org_ids)}
        users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
        submitted = _submitted_document(data, orgs, users)
        if version is None or int(version) != plan.version:
            current = plan_document(plan, goals_list)
            revision = plan.revisions.select_related("author").order_by("-number").first()
            raise PlanConflict(plan=plan, current=current, submitted=submitted, revision=revision)

        e = Errors()
        _validate(e, data, goals, orgs, users, clock.today())
        e.raise_if_any()

        before_doc = plan_document(plan, goals_list)
        if _same_content(before_doc, submitted):
            return plan

        for g_input, g_doc in zip(data.goals, submitted["goals"], strict=True):
            goal = goals.get(g_input.id) if g_input.id is not None else None
            if goal is None:
                goal = Goal.objects.create(plan=plan, domain=g_doc["domain"], description=g_doc["description"],
                                           status=g_doc["status"])
                history_record(actor=actor, instance=goal, action=ChangeRecord.Action.CREATE, case_id=case.pk)
                existing_actions: dict[int, Action] = {}
            else:
                before = snapshot(goal)
                goal.domain, goal.description, goal.status = g_doc["domain"], g_doc["description"], g_doc["status"]
                if snapshot(goal) != before:
                    goal.save(update_fields=["domain", "description", "status"])
                    history_record(actor=actor, instance=goal, action=ChangeRecord.Action.UPDATE, before=before,
                                   case_id=case.pk)
                existing_actions = {a.pk: a for a in goal.actions.all()}
            for a_doc in g_doc["actions"]:
                values = {
                    "description": a_doc["description"],
                    "responsible_organisation_id": a_doc["responsible_organisation_id"],
                    "responsible_user_id": a_doc["responsible_user_id"],
                    "responsible_name": a_doc["responsible_name"],
                    "target_date": dt.date.fromisoformat(a_doc["target_date"]) if a_doc["target_date"] else None,
                    "status": a_doc["status"],
                }
                action = existing_actions.get(a_doc["id"]) if a_doc["id"] is not None else None
                if action is None:
                    action = Action.objects.create(goal=goal, **values)
                    history_record(actor=actor, instance=action, action=ChangeRecord.Action.CREATE, case_id=case.pk)
                    continue
                before = snapshot(action)
                for name, value in values.items():
                    setattr(action, name, value)
                if snapshot(action) != before:
                    action.save(update_fields=list(values.keys()))
                    history_record(actor=actor, instance=action, action=ChangeRecord.Action.UPDATE, before=before,
                                   case_id=case.pk)

        plan_before = snapshot(plan)
        plan.priorities = submitted["priorities"]
        plan.version += 1
        plan.save(update_fields=["priorities", "version", "updated_at"])
        history_record(actor=actor, instance=plan, action=ChangeRecord.Action.UPDATE, before=plan_before,
                       case_id=case.pk)
        # Draft or submitted revisions not yet decided are replaced by this one; approved and
        # returned ones keep their decision (the last approved plan stays viewable).
        PlanRevision.objects.filter(
            plan=plan, status__in=[RevisionStatus.DRAFT, RevisionStatus.SUBMITTED]
        ).update(status=RevisionStatus.SUPERSEDED)
        revision = PlanRevision.objects.create(
            plan=plan, number=plan.version, snapshot=plan_document(plan), author=actor, created_at=clock.now(),
            status=RevisionStatus.DRAFT,
        )
        history_record(actor=actor, instance=revision, action=ChangeRecord.Action.CREATE, case_id=case.pk)
    return plan


def _all_actions(data: PlanInput) -> list[ActionInput]:
    return [a for g in data.goals for a in g.actions]


def _same_content(before: dict[str, Any], submitted: dict[str, Any]) -> bool:
    """Whether the submission changes nothing. Goals and actions it leaves out stay as they are,
    so only what it names is compared."""
    before_c, sub_c = content_of(before), content_of(submitted)
    if before_c["priorities"] != sub_c["priorities"]:
        return False
    saved = {g["id"]: g for g in before_c["goals"]}
    for g in sub_c["goals"]:
        old = saved.get(g["id"]) if g["id"] is not None else None
        if old is None:
            return False
        if any(old[f] != g[f] for f in ("domain", "description", "status")):
            return False
        old_actions = {a["id"]: a for a in old["actions"]}
        for a in g["actions"]:
            if a["id"] is None or old_actions.get(a["id"]) != a:
                return False
    return True


# --- approval ------------------------------------------------------------------------------------


def _latest_revision_locked(case: Case) -> tuple[Plan, PlanRevision]:
    plan = Plan.objects.select_for_update().filter(case=case).first()
    revision = plan.revisions.order_by("-number").first() if plan is not None else None
    if plan is None or revision is None:
        raise ValidationError(_("There is no plan yet: save the plan first."))
    return plan, revision


def _check_revision(revision: PlanRevision, number: int | None) -> None:
    if number is None or int(number) != revision.number:
        raise ValidationError({"revision": [
            _("The plan has changed since you opened it: revision %(n)s is now current. Look at it again first.")
            % {"n": revision.number}]})


def plan_submit(*, actor: Any, case: Case, revision: int | None) -> PlanRevision:
    """Submit the current revision (the one the user saw: ``revision``) for a supervisor's approval."""
    _require_planner(actor, case)
    with transaction.atomic():
        _plan, current = _latest_revision_locked(case)
        _check_revision(current, revision)
        if current.status not in (RevisionStatus.DRAFT, RevisionStatus.RETURNED):
            raise ValidationError({"revision": [
                _("This revision is already %(status)s.") % {"status": current.get_status_display()}]})
        before = snapshot(current)
        current.status = RevisionStatus.SUBMITTED
        current.submitted_by = actor
        current.submitted_at = clock.now()
        current.save(update_fields=["status", "submitted_by", "submitted_at"])
        history_record(actor=actor, instance=current, action=ChangeRecord.Action.UPDATE, before=before,
                       case_id=case.pk)
    return current


def _decide(*, actor: Any, case: Case, revision: int | None, approve: bool, comment: str) -> PlanRevision:
    if not plan_access.may_approve(actor, case):
        raise NotAllowed(_("Only a supervisor of the lead organisation can approve or return a plan."))
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("A closed case cannot be changed; reopen it first."))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": [_("Say what should change before the plan is submitted again.")]})
    with transaction.atomic():
        _plan, current = _latest_revision_locked(case)
        _check_revision(current, revision)
        if current.status != RevisionStatus.SUBMITTED:
            raise ValidationError({"revision": [_("This revision has not been submitted for approval.")]})
        before = snapshot(current)
        current.status = RevisionStatus.APPROVED if approve else RevisionStatus.RETURNED
        current.decided_by = actor
        current.decided_at = clock.now()
        current.decision_comment = comment
        current.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
        history_record(actor=actor, instance=current, action=ChangeRecord.Action.UPDATE, before=before,
                       case_id=case.pk)
    return current


def plan_approve(*, actor: Any, case: Case, revision: int | None, comment: str = "") -> PlanRevision:
    """Approve the submitted revision number ``revision`` (supervisors of the lead organisation)."""
    return _decide(actor=actor, case=case, revision=revision, approve=True, comment=comment)


def plan_return(*, actor: Any, case: Case, revision: int | None, comment: str) -> PlanRevision:
    """Return the submitted revision for changes, with a required comment."""
    return _decide(actor=actor, case=case, revision=revision, approve=False, comment=comment)
