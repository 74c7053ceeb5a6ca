"""Plan work in the work queue: actions due soon or overdue, and plans awaiting approval."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from access import policy
from cases.models import CaseStatus
from core import clock
from core.workqueue import WorkItem

from .models import Action, ActionStatus, GoalStatus, PlanRevision, RevisionStatus


def due_window_days() -> int:
    """How many days ahead an action counts as due (setting SINTAS_PLAN_ACTION_DUE_DAYS, default 7)."""
    return int(getattr(settings, "SINTAS_PLAN_ACTION_DUE_DAYS", 7))


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def plan_work_for(user: Any, *, scope: str = "mine") -> list[WorkItem]:
    """Two queries whatever the caseload.

    - "mine": open actions due within the window (or overdue) where the user is the responsible
      person or the lead caseworker of the case;
    - "organisation" (supervisors): every such action on the organisation's cases;
    - for supervisors, in both scopes: plans submitted and awaiting approval.
    """
    if not policy.may_work_on_cases(user):
        return []
    visible = policy.cases_visible_to(user).exclude(status=CaseStatus.CLOSED).values("pk")
    is_supervisor = policy.may_see_organisation_scope(user)
    today = clock.today()
    horizon = today + dt.timedelta(days=due_window_days())
    actions = Action.objects.filter(
        goal__plan__case__in=visible, status=ActionStatus.OPEN, target_date__isnull=False, target_date__lte=horizon,
    ).exclude(goal__status__in=[GoalStatus.DROPPED, GoalStatus.ACHIEVED])
    if not (scope == "organisation" and is_supervisor):
        actions = actions.filter(Q(responsible_user=user) | Q(goal__plan__case__lead_caseworker=user))
    items = [
        WorkItem(
            case_id=a.goal.plan.case_id,
            survivor_code=a.goal.plan.case.survivor.code,
            kind="plan_action",
            title=_("Plan action: %(text)s") % {"text": Truncator(a.description).chars(80)},
            due_at=_start_of(a.target_date),
            overdue=a.target_date < today,
            url=reverse("plans:plan", kwargs={"case_id": a.goal.plan.case_id}),
            responsible=(a.responsible_user.display_name if a.responsible_user else a.responsible_name),
        )
        for a in actions.select_related("goal__plan__case__survivor", "responsible_user").order_by(
            "target_date", "pk")[:300]
        if a.target_date is not None
    ]
    if is_supervisor:
        submitted = PlanRevision.objects.filter(
            status=RevisionStatus.SUBMITTED, plan__case__in=visible
        ).select_related("plan__case__survivor").order_by("submitted_at")[:200]
        items.extend(
            WorkItem(
                case_id=r.plan.case_id,
                survivor_code=r.plan.case.survivor.code,
                kind="plan_approval",
                title=_("Plan revision %(n)s awaits your approval") % {"n": r.number},
                due_at=r.submitted_at,
                overdue=False,
                url=reverse("plans:decide", kwargs={"case_id": r.plan.case_id}),
            )
            for r in submitted
        )
    return items
