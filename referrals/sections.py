"""The case file's referrals section: the case's referrals and their state (one query)."""

from __future__ import annotations

from typing import Any

from access import policy
from access import referrals as referral_access
from access.policy import Action
from core.sections import CaseSection

from .selectors import for_case


def referrals_section(request: Any, case: Any) -> CaseSection | None:
    """One query however many referrals the case has."""
    user = request.user
    if not policy.can(user, Action.VIEW, case):
        return None
    return CaseSection(
        template="referrals/_case_section.html",
        order=45,
        context={"case_id": case.pk, "referrals": list(for_case(case)[:20]),
                 "can_refer": case.is_open and referral_access.may_send(user, case)},
    )
