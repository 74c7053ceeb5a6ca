"""HTCDS 2.0 documents from and to Sintas referral packets.

A *packet* is a dict keyed by Sintas dotted paths (``survivor.sex``, ``case.exploitation_types``,
``identity.first_name``, ``referral.purpose`` ...) whose values are Sintas codes. An *HTCDS document*
is a flat JSON object keyed by HTCDS 2.0 field names (with their entity prefix, as in the HTCDS Field
Standards table: ``prs_Gender``, ``vic_TypeOfExploitation`` ...) whose values are HTCDS picklist value
names. Packet keys that HTCDS has no field for travel unchanged in the extension object
``x_sintas_extension`` (keyed by the same dotted paths), so a Sintas-to-Sintas referral loses nothing
and another system can ignore them. See docs/interoperability.md.

Reference data (copied, never read from /work/shared at run time):
``core/data/htcds/picklists.json`` (picklists) and ``interop/data/htcds_fields.json`` (field table).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.choices import (
    SEX_TO_HTCDS,
    ExploitationType,
    ForcedLabourIndustry,
    RecruitmentMethod,
    StatusDecidedBy,
    TraffickingStatus,
)

HTCDS_VERSION = "2.0"
VERSION_KEY = "htcds_version"
GENERATOR_KEY = "x_generator"
EXTENSION_KEY = "x_sintas_extension"
ENVELOPE_KEYS = frozenset({VERSION_KEY, GENERATOR_KEY, EXTENSION_KEY})

# Key under which htcds_to_values reports HTCDS fields that were present but that Sintas does not import.
NOT_IMPORTED_KEY = "htcds.not_imported"

_DATA = Path(__file__).resolve().parent / "data"


@cache
def picklists() -> dict[str, list[str]]:
    path = Path(settings.BASE_DIR) / "core" / "data" / "htcds" / "picklists.json"
    raw = json.loads(path.read_text(encoding="utf-8"))["picklists"]
    return {name: [item["name"] for item in items] for name, items in raw.items()}


@cache
def field_table() -> dict[str, dict[str, Any]]:
    """Every HTCDS 2.0 field (name -> row of the Field Standards table)."""
    raw = json.loads((_DATA / "htcds_fields.json").read_text(encoding="utf-8"))
    return {row["name"]: row for row in raw["fields"]}


# The XLSForm of the HTCDS toolkit spells a few names differently from the Field Standards table.
# We write the table's names and read either.
XLSFORM_ALIASES = {
    "prs_First_Name": "prs_FirstName",
    "prs_Second_Name": "prs_SecondName",
    "vic_Methods_of_Control": "vic_MethodsOfControl",
}


@dataclass(frozen=True)
class Field:
    """One mapped field: Sintas dotted path <-> HTCDS field name."""

    path: str
    htcds: str
    kind: str  # "text", "date", "one" (single picklist), "many" (multiselect), "one_as_many", "country_list",
    #            "country"
    picklist: str = ""
    to_htcds: dict[str, str] | None = None  # Sintas code -> HTCDS value, when they differ
    from_htcds: dict[str, str] | None = None  # HTCDS value -> Sintas code, when they differ
    sintas_values: Callable[[], list[str]] | None = None

    def allowed_sintas(self) -> list[str]:
        if self.sintas_values is not None:
            return self.sintas_values()
        if self.to_htcds is not None:
            return list(self.to_htcds)
        return picklists()[self.picklist] if self.picklist else []


# HTCDS genders with no Sintas counterpart read as "not stated" (documented in docs/interoperability.md).
_GENDER_FROM_HTCDS = {
    "Feminine": "female",
    "Masculine": "male",
    "TransgenderFeminine": "unknown",
    "TransgenderMasculine": "unknown",
    "NonConforming": "unknown",
    "NonSpecifiedUnknown": "unknown",
}


def _codes(choices: Any) -> Callable[[], list[str]]:
    return lambda: list(choices.values)


FIELDS: tuple[Field, ...] = (
    # Person (prs_)
    Field("identity.first_name", "prs_FirstName", "text"),
    Field("identity.second_name", "prs_SecondName", "text"),
    Field("identity.birth_date", "prs_Birthdate", "date"),
    Field("identity.nik", "prs_IdentityNumber", "text"),
    Field("identity.phone_numbers", "prs_MobilePhone", "text"),
    Field("identity.address", "prs_MailingStreet", "text"),
    Field("survivor.sex", "prs_Gender", "one", "gender", to_htcds=SEX_TO_HTCDS, from_htcds=_GENDER_FROM_HTCDS),
    Field("survivor.nationality", "prs_Citizenship", "country_list", "citizenship"),
    # Person, victim context (vic_)
    Field("case.trafficking_status", "vic_TraffickingStatus", "one", "traffickingstatus",
          sintas_values=_codes(TraffickingStatus)),
    Field("case.status_decided_by", "vic_TraffickingStatusDecisionMakingOrg", "one",
          "traffickingstatusdecisionmakingorg", sintas_values=_codes(StatusDecidedBy)),
    Field("case.exploitation_types", "vic_TypeOfExploitation", "many", "typeofexploitation",
          sintas_values=_codes(ExploitationType)),
    Field("case.forced_labour_industry", "vic_ForcedLabourIndustry", "one", "forcedlabourindustry",
          sintas_values=_codes(ForcedLabourIndustry)),
    Field("case.recruitment_method", "vic_MethodOfRecruitment", "one_as_many", "methodofrecruitment",
          sintas_values=_codes(RecruitmentMethod)),
    Field("case.recruitment_country", "vic_LocationOfRecruitment", "country", "citizenship"),
    Field("case.exploitation_country", "vic_LocationOfExploitation", "country", "citizenship"),
)
FIELDS_BY_PATH = {f.path: f for f in FIELDS}
FIELDS_BY_HTCDS = {f.htcds: f for f in FIELDS}
MAPPED_PATHS = frozenset(FIELDS_BY_PATH)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _json_value(value: Any) -> Any:
    """Extension values as JSON: dates as ISO strings, tuples and sets as lists, the rest as is."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)  # e.g. a django_countries Country


