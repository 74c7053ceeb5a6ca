"""Plan pages: the plan, its editor, submission and approval, revisions, and the phase.

Thin views: every case comes through ``access.policy.case_get_for_user`` (404 outside the user's
scope), every object after it is filtered by that case, every write goes through plans.services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from access import plans as plan_access
from access.policy import Action
from audit.models import AccessLogEntry
from audit.services import access_log_write
from cases.forms import apply_errors
from cases.views import case_view
from core.concurrency import StaleVersion, conflict_shown

from . import selectors, services
from .documents import document_display, plan_goals
from .forms import DecisionForm, PhaseForm, PlanEditor, SubmitForm
from .models import RevisionStatus


def _require_planner(request: HttpRequest, case: Any) -> None:
    # Like the case's other edit pages: someone who may not plan does not get the form (404).
    if not plan_access.may_plan(request.user, case):
        raise Http404


@case_view(Action.VIEW)
def plan_detail(request: HttpRequest, case: Any) -> HttpResponse:
    access_log_write(user=request.user, what=AccessLogEntry.What.CASE_FILE, case_id=case.pk,
                     survivor_id=case.survivor_id, request=request)
    plan = selectors.plan_for_case(case)
    goals = plan_goals(plan)
    can_plan = plan_access.may_plan(request.user, case)
    return render(request, "plans/plan.html", {
        "case": case,
        "plan": plan,
        "plan_status": selectors.plan_status_label(getattr(plan, "current_status", None)),
        "groups": selectors.goals_by_domain(goals),
        "current": selectors.current_revision(plan),
        "phase": services.current_phase(case),
        "can_plan": can_plan,
        "can_approve": plan_access.may_approve(request.user, case),
        "suggestions": selectors.goal_suggestions(case, goals) if can_plan else [],
        "submit_form": SubmitForm(initial={"revision": getattr(plan, "current_number", None)}),
        "RevisionStatus": RevisionStatus,
    })


@case_view(Action.VIEW)
def plan_edit(request: HttpRequest, case: Any) -> HttpResponse:
    _require_planner(request, case)
    plan = selectors.plan_for_case(case)
    goals = plan_goals(plan)
    version = plan.version if plan is not None else 0
    priorities = plan.priorities if plan is not None else ""
    conflict: services.PlanConflict | None = None
    if request.method == "POST":
        editor = PlanEditor(case=case, goals=goals, version=version, priorities=priorities, data=request.POST)
        if editor.is_valid():
            data = editor.to_input()
            try:
                saved = services.plan_save(actor=request.user, case=case,
                                           version=editor.plan_form.cleaned_data["version"], data=data)
            except services.PlanConflict as exc:
                conflict = exc
                # Keep everything typed; base the next save on what is saved now, which the user
                # has just been shown side by side with their own values.
                post = request.POST.copy()
                post["version"] = str(exc.version)
                editor = PlanEditor(case=case, goals=goals, version=version, priorities=priorities, data=post)
                editor.is_valid()
                messages.error(request, _("Someone else saved this plan while you were editing it. Your changes "
                                          "were NOT saved. Compare them below, then save again."))
            except services.NotAllowed as exc:
                messages.error(request, exc.message)
            except ValidationError as exc:
                editor.apply_errors(exc)
                messages.error(request, _("Nothing was saved: please correct the marked fields."))
            else:
                if saved.version == version:
                    messages.info(request, _("Nothing had changed; no new revision."))
                else:
                    messages.success(request, _("Plan saved as revision %(n)s (draft). Submit it for approval when "
                                                "it is ready.") % {"n": saved.version})
                if "continue" in request.POST:
                    return redirect("plans:edit", case_id=case.pk)
                return redirect("plans:plan", case_id=case.pk)
        else:
            messages.error(request, _("Nothing was saved: please correct the marked fields."))
    else:
        editor = PlanEditor(case=case, goals=goals, version=version, priorities=priorities,
                            suggestions=selectors.goal_suggestions(case, goals))
    return render(request, "plans/plan_edit.html", {
        "case": case, "plan": plan, "editor": editor, "conflict": conflict,
    }, status=409 if conflict else 200)


@case_view(Action.VIEW)
def plan_submit(request: HttpRequest, case: Any) -> HttpResponse:
    _require_planner(request, case)
    if request.method == "POST":
        form = SubmitForm(request.POST)
        form.is_valid()
        try:
            revision = services.plan_submit(actor=request.user, case=case,
                                            revision=form.cleaned_data.get("revision"))
        except services.NotAllowed as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Revision %(n)s submitted for approval.") % {"n": revision.number})
    return redirect("plans:plan", case_id=case.pk)


@case_view(Action.VIEW)
def plan_decide(request: HttpRequest, case: Any) -> HttpResponse:
    """Approve or return the submitted revision. Shown to everyone who sees the plan; only a
    supervisor of the lead organisation gets the form, anyone else a clear refusal."""
    plan = selectors.plan_for_case(case)
    current = selectors.current_revision(plan)
    may_approve = plan_access.may_approve(request.user, case)
    form = DecisionForm(request.POST or None, initial={"revision": current.number if current else None})
    if request.method == "POST" and form.is_valid():
        decide = services.plan_return if "return" in request.POST else services.plan_approve
        try:
            revision = decide(actor=request.user, case=case, revision=form.cleaned_data.get("revision"),
                              comment=form.cleaned_data.get("comment") or "")
        except services.NotAllowed as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "comment" in exc.message_dict:
                for message in exc.message_dict["comment"]:
                    form.add_error("comment", message)
            else:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("plans:decide", case_id=case.pk)
        else:
            if revision.status == RevisionStatus.APPROVED:
                messages.success(request, _("Revision %(n)s approved.") % {"n": revision.number})
            else:
                messages.success(request, _("Revision %(n)s returned for changes.") % {"n": revision.number})
            return redirect("plans:plan", case_id=case.pk)
    return render(request, "plans/decide.html", {
        "case": case, "plan": plan, "current": current, "form": form, "may_approve": may_approve,
        "document": document_display(current.snapshot if current else None), "RevisionStatus": RevisionStatus,
    })


@case_view(Action.VIEW)
def revision_list(request: HttpRequest, case: Any) -> HttpResponse:
    plan = selectors.plan_for_case(case)
    return render(request, "plans/revisions.html", {
        "case": case, "plan": plan, "revisions": list(selectors.revisions_for(plan).order_by("-number")),
    })


@case_view(Action.VIEW)
def revision_detail(request: HttpRequest, case: Any, revision_id: Any) -> HttpResponse:
    revision = selectors.revision_get(case, revision_id)
    access_log_write(user=request.user, what=AccessLogEntry.What.CASE_FILE, case_id=case.pk,
                     survivor_id=case.survivor_id, request=request)
    return render(request, "plans/revision.html", {
        "case": case, "revision": revision, "document": document_display(revision.snapshot),
    })


@case_view(Action.VIEW)
def phase_edit(request: HttpRequest, case: Any) -> HttpResponse:
    _require_planner(request, case)
    form = PhaseForm(request.POST or None, initial={"version": services.phase_version(case)})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_change(actor=request.user, case=case, phase=form.cleaned_data["phase"],
                                  reason=form.cleaned_data["reason"], version=form.cleaned_data["version"])
        except StaleVersion as exc:
            conflict = conflict_shown(request, form, exc)
        except services.NotAllowed as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Phase recorded."))
            return redirect("plans:plan", case_id=case.pk)
    return render(request, "plans/phase.html", {
        "case": case, "form": form, "history": selectors.phase_history(case), "conflict": conflict,
    }, status=409 if conflict else 200)
