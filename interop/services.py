"""HTCDS 2.0 import into a new case, and the case-level export (non-identity fields only)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from access import policy
from access.policy import Action
from accounts.models import Organisation
from audit.models import AccessLogEntry, ChangeRecord
from audit.services import access_log_write, snapshot
from cases.models import Case
from cases.services import DATE_FIELDS, INTAKE_FIELDS, case_intake_update
from core import clock
from survivors import lawful_use
from survivors.services import RegistrationInput, survivor_register

from . import conf
from .htcds import EXTENSION_KEY, FIELDS_BY_PATH, NOT_IMPORTED_KEY, htcds_to_values, packet_to_htcds

# What the case-level export carries: the survivor's pseudonymous attributes and the intake, never the
# identity and never free text (intake notes may name people).
SURVIVOR_EXPORT_FIELDS = ("sex", "age_band", "nationality", "is_child_at_identification", "is_child_at_exploitation",
                          "origin_province", "origin_regency")
CASE_EXPORT_FIELDS = tuple(f for f in INTAKE_FIELDS if f != "intake_notes")

# Packet keys the import uses to register the survivor (RegistrationInput attribute for each).
REGISTRATION_KEYS = {
    "survivor.sex": "sex",
    "survivor.age_band": "age_band",
    "survivor.nationality": "nationality",
    "survivor.origin_province": "origin_province",
    "survivor.origin_regency": "origin_regency",
    "identity.birth_date": "birth_date",
    "identity.nik": "nik",
    "identity.phone_numbers": "phone_numbers",
    "identity.address": "address",
    "case.channel": "channel",
    "case.identified_on": "identified_on",
    "case.identification_region": "identification_region",
}
NAME_KEYS = ("identity.first_name", "identity.second_name")
# Derived by Sintas from the age band and the dates; accepted and not needed.
DERIVED_KEYS = ("survivor.is_child_at_identification", "survivor.is_child_at_exploitation")
INTAKE_KEYS = {f"case.{name}": name for name in INTAKE_FIELDS if f"case.{name}" not in REGISTRATION_KEYS}


def case_packet(case: Case) -> dict[str, Any]:
    """The case's own non-identity fields as a packet (Sintas dotted path -> Sintas code)."""
    values: dict[str, Any] = {}
    for name, value in snapshot(case.survivor, list(SURVIVOR_EXPORT_FIELDS)).items():
        values[f"survivor.{name}"] = value
    for name, value in snapshot(case, list(CASE_EXPORT_FIELDS)).items():
        values[f"case.{name}"] = value
    return values


def case_export(case: Case) -> dict[str, Any]:
    """An HTCDS 2.0 document of the case: the conversion only. Pages and the API call
    ``case_export_to``, which applies the lawful basis and writes the logs."""
    return packet_to_htcds(case_packet(case))


EXPORT_LOG_MODEL = "interop.htcdsexport"


def export_recipients(case: Case) -> QuerySet[Organisation]:
    """Organisations a case may be exported to: every active one but the lead organisation."""
    return Organisation.objects.filter(is_active=True).exclude(pk=case.lead_organisation_id).order_by("name")