def _bad_value(errors: dict[str, list[str]], name: str, value: Any) -> None:
    errors.setdefault(name, []).append(
        _("“%(value)s” is not a value of the list for %(field)s.") % {"value": value, "field": name}
    )


# --- export ------------------------------------------------------------------------------------


def packet_to_htcds(values: dict[str, Any]) -> dict[str, Any]:
    """An HTCDS 2.0 document for a referral packet (Sintas dotted path -> Sintas code).

    Mapped keys become HTCDS fields with HTCDS picklist values; every other key goes, unchanged, into
    ``x_sintas_extension``. Empty values are left out. Raises ValidationError naming each key whose
    value is not a Sintas code of its list.
    """
    errors: dict[str, list[str]] = {}
    doc: dict[str, Any] = {VERSION_KEY: HTCDS_VERSION, GENERATOR_KEY: "Sintas"}
    extension: dict[str, Any] = {}
    for path, value in values.items():
        field = FIELDS_BY_PATH.get(path)
        if field is None:
            if not _is_empty(value):
                extension[path] = _json_value(value)
            continue
        if _is_empty(value):
            continue
        out = _export_value(field, value, errors)
        if out is not None:
            doc[field.htcds] = out
    if errors:
        raise ValidationError(errors)
    if extension:
        doc[EXTENSION_KEY] = extension
    return doc


def _export_value(field: Field, value: Any, errors: dict[str, list[str]]) -> Any:
    if field.kind == "text":
        return str(value).strip()
    if field.kind == "date":
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            errors.setdefault(field.path, []).append(_("This is not a date (YYYY-MM-DD): %(value)s.") % {
                "value": value})
            return None
    if field.kind in ("country", "country_list"):
        code = str(value).upper()
        if code not in picklists()["citizenship"]:
            _bad_value(errors, field.path, value)
            return None
        return [code] if field.kind == "country_list" else code
    items = list(value) if field.kind == "many" else [value]
    allowed = field.allowed_sintas()
    bad = [v for v in items if v not in allowed]
    for v in bad:
        _bad_value(errors, field.path, v)
    if bad:
        return None
    mapped = [field.to_htcds.get(v, v) if field.to_htcds else v for v in dict.fromkeys(items)]
    return mapped[0] if field.kind == "one" else mapped


