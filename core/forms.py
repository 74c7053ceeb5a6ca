"""Form helpers more than one room's forms use (ground floor: imports no room)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.models import Region


def regency_choices() -> list[tuple[Any, Any]]:
    """Kabupaten/kota grouped by province (one query), after a "not stated" choice."""
    rows = Region.objects.filter(level__in=[Region.Level.PROVINCE, Region.Level.REGENCY]).order_by("code")
    groups: list[tuple[Any, Any]] = [("", _("— not stated —"))]
    current: list[tuple[str, str]] = []
    label = ""
    for region in rows.only("code", "name", "level"):
        if region.level == Region.Level.PROVINCE:
            if current:
                groups.append((label, current))
            label, current = region.name, []
        else:
            current.append((region.code, region.name))
    if current:
        groups.append((label, current))
    return groups