def case_export_to(*, actor: Any, case: Case, recipient_organisation_id: Any, lawful_basis: str,
                   consent_id: Any = None, basis_reason: str = "", request: Any = None) -> dict[str, Any]:
    """The case as an HTCDS 2.0 document for another organisation's system, on a lawful basis
    (``survivors.lawful_use.sharing_basis``: a consent in force for a referral or data sharing that
    names the recipient, or a legal obligation or vital interest with its reason).

    Every attempt is written to the change history (``interop.htcdsexport``: recipient, basis,
    consent record, reason, and whether it was exported or refused). A refusal raises
    ValidationError (field -> messages) and shows nothing; an export is also written to the access
    log. Someone who may not view the case gets Http404, as for a case that does not exist.
    """
    if not policy.can(actor, Action.VIEW, case):
        raise Http404
    rid = str(recipient_organisation_id or "")
    recipient = export_recipients(case).filter(pk=int(rid)).first() if rid.isdigit() and len(rid) < 19 else None
    today = clock.now().astimezone(ZoneInfo(case.lead_organisation.time_zone)).date()
    try:
        if recipient is None:
            raise ValidationError({"recipient_organisation": [_("Choose the organisation that receives the case.")]})
        basis = lawful_use.sharing_basis(
            survivor_id=case.survivor_id, recipient_id=recipient.pk, recipient_name=recipient.name,
            lawful_basis=lawful_basis, consent_id=consent_id, reason=basis_reason, on=today)
    except ValidationError as exc:
        _export_log(actor=actor, case=case, recipient=recipient, lawful_basis=lawful_basis, consent=None,
                    reason=(basis_reason or "").strip()[:lawful_use.REASON_MAX], refused=exc)
        raise
    with transaction.atomic():
        doc = case_export(case)
        _export_log(actor=actor, case=case, recipient=recipient, lawful_basis=basis.lawful_basis,
                    consent=basis.consent, reason=basis.reason)
        access_log_write(user=actor, what=AccessLogEntry.What.EXPORT, case_id=case.pk,
                         survivor_id=case.survivor_id, request=request)
    return doc


def _export_log(*, actor: Any, case: Case, recipient: Organisation | None, lawful_basis: str,
                consent: Any, reason: str, refused: ValidationError | None = None) -> None:
    messages = [str(m) for m in refused.messages] if refused is not None else []
    ChangeRecord.objects.create(
        actor=actor, model=EXPORT_LOG_MODEL, object_id=str(case.pk), action=ChangeRecord.Action.CREATE,
        case_id=case.pk, changes={
            "format": [None, "HTCDS 2.0"],
            "recipient_organisation": [None, recipient.pk if recipient else None],
            "lawful_basis": [None, str(lawful_basis or "")[:20]],
            "consent": [None, str(consent.pk) if consent is not None else None],
            "basis_reason": [None, reason],
            "outcome": [None, "refused" if refused is not None else "exported"],
            **({"refused_because": [None, messages]} if refused is not None else {}),
        },
    )


def document_key(path: str) -> str:
    """Where a packet key sits in an HTCDS document: its HTCDS field, or the extension."""
    field = FIELDS_BY_PATH.get(path)
    return field.htcds if field else f"{EXTENSION_KEY}.{path}"


def unused_keys(values: dict[str, Any]) -> list[str]:
    """Document entries an import does not store (HTCDS fields Sintas does not keep, foreign extension keys)."""
    used = set(REGISTRATION_KEYS) | set(NAME_KEYS) | set(DERIVED_KEYS) | set(INTAKE_KEYS)
    unused = [document_key(k) for k in values if k not in used and k != NOT_IMPORTED_KEY]
    return sorted([*values.get(NOT_IMPORTED_KEY, []), *unused])


