"""Writing the change history and the access log. Service functions call these inside their
transaction, so a change and its history are saved together or not at all."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db import models
from django.http import HttpRequest

from core.concurrency import Versioned
from core.crypto import EncryptedBinaryField, EncryptedTextField

from .models import AccessLogEntry, ChangeRecord

REDACTED = "•••"


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, bytes):
        return REDACTED
    if hasattr(value, "code") and value.__class__.__name__ == "Country":
        return value.code or ""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The current values of a record's concrete fields (foreign keys as ids)."""
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if getattr(field, "auto_now", False):  # bookkeeping, not a change anyone made
            continue
        if field.name == "version" and isinstance(instance, Versioned):  # the save counter, likewise
            continue
        values[field.name] = _plain(getattr(instance, field.attname))
    return values


def history_record(
    *,
    actor: Any,
    instance: models.Model,
    action: str,
    before: dict[str, Any] | None = None,
    redact: frozenset[str] = frozenset(),
    case_id: Any = None,
) -> ChangeRecord | None:
    """Record one change. ``before`` is a snapshot taken before the change (None for a create).

    Fields in ``redact`` are recorded as changed without their values (identity data stays in the vault).
    Returns None when nothing changed.
    """
    after = snapshot(instance)
    # Encrypted fields (and keyed hashes of them) are always redacted, whoever calls this.
    redact = redact | {
        f.name
        for f in instance._meta.concrete_fields
        if isinstance(f, (EncryptedTextField, EncryptedBinaryField)) or f.name.endswith("_hash")
    }
    changes: dict[str, list[Any]] = {}
    for name, new in after.items():
        old = None if before is None else before.get(name)
        if before is not None and old == new:
            continue
        if before is None and new in (None, "", [], {}):
            continue
        if name in redact:
            changes[name] = [REDACTED if old not in (None, "") else None, REDACTED if new not in (None, "") else None]
        else:
            changes[name] = [old, new]
    if action == ChangeRecord.Action.UPDATE and not changes:
        return None
    return ChangeRecord.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        action=action,
        changes=changes,
        case_id=case_id,
    )


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def access_log_write(
    *,
    user: Any,
    what: str,
    case_id: Any = None,
    survivor_id: Any = None,
    request: HttpRequest | None = None,
) -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        user=user,
        organisation_id=getattr(user, "organisation_id", None),
        what=what,
        case_id=case_id,
        survivor_id=survivor_id,
        ip_address=client_ip(request),
    )
