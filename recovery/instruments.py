"""Load the shipped instruments from ``recovery/data/instruments.json``.

The data migration calls this with the historical app registry; tests call it to restore the
instruments after a test that flushed the database. Loading is idempotent (update or create by
code and version, item number and level value), so a corrected wording can be shipped as a new
file and loaded again. A changed scale or meaning must instead be a new ``version``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .models import Instrument, Item, Level

DATA_FILE = Path(__file__).resolve().parent / "data" / "instruments.json"

INSTRUMENT_FIELDS = (
    "name_id", "name_en", "kind", "scoring", "scale_min", "scale_max", "instructions_id", "instructions_en",
    "options", "bands", "source", "position",
)


def instruments_data() -> list[dict[str, Any]]:
    with DATA_FILE.open(encoding="utf-8") as f:
        return list(json.load(f)["instruments"])


def _models(apps: Any) -> tuple[Any, Any, Any]:
    if apps is None:
        return Instrument, Item, Level
    return apps.get_model("recovery", "Instrument"), apps.get_model("recovery", "Item"), apps.get_model("recovery", "Level")


def instruments_load(apps: Any = None) -> int:
    """Create or update every shipped instrument; returns how many were loaded."""
    Instrument, Item, Level = _models(apps)
    count = 0
    for data in instruments_data():
        instrument, _created = Instrument.objects.update_or_create(
            code=data["code"], version=data["version"],
            defaults={name: data.get(name, "") for name in INSTRUMENT_FIELDS} | {"is_active": True},
        )
        for item_data in data["items"]:
            item, _created = Item.objects.update_or_create(
                instrument=instrument, number=item_data["number"],
                defaults={
                    "domain": item_data.get("domain"),
                    "text_id": item_data["text_id"],
                    "text_en": item_data["text_en"],
                    "alert_at": item_data.get("alert_at"),
                    "alert_kind": item_data.get("alert_kind", ""),
                },
            )
            for level in item_data.get("levels", []):
                Level.objects.update_or_create(
                    item=item, value=level["value"], defaults={"text_id": level["text_id"], "text_en": level["text_en"]}
                )
        count += 1
    return count


def instruments_unload(apps: Any = None) -> None:
    """Reverse of the data migration: remove the shipped instruments that no assessment uses."""
    Instrument, _Item, _Level = _models(apps)
    for data in instruments_data():
        Instrument.objects.filter(code=data["code"], version=data["version"], assessments__isnull=True).delete()