def document_parse(raw: bytes) -> dict[str, Any]:
    """Size, encoding and JSON checks of an uploaded document, before anything else."""
    limit = conf.import_max_bytes()
    if len(raw) > limit:
        raise ValidationError(_("The file is larger than %(kb)d KB.") % {"kb": limit // 1024})
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ValidationError(_("The file is not UTF-8 text.")) from exc
    except json.JSONDecodeError as exc:
        raise ValidationError(_("The file is not valid JSON (line %(line)d, column %(col)d).")
                              % {"line": exc.lineno, "col": exc.colno}) from exc
    if not isinstance(doc, dict):
        raise ValidationError(_("The document must be a JSON object of HTCDS fields."))
    return doc


def _has_lone_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def _lone_surrogates(value: Any, where: str) -> list[str]:
    """The document keys (top-level HTCDS field names) whose names or values hold a lone surrogate."""
    if isinstance(value, str):
        return [where] if _has_lone_surrogate(value) else []
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            key_text = str(key)
            here = where or key_text
            if _has_lone_surrogate(key_text):
                found.append(where or "document")
            found += _lone_surrogates(item, here)
    elif isinstance(value, list):
        for item in value:
            found += _lone_surrogates(item, where)
    return sorted(set(found))


def _date(errors: dict[str, list[str]], path: str, value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.setdefault(document_key(path), []).append(_("This is not a date (YYYY-MM-DD): %(value)s.")
                                                        % {"value": value})
        return None


def _relabel(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """A service's errors keyed by the document's field names, so the sender can find them."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(k, k): v for k, v in exc.message_dict.items()})


def case_import(actor: Any, doc: dict[str, Any], *, channel: str = "", lead_caseworker_id: int | None = None,
                guardian_override_reason: str = "") -> Case:
    """Register a survivor and open a case in the actor's organisation from an HTCDS 2.0 document.

    Everything goes through ``survivors.services.survivor_register`` and ``cases.services.case_intake_update``
    in one transaction: an unknown field or picklist value, or any invalid data, raises ValidationError
    (document field name -> messages) and nothing is saved. ``channel`` is used when the document does
    not carry ``case.channel`` in its extension (HTCDS has no field for it).
    """
    bad_text = _lone_surrogates(doc, "")
    if bad_text or _has_lone_surrogate(guardian_override_reason):
        # JSON may escape half of a UTF-16 pair ("\ud800"): valid JSON, but not text; it could be
        # neither encrypted nor stored, so the whole document is refused before anything is written.
        message = _("This is not valid text: it contains half of a UTF-16 character pair (such as \\ud800).")
        raise ValidationError({key or "document": [message] for key in (bad_text or ["guardian_override_reason"])})
    values = htcds_to_values(doc)
    errors: dict[str, list[str]] = {}
    first = str(values.get("identity.first_name") or "").strip()
    second = str(values.get("identity.second_name") or "").strip()
    full_name = " ".join(p for p in (first, second) if p)
    if not full_name:
        errors.setdefault("prs_FirstName", []).append(
            _("A name is needed to register the survivor (the name they use is enough)."))
    reg: dict[str, Any] = {}
    for path, attr in REGISTRATION_KEYS.items():
        if path in values and values[path] not in (None, ""):
            reg[attr] = values[path]
    for path in ("identity.birth_date", "case.identified_on"):
        attr = REGISTRATION_KEYS[path]
        if attr in reg:
            reg[attr] = _date(errors, path, reg[attr])
    reg.setdefault("identified_on", clock.today())
    reg.setdefault("sex", "unknown")
    if not reg.get("channel"):
        if channel:
            reg["channel"] = channel
        else:
            errors.setdefault("channel", []).append(
                _("The document does not say how the survivor came to you: choose the channel."))
    for key in ("nik", "phone_numbers", "address", "nationality", "age_band", "origin_province", "origin_regency",
                "identification_region"):
        if key in reg:
            reg[key] = str(reg[key])
    intake: dict[str, Any] = {}
    for path, name in INTAKE_KEYS.items():
        if path in values:
            value = values[path]
            intake[name] = _date(errors, path, value) if name in DATE_FIELDS else value
    if errors:
        raise ValidationError(errors)

    names = {attr: document_key(path) for path, attr in REGISTRATION_KEYS.items()}
    names["full_name"] = "prs_FirstName"
    names.update({name: document_key(path) for path, name in INTAKE_KEYS.items()})
    with transaction.atomic():
        try:
            case: Case = survivor_register(actor=actor, data=RegistrationInput(
                full_name=full_name, lead_caseworker_id=lead_caseworker_id,
                guardian_override_reason=guardian_override_reason, **reg))
        except ValidationError as exc:
            raise _relabel(exc, names) from exc
        if intake:
            try:
                case_intake_update(actor=actor, case=case, values=intake)
            except ValidationError as exc:
                raise _relabel(exc, names) from exc
        ChangeRecord.objects.create(
            actor=actor, model="interop.htcdsimport", object_id=str(case.pk), action=ChangeRecord.Action.CREATE,
            changes={"source": [None, "HTCDS 2.0"], "generator": [None, str(doc.get("x_generator", ""))[:100]]},
            case_id=case.pk,
        )
    return case
