"""Legal deadlines in the work queue: hearings without an accompanying person, LPSK decisions,
claim windows, payments and court warnings, due within ``SINTAS_LEGAL_DUE_DAYS`` or overdue.

- legal officers: every case of their organisation (they see its legal data);
- the case team ("mine": cases the user is on the team of);
- supervisors (scope "organisation"): the overdue ones of the organisation, linking to the case file
  (a supervisor off the team does not see legal data, but is alerted that a deadline passed).
A fixed number of queries whatever the caseload.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from access import policy
from access.legal import legal_cases_visible_to
from accounts.models import Role
from cases.models import CaseStatus
from core import clock
from core.workqueue import WorkItem

from . import clocks, conf


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def legal_work_for(user: Any, *, scope: str = "mine") -> list[WorkItem]:
    if not policy.may_work_on_cases(user):
        return []
    horizon = clock.today() + dt.timedelta(days=conf.due_window_days())
    items: list[WorkItem] = []
    seen: set[str] = set()
    legal_cases = legal_cases_visible_to(user).exclude(status=CaseStatus.CLOSED)
    for c in clocks.clocks_for(legal_cases.values("pk")):
        if c.status == clocks.MET or (c.status == clocks.DUE and c.due_on > horizon):
            continue
        seen.add(c.key)
        items.append(WorkItem(case_id=c.case_id, survivor_code=c.survivor_code, kind=f"legal_{c.kind}",
                              title=c.title, due_at=_start_of(c.due_on), overdue=c.overdue,
                              url=reverse("legal:overview", kwargs={"case_id": c.case_id})))
    if scope == "organisation" and user.has_role(Role.SUPERVISOR):
        org_cases = policy.cases_visible_to(user).exclude(status=CaseStatus.CLOSED).values("pk")
        for c in clocks.clocks_for(org_cases):
            if c.overdue and c.key not in seen:
                items.append(WorkItem(case_id=c.case_id, survivor_code=c.survivor_code, kind=f"legal_{c.kind}",
                                      title=c.title, due_at=_start_of(c.due_on), overdue=True,
                                      url=reverse("cases:detail", kwargs={"case_id": c.case_id})))
    return items
