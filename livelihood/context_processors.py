"""The header's entry for opportunities (``livelihood.context_processors.livelihood_nav``). No query."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from access import livelihood as rules


def livelihood_nav(request: HttpRequest) -> dict[str, Any]:
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"livelihood_nav": False}
    return {"livelihood_nav": rules.may_see_opportunities(user)}
