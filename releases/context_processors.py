"""The header's entries of the releases room (add ``releases.context_processors.releases_nav`` to
TEMPLATES' context processors, and include ``releases/_nav_item.html`` in base.html's menu)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from access.releases import may_export_simfoni, may_release


def releases_nav(request: HttpRequest) -> dict[str, Any]:
    """No query for most people (roles are read once per request); one permission query for M&E
    officers and platform administrators."""
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"releases_nav": {}}
    return {"releases_nav": {"releases": may_release(user), "simfoni": may_export_simfoni(user)}}
