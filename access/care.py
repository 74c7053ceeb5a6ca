"""Who may record services delivered and set what an organisation provides (the care room;
docs/care.md).

Rules:
- **Record** service deliveries and applications on a case: a case-team member or a supervisor of
  the lead organisation (exactly who may view it); the room also requires the case to be open.
- **Set the services an organisation provides**: the organisation administrators of an active
  organisation, for their own organisation.
"""

from __future__ import annotations

from typing import Any

from accounts.models import Role
from cases.models import Case

from . import policy
from .base import acts_in_organisation
from .policy import Action


def may_record(user: Any, case: Case) -> bool:
    """Whether the user may record deliveries and applications on this case: a case-team member
    or a supervisor of the lead organisation (exactly who may view it), while the case is open."""
    return policy.can(user, Action.VIEW, case) and (
        policy.is_on_team(user, case) or policy.is_supervisor_of(user, case)
    )


def may_manage_services(user: Any) -> bool:
    return acts_in_organisation(user) and bool(user.has_role(Role.ORG_ADMIN))
