"""The case file's interoperability section: a link to export the case as an HTCDS 2.0 document."""

from __future__ import annotations

from typing import Any

from access import policy
from access.policy import Action
from core.sections import CaseSection


def interop_section(request: Any, case: Any) -> CaseSection | None:
    """No query."""
    if not policy.can(request.user, Action.VIEW, case):
        return None
    return CaseSection(template="interop/_case_section.html", order=95, context={"case_id": case.pk})
