"""Who may search the partner directory and edit an organisation's profile (the partners room;
docs/referrals.md, "Partner directory").

Rules:
- **Search the directory**: everyone who works on cases, and organisation administrators.
- **Edit the organisation's profile**: its administrators and supervisors, while the organisation
  is active. The list of services it provides is set by its administrators only
  (``access.care.may_manage_services``).
"""

from __future__ import annotations

from typing import Any

from accounts.models import Role

from . import policy
from .base import acts_in_organisation


def may_search(user: Any) -> bool:
    """Everyone who works on cases searches the directory; administrators see it too."""
    return policy.may_work_on_cases(user) or bool(
        user and user.is_authenticated and getattr(user, "organisation_id", None) and user.has_role(Role.ORG_ADMIN)
    )


def may_edit_profile(user: Any) -> bool:
    """The organisation's administrators and supervisors edit its profile."""
    return acts_in_organisation(user) and bool(user.has_role(Role.ORG_ADMIN, Role.SUPERVISOR))
