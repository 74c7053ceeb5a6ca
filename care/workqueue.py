"""Legal time limits in the work queue (daftar tugas): clocks that are due soon or overdue."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from access import policy
from cases.models import CaseStatus, CaseTeamMember
from core.workqueue import WorkItem

from .clocks import State, clocks_for_cases


def cases_for_scope(user: Any, scope: str) -> Any:
    """Open cases of the scope: "mine" (the user is on the case team) or "organisation" (every
    case of the organisation, for its supervisors only)."""
    visible = policy.cases_visible_to(user).exclude(status=CaseStatus.CLOSED)
    if scope == "organisation":
        return visible if policy.may_see_organisation_scope(user) else visible.none()
    on_team = CaseTeamMember.objects.filter(case_id=OuterRef("pk"), user_id=user.pk)
    return visible.filter(Q(lead_caseworker_id=user.pk) | Exists(on_team))


def time_limits_for(user: Any, *, scope: str = "mine") -> list[WorkItem]:
    """Time-limit clocks due soon or overdue, in a fixed number of queries (five)."""
    if not policy.may_work_on_cases(user):
        return []
    cases = list(cases_for_scope(user, scope).select_related("survivor", "lead_caseworker", "lead_organisation"))
    clocks = clocks_for_cases(cases)
    items = []
    for case in cases:
        url = reverse("cases:detail", kwargs={"case_id": case.pk}) + "#care-h"
        for k in clocks[case.pk]:
            if k.state not in (State.DUE_SOON, State.OVERDUE):
                continue
            items.append(WorkItem(
                case_id=case.pk,
                survivor_code=case.survivor.code,
                kind="time_limit",
                title=_("%(rule)s (%(source)s)") % {"rule": k.rule.name, "source": k.rule.legal_source},
                due_at=k.due_at,
                overdue=k.state == State.OVERDUE,
                url=url,
                responsible=case.lead_caseworker.display_name,
            ))
    return items
