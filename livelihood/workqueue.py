"""Livelihood work in the work queue: income follow-ups due (3, 6, 12, 24 months after a placement
or a business start) and not yet recorded. Three queries whatever the caseload."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from access import policy
from accounts.models import Role
from cases.models import CaseStatus
from core import clock
from core.workqueue import WorkItem

from . import conf
from .models import Enterprise, IncomeFollowUp, Placement

DUE_AHEAD_DAYS = 14


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1

    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def livelihood_work_for(user: Any, *, scope: str = "mine") -> list[WorkItem]:
    if not policy.may_work_on_cases(user):
        return []
    visible = policy.cases_visible_to(user).exclude(status=CaseStatus.CLOSED)
    if not (scope == "organisation" and user.has_role(Role.SUPERVISOR)):
        visible = visible.filter(lead_caseworker=user)
    starts: dict[Any, tuple[dt.date, str]] = {}
    for case_id, started, code in Placement.objects.filter(case__in=visible.values("pk")).values_list(
            "case_id", "started_on", "case__survivor__code"):
        if case_id not in starts or started < starts[case_id][0]:
            starts[case_id] = (started, code)
    for case_id, started, code in Enterprise.objects.filter(case__in=visible.values("pk")).values_list(
            "case_id", "started_on", "case__survivor__code"):
        if case_id not in starts or started < starts[case_id][0]:
            starts[case_id] = (started, code)
    done = set(IncomeFollowUp.objects.filter(case_id__in=list(starts)).values_list("case_id", "months_after"))
    today = clock.today()
    items = []
    for case_id, (started, code) in starts.items():
        for months in conf.follow_up_months():
            due = add_months(started, months)
            if (case_id, months) in done or due > today + dt.timedelta(days=DUE_AHEAD_DAYS):
                continue
            items.append(WorkItem(
                case_id=case_id, survivor_code=code, kind="income_follow_up",
                title=_("Income follow-up at %(months)s months") % {"months": months},
                due_at=timezone.make_aware(dt.datetime.combine(due, dt.time.min)), overdue=due < today,
                url=reverse("livelihood:case", kwargs={"case_id": case_id}) + "#income",
            ))
            break  # the earliest visit not recorded
    return items
