"""Who may plan and approve a rehabilitation plan (the plans room; docs/plans.md).

Rules:
- **Plan** (set the phase, edit and submit the plan): whoever may change the case
  (``access.policy.can(user, EDIT, case)``: the case team's caseworkers and the lead organisation's
  supervisors), plus the psychologists on the case team, who share the trauma-informed decisions
  (phase, mental-wellbeing goals) with the caseworker.
- **Approve or return** a submitted plan: a supervisor of the lead organisation.
"""

from __future__ import annotations

from typing import Any

from accounts.models import Role
from cases.models import Case

from . import policy
from .policy import Action


def may_plan(user: Any, case: Case) -> bool:
    """Set the phase and edit, submit the plan: team caseworkers, team psychologists, supervisors."""
    if policy.can(user, Action.EDIT, case):
        return True
    return (
        policy.can(user, Action.VIEW, case)
        and policy.is_on_team(user, case)
        and user.has_role(Role.PSYCHOLOGIST)
    )


def may_approve(user: Any, case: Case) -> bool:
    return policy.may_work_on_cases(user) and policy.is_supervisor_of(user, case)
