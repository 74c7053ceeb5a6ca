"""The privacy room's menu entries (no query: the same checks as the page frame's own), and the
break-the-glass banner on every page of a case opened under an emergency grant."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from access import policy
from access import privacy as access_privacy

from .emergency import banner_grant


def privacy_nav(request: HttpRequest) -> dict[str, Any]:
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"privacy_nav": {}}
    nav = {
        "linkage": access_privacy.may_decide_linkage(user),
        "mine": policy.may_work_on_cases(user),
        "probing": access_privacy.may_see_probing_alerts(user),
        "emergency": access_privacy.may_open_emergency(user),
        "emergency_uses": access_privacy.may_see_probing_alerts(user),
    }
    return {"privacy_nav": nav if any(nav.values()) else {}}


def emergency_banner(request: HttpRequest) -> dict[str, Any]:
    """The live grant of the case on this page, if the page is shown under one (a query only on the
    pages of a case this browser session opened in an emergency)."""
    return {"emergency_grant": banner_grant(request)}
