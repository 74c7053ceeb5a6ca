"""Whether to show the monitoring link in the main menu (add
``monitoring.context_processors.monitoring_nav`` to TEMPLATES' context processors, and include
``monitoring/_nav_item.html`` in base.html's menu when ``monitoring_nav`` is true)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from access import policy

from .selectors import ORGANISATION_ROLES


def monitoring_nav(request: HttpRequest) -> dict[str, Any]:
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"monitoring_nav": False}
    # Cheap: roles are cached on the user; no scope query on every page (the index lists them).
    show = (policy._active(user) and user.has_role(*ORGANISATION_ROLES)) or policy.may_manage_organisations(user)
    return {"monitoring_nav": bool(show)}
