"""Whether to show the monitoring link in the main menu (add
``monitoring.context_processors.monitoring_nav`` to TEMPLATES' context processors, and include
``monitoring/_nav_item.html`` in base.html's menu when ``monitoring_nav`` is true)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from access import monitoring as monitoring_access


def monitoring_nav(request: HttpRequest) -> dict[str, Any]:
    user: Any = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"monitoring_nav": False}
    return {"monitoring_nav": monitoring_access.shows_menu(user)}
