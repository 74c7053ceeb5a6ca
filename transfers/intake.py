"""The intake as handed over (a JSON snapshot of non-identity intake fields), as label/value rows."""

from __future__ import annotations

from typing import Any

from django_countries import countries

from cases.models import Case
from cases.services import LIST_FIELDS, REGION_FIELDS
from core.models import Region


def _label(field: Any, code: Any) -> str:
    choices = dict(field.flatchoices) if field.choices else {}
    return str(choices.get(code, code))


def intake_rows(snapshot: dict[str, Any]) -> list[tuple[str, str]]:
    region_codes = [snapshot.get(name) for name in REGION_FIELDS if snapshot.get(name)]
    regions = {r.code: r.name for r in Region.objects.filter(code__in=region_codes)} if region_codes else {}
    rows = []
    for name, value in snapshot.items():
        if value in (None, "", []):
            continue
        field: Any = Case._meta.get_field(name)
        if name in LIST_FIELDS:
            choice_list = LIST_FIELDS[name]
            labels = dict(choice_list.choices)  # type: ignore[attr-defined]
            shown = ", ".join(str(labels.get(v, v)) for v in value)
        elif name == "transit_countries":
            shown = ", ".join(str(countries.name(c) or c) for c in value)
        elif name in REGION_FIELDS:
            shown = str(regions.get(value, value))
        elif name.endswith("_country"):
            shown = str(countries.name(value) or value)
        else:
            shown = _label(field, value)
        rows.append((str(field.verbose_name), shown))
    return rows
