"""The case file's transfer section: a pending transfer, the transfer history, the propose button."""

from __future__ import annotations

from typing import Any

from access import policy
from access import transfers as transfer_access
from access.policy import Action
from core.sections import CaseSection

from .models import CaseTransfer
from .selectors import transfers_for_case

HISTORY = 20


def transfer_section(request: Any, case: Any) -> CaseSection | None:
    """One query for a case never transferred (most cases), two for one that has been, however many.

    The first asks without joins: a five-table join costs PostgreSQL more to plan than an empty
    answer costs to find."""
    user = request.user
    if not policy.can(user, Action.VIEW, case):
        return None
    transfers: list[CaseTransfer] = []
    if CaseTransfer.objects.filter(case_id=case.pk).exists():
        transfers = list(transfers_for_case(case)[:HISTORY])
    pending = next((t for t in transfers if t.is_pending), None)
    may_propose = transfer_access.may_propose_transfer(user, case)
    return CaseSection(
        template="transfers/_case_section.html",
        order=90,
        context={
            "case_id": case.pk,
            "pending": pending,
            "history": [t for t in transfers if not t.is_pending],
            "can_propose": may_propose and pending is None and case.is_open,
            "can_cancel": may_propose and pending is not None,
        },
    )
