"""The header's entries of the partner directory and referrals, with the unread count (add
``referrals.context_processors.referrals_nav`` to TEMPLATES' context processors)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from access import partners as partner_access
from access import policy

from .selectors import unread_count


def referrals_nav(request: HttpRequest) -> dict[str, Any]:
    """One COUNT query per page for people who work on cases; none for the others."""
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"referrals_nav": {}}
    works = policy.may_work_on_cases(user)
    profile = partner_access.may_edit_profile(user)
    if not works and not profile:
        return {"referrals_nav": {}}
    return {"referrals_nav": {"show": works, "profile": profile and not works,
                              "unread": unread_count(user) if works else 0}}
