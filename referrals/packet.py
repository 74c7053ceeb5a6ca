"""What a referral packet may hold: the fields (Sintas dotted paths) and the purpose-specific
templates (``referrals/data/packet_templates.json``).

A packet is a ``dict[str, Any]`` keyed by these paths with Sintas codes as values (the interface
of ``interop.htcds.packet_to_htcds``). Three kinds of field:

- ``identity.*``: from the encrypted identity vault; only a case-team member may send them;
- ``survivor.*`` and ``case.*``: codes recorded on the survivor and the case;
- ``referral.*``: free text the sender writes for this partner (skills, health needs...).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.choices import (
    AgeBand,
    ExploitationType,
    ForcedLabourIndustry,
    RecruitmentMethod,
    Sex,
    TraffickingStatus,
    UrgentNeed,
)
from core.models import Region
from legal.packet import packet_value

DATA = Path(__file__).resolve().parent / "data" / "packet_templates.json"
FREE_TEXT_MAX = 2000


@dataclass(frozen=True)
class PacketField:
    key: str
    label: Promise
    kind: str  # "identity", "record" or "text"
    choices: Any = None  # a TextChoices class, to show labels of codes

    @property
    def is_identity(self) -> bool:
        return self.kind == "identity"

    @property
    def is_text(self) -> bool:
        return self.kind == "text"


FIELDS: dict[str, PacketField] = {f.key: f for f in (
    PacketField("identity.first_name", _("first name"), "identity"),
    PacketField("identity.second_name", _("other names"), "identity"),
    PacketField("identity.birth_date", _("date of birth"), "identity"),
    PacketField("identity.nik", _("NIK"), "identity"),
    PacketField("survivor.sex", _("sex"), "record", Sex),
    PacketField("survivor.age_band", _("age band"), "record", AgeBand),
    PacketField("survivor.is_child", _("child"), "record"),
    PacketField("survivor.nationality", _("nationality"), "record"),
    PacketField("survivor.origin_regency", _("regency or city of origin"), "record"),
    PacketField("case.urgent_needs", _("urgent needs at intake"), "record", UrgentNeed),
    PacketField("case.trafficking_status", _("trafficking status"), "record", TraffickingStatus),
    PacketField("case.exploitation_types", _("types of exploitation"), "record", ExploitationType),
    PacketField("case.forced_labour_industry", _("forced-labour industry"), "record", ForcedLabourIndustry),
    PacketField("case.recruitment_method", _("method of recruitment"), "record", RecruitmentMethod),
    PacketField("referral.skills_interests", _("skills and interests"), "text"),
    PacketField("referral.health_needs", _("health needs"), "text"),
    PacketField("referral.legal_history", _("legal history"), "text"),
    PacketField("referral.safety_concerns", _("safety concerns"), "text"),
    PacketField("referral.languages", _("languages spoken"), "text"),
    PacketField("referral.contact_route", _("how to make contact"), "text"),
    PacketField("referral.notes", _("notes for the partner"), "text"),
    # From the legal room (legal/packet.py): for the case team and legal officers to send.
    PacketField("legal.history", _("legal history (proceedings, stages, hearings, LPSK)"), "record"),
    PacketField("legal.ledger", _("loss ledger and restitution ordered and paid"), "record"),
)}


@dataclass(frozen=True)
class Template:
    code: str
    name_id: str
    name_en: str
    services: tuple[str, ...]
    fields: tuple[str, ...]
    defaults: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id


@cache
def templates() -> dict[str, Template]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    found = {}
    for item in data["templates"]:
        keys = tuple(f["key"] for f in item["fields"])
        unknown = [k for k in keys if k not in FIELDS]
        if unknown:
            raise ValueError(f"packet template {item['code']}: unknown field(s) {unknown}")
        found[item["code"]] = Template(
            code=item["code"], name_id=item["name_id"], name_en=item["name_en"], services=tuple(item["services"]),
            fields=keys, defaults=tuple(f["key"] for f in item["fields"] if f.get("default")),
        )
    return found


def template_for_service(service_code: str) -> Template:
    for template in templates().values():
        if service_code in template.services:
            return template
    return templates()["general"]


def _first_and_rest(full_name: str) -> tuple[str, str]:
    parts = (full_name or "").split()
    return (parts[0], " ".join(parts[1:])) if parts else ("", "")


def record_value(key: str, case: Any) -> Any:
    """The current value of an identity, survivor or case field, as a Sintas code (or text)."""
    survivor = case.survivor
    if key.startswith("identity."):
        identity = getattr(survivor, "identity", None)
        if identity is None:
            return ""
        first, rest = _first_and_rest(identity.full_name)
        return {"identity.first_name": first, "identity.second_name": rest, "identity.birth_date": identity.birth_date,
                "identity.nik": identity.nik}[key]
    if key == "survivor.sex":
        return survivor.sex
    if key == "survivor.age_band":
        return survivor.age_band
    if key == "survivor.is_child":
        return bool(survivor.is_child_at_identification)
    if key == "survivor.nationality":
        return str(survivor.nationality.code if hasattr(survivor.nationality, "code") else survivor.nationality)
    if key == "survivor.origin_regency":
        return survivor.origin_regency_id or ""
    if key.startswith("case."):
        return getattr(case, key.split(".", 1)[1])
    if key.startswith("legal."):
        return packet_value(key, case)
    raise KeyError(key)


def display_value(key: str, value: Any) -> str:
    """A packet value for people: labels of codes in the current language."""
    field = FIELDS.get(key)
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):

        return gettext("yes") if value else gettext("no")
    if field is not None and field.choices is not None:
        labels = dict(field.choices.choices)
        if isinstance(value, list):
            return ", ".join(str(labels.get(v, v)) for v in value)
        return str(labels.get(value, value))
    if key == "survivor.origin_regency":

        region = Region.objects.filter(code=value).first()
        return region.name if region else str(value)
    if key == "survivor.nationality":

        return str(countries.name(value) or value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
