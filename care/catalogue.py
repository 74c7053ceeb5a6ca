"""Loading the service catalogue and the time-limit rules from ``care/data/*.json``.

Used by the data migration (with historical models) and by ``manage.py load_care_catalogue``
(with the current ones), so an administrator corrects the data in one place: the JSON files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
SERVICE_FIELDS = ("name_id", "name_en", "legal_source", "domains", "category")
RULE_FIELDS = (
    "name_id", "name_en", "legal_source", "start", "stop_service_codes", "duration_value", "duration_unit",
    "due_soon_hours", "exclude_channels", "organisation_kinds",
)


def read(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
    return data


def services_data() -> list[dict[str, Any]]:
    return list(read("services.json")["services"])


def rules_data() -> list[dict[str, Any]]:
    return list(read("time_limits.json")["rules"])


def catalogue_sync(service_model: Any, rule_model: Any) -> tuple[int, int]:
    """Create or update every service and rule of the JSON files (matched by code).

    Entries missing from the files are left alone (deliveries may refer to them); deactivate
    a service with ``"is_active": false`` instead of deleting it.
    """
    for order, item in enumerate(services_data()):
        defaults = {f: item[f] for f in SERVICE_FIELDS}
        defaults["is_active"] = item.get("is_active", True)
        defaults["sort_order"] = order
        service_model.objects.update_or_create(code=item["code"], defaults=defaults)
    for item in rules_data():
        defaults = {f: item[f] for f in RULE_FIELDS}
        defaults["is_active"] = item.get("is_active", True)
        rule_model.objects.update_or_create(code=item["code"], defaults=defaults)
    return len(services_data()), len(rules_data())


def catalogue_unload(service_model: Any, rule_model: Any) -> None:
    """Reverse of the first load: remove what the files define (nothing refers to it yet)."""
    rule_model.objects.filter(code__in=[r["code"] for r in rules_data()]).delete()
    service_model.objects.filter(code__in=[s["code"] for s in services_data()]).delete()
