"""The plan's part of the case file: phase, plan status, goals per domain with their actions."""

from __future__ import annotations

from typing import Any

from access import plans as plan_access
from access import policy
from core.sections import CaseSection

from . import selectors


def plan_section(request: Any, case: Any) -> CaseSection | None:
    user = request.user
    if not policy.can(user, policy.Action.VIEW, case):
        return None
    context = selectors.section_context(case)
    context["can_plan"] = plan_access.may_plan(user, case)
    return CaseSection(template="plans/section.html", context=context, order=30)