# --- import ------------------------------------------------------------------------------------


def htcds_to_values(doc: dict[str, Any]) -> dict[str, Any]:
    """The packet (Sintas dotted path -> Sintas code) of an HTCDS 2.0 document; inverse of packet_to_htcds.

    Raises ValidationError (field name -> messages) naming every unknown field and every value that is
    not in its picklist, and nothing is returned then. HTCDS fields that Sintas does not import are
    listed (by name) under ``htcds.not_imported``.
    """
    if not isinstance(doc, dict):
        raise ValidationError(_("The document must be a JSON object of HTCDS fields."))
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    not_imported: list[str] = []
    version = doc.get(VERSION_KEY)
    if version is not None and str(version) != HTCDS_VERSION:
        errors.setdefault(VERSION_KEY, []).append(
            _("Only HTCDS version %(version)s can be imported.") % {"version": HTCDS_VERSION}
        )
    table = field_table()
    for raw_name, value in doc.items():
        name = XLSFORM_ALIASES.get(raw_name, raw_name)
        if raw_name in ENVELOPE_KEYS:
            continue
        field = FIELDS_BY_HTCDS.get(name)
        if field is None:
            if name in table:
                if not _is_empty(value):
                    not_imported.append(name)
            else:
                errors.setdefault(raw_name, []).append(
                    _("Unknown field: %(field)s is not an HTCDS 2.0 field.") % {"field": raw_name}
                )
            continue
        if _is_empty(value):
            continue
        converted = _import_value(field, raw_name, value, errors)
        if converted is not None:
            values[field.path] = converted
    extension = doc.get(EXTENSION_KEY)
    if extension is not None:
        if not isinstance(extension, dict):
            errors.setdefault(EXTENSION_KEY, []).append(_("%(field)s must be a JSON object.") % {
                "field": EXTENSION_KEY})
        else:
            for path, value in extension.items():
                if path in MAPPED_PATHS:
                    errors.setdefault(EXTENSION_KEY, []).append(
                        _("%(path)s belongs in the HTCDS field %(field)s, not in the extension.")
                        % {"path": path, "field": FIELDS_BY_PATH[path].htcds}
                    )
                else:
                    values[str(path)] = value
    if errors:
        raise ValidationError(errors)
    if not_imported:
        values[NOT_IMPORTED_KEY] = sorted(not_imported)
    return values


def _import_value(field: Field, name: str, value: Any, errors: dict[str, list[str]]) -> Any:
    if field.kind == "text":
        if not isinstance(value, str | int | float):
            errors.setdefault(name, []).append(_("%(field)s must be text.") % {"field": name})
            return None
        return str(value).strip()
    if field.kind == "date":
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            errors.setdefault(name, []).append(
                _("%(field)s is not a date (YYYY-MM-DD): %(value)s.") % {"field": name, "value": value}
            )
            return None
    items: list[Any]
    if isinstance(value, list):
        items = value
    elif isinstance(value, str):
        items = [value]
    else:
        errors.setdefault(name, []).append(_("%(field)s must be a value name or a list of them.") % {
            "field": name})
        return None
    allowed = picklists()[field.picklist]
    bad = [v for v in items if not isinstance(v, str) or v not in allowed]
    for v in bad:
        _bad_value(errors, name, v)
    if bad:
        return None
    items = list(dict.fromkeys(items))
    if field.kind != "many" and len(items) > 1:
        errors.setdefault(name, []).append(
            _("%(field)s: Sintas records one value here, the document has %(count)d.")
            % {"field": name, "count": len(items)}
        )
        return None
    mapped = [field.from_htcds.get(v, v) if field.from_htcds else v for v in items]
    if field.kind != "many":
        return mapped[0]
    return mapped


def mapping_table() -> list[dict[str, str]]:
    """The mapping, for the documentation and the import page: Sintas path, HTCDS field, label."""
    table = field_table()
    return [{"path": f.path, "htcds": f.htcds, "label": table[f.htcds]["label"]} for f in FIELDS]
