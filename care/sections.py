"""The case file's services section: legal time limits, recent deliveries, buttons to record."""

from __future__ import annotations

from typing import Any

from access import care as care_access
from access import policy
from access.policy import Action
from core.sections import CaseSection

from .clocks import clocks_for_case, rules_active
from .selectors import deliveries_for_case

RECENT = 10


def care_section(request: Any, case: Any) -> CaseSection | None:
    """Five queries however many deliveries and applications the case has."""
    user = request.user
    if not policy.can(user, Action.VIEW, case):
        return None
    clocks = clocks_for_case(case, rules=rules_active())
    recent = list(deliveries_for_case(case)[:RECENT])
    return CaseSection(
        template="care/_case_section.html",
        order=40,
        context={
            "case_id": case.pk,
            "clocks": clocks,
            "recent": recent,
            "can_record": care_access.may_record(user, case) and case.is_open,
            "time_zone": case.lead_organisation.time_zone,
        },
    )
