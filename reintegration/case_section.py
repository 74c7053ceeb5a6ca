"""The reintegration part of the case file: closing, the follow-up schedule, the latest risk level."""

from __future__ import annotations

from typing import Any

from access import policy
from cases.models import CaseStatus
from core import clock
from core.sections import CaseSection

from . import selectors


def reintegration_section(request: Any, case: Any) -> CaseSection:
    """Two queries (closures, follow-ups) plus the policy's cached team check, however many
    closures and visits the case holds."""
    today = clock.today()
    closures = list(selectors.closures_of(case))
    follow_ups = list(selectors.follow_ups_of(case))
    latest = closures[0] if closures else None
    closed = case.status == CaseStatus.CLOSED
    current = latest if closed and latest is not None and latest.reopened_at is None else None
    schedule = [
        {"follow_up": f, "state": selectors.follow_up_state(f, today)}
        for f in follow_ups if current is not None and f.closure_id == current.pk
    ]
    return CaseSection(
        template="reintegration/section.html",
        order=80,
        context={
            "case": case,
            "closed": closed,
            "closure": current,
            "earlier_closures": [c for c in closures if c is not current],
            "schedule": schedule,
            "latest_risk": selectors.latest_risk(follow_ups),
            "can_edit": policy.can(request.user, policy.Action.EDIT, case),
        },
    )
