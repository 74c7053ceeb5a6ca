"""Follow-up visits in the work queue: due within the horizon (14 days by default) or overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from access import policy
from cases.models import CaseStatus, CaseTeamMember
from core import clock
from core.workqueue import WorkItem

from . import conf
from .models import FollowUp, FollowUpStatus

LIMIT = 300


def follow_ups_for(user: Any, *, scope: str = "mine") -> list[WorkItem]:
    """One query. "mine": cases the user is on the team of, or leads (the last lead caseworker
    stays responsible after closure); "organisation": every case a supervisor may see.

    Closed cases stay visible to their lead organisation (access.policy.cases_visible_to), so the
    follow-up of a closed case reaches the same people as before closing.
    """
    if not policy.may_work_on_cases(user):
        return []
    today = clock.today()
    horizon = today + dt.timedelta(days=conf.follow_up_horizon_days())
    qs = FollowUp.objects.filter(
        status=FollowUpStatus.SCHEDULED, due_on__lte=horizon, case__status=CaseStatus.CLOSED,
        case__in=policy.cases_visible_to(user).values("pk"),
    )
    if not (scope == "organisation" and policy.may_see_organisation_scope(user)):
        on_team = CaseTeamMember.objects.filter(case_id=OuterRef("case_id"), user_id=user.pk)
        qs = qs.filter(Q(case__lead_caseworker_id=user.pk) | Q(Exists(on_team)))
    rows = qs.select_related("case__survivor", "case__lead_caseworker").order_by("due_on", "pk")[:LIMIT]
    zone = timezone.get_current_timezone()
    return [
        WorkItem(
            case_id=f.case_id,
            survivor_code=f.case.survivor.code,
            kind="follow_up",
            title=_("Follow-up visit, %(months)s months after closure") % {"months": f.months_after},
            due_at=dt.datetime.combine(f.due_on, dt.time.min, tzinfo=zone),
            overdue=f.due_on < today,
            url=reverse("reintegration:follow_up_detail", kwargs={"case_id": f.case_id, "follow_up_id": f.pk}),
            responsible=f.case.lead_caseworker.display_name,
        )
        for f in rows
    ]
