"""Who may record and see assessments (the recovery room). Built on ``access.policy`` (which decides
case visibility); this module only adds the recovery-specific rules, documented in docs/recovery.md:

- Viewing a case's assessments: ``Action.VIEW`` (the case team and the lead organisation's supervisors).
- Screening answers, totals and bands (PHQ-9, GAD-7, PCL-5) are health data: the case team only
  (``Action.VIEW_IDENTITY``, which is exactly "case team only"). Others see that a screening was
  done, and when, but not its content.
- Recording the holistic instrument: any member of the case team (every member holds a case role:
  caseworker, psychologist, health worker, legal or livelihood officer), and the lead
  organisation's supervisors (who may edit the case anyway).
- Recording a screening instrument: case-team members who are psychologists, health workers or
  caseworkers (in UPTD PPA practice the trained caseworker often administers PHQ-9/GAD-7). A
  supervisor who is not on the team may not: they cannot see screening answers either.
- A draft is continued and completed by the person who started it (their answers, their
  judgement); it may be discarded by them or by a supervisor of the lead organisation.
"""

from __future__ import annotations

from typing import Any

from accounts.models import Role

from . import policy
from .policy import Action

SCREENING_ROLES = (Role.PSYCHOLOGIST, Role.HEALTH_WORKER, Role.CASEWORKER)


def may_record(user: Any, case: Any, instrument: Any) -> bool:
    if not policy.can(user, Action.VIEW, case):
        return False
    if instrument.kind == "screening":
        return policy.is_on_team(user, case) and user.has_role(*SCREENING_ROLES)
    return policy.is_on_team(user, case) or policy.can(user, Action.EDIT, case)


def may_record_any(user: Any, case: Any) -> bool:
    return policy.can(user, Action.VIEW, case) and (
        policy.is_on_team(user, case) or policy.can(user, Action.EDIT, case)
    )


def may_see_content(user: Any, case: Any, instrument: Any) -> bool:
    """Answers and results: everyone who sees the case for holistic ones, the team for screening."""
    if instrument.kind == "screening":
        return policy.can(user, Action.VIEW_IDENTITY, case)
    return policy.can(user, Action.VIEW, case)


def may_continue(user: Any, case: Any, assessment: Any) -> bool:
    return (
        assessment.is_draft and assessment.recorded_by_id == user.pk and may_record(user, case, assessment.instrument)
    )


def may_discard(user: Any, case: Any, assessment: Any) -> bool:
    return assessment.is_draft and (may_continue(user, case, assessment) or policy.is_supervisor_of(user, case))
