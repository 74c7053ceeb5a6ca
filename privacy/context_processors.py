"""The privacy room's menu entries (no query: the same checks as the page frame's own)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from access import policy
from access import privacy as access_privacy


def privacy_nav(request: HttpRequest) -> dict[str, Any]:
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"privacy_nav": {}}
    nav = {
        "linkage": access_privacy.may_decide_linkage(user),
        "mine": policy.may_work_on_cases(user),
        "probing": access_privacy.may_see_probing_alerts(user),
    }
    return {"privacy_nav": nav if any(nav.values()) else {}}
