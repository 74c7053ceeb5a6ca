"""Filling the vault's linkage columns from the decrypted values, in batches (the data migration
``privacy.0002`` and ``manage.py linkage_keys_backfill``, which is also run after a change of
``SINTAS_HASH_KEY``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from survivors.linkage import IdentityProbe

from .keys import COLUMNS, keys_for


def _probe(identity: Any) -> IdentityProbe:
    survivor = identity.survivor
    birth = dt.date.fromisoformat(identity.birth_date) if identity.birth_date else None
    return IdentityProbe(full_name=identity.full_name or "", birth_date=birth,
                         province_code=survivor.origin_province_id or "", regency_code=survivor.origin_regency_id or "")


def identity_keys_backfill(identity_model: Any, *, batch: int = 500, only_missing: bool = False) -> int:
    """Recompute the linkage keys of every vault entry (or those without any). Returns how many."""
    qs = identity_model.objects.select_related("survivor").order_by("pk")
    if only_missing:
        qs = qs.filter(name_key_hash="")
    done = 0
    last = None
    while True:
        page = qs.filter(pk__gt=last) if last is not None else qs
        rows = list(page[:batch])
        if not rows:
            return done
        with transaction.atomic():
            for identity in rows:
                for column, value in keys_for(_probe(identity)).items():
                    setattr(identity, column, value)
            identity_model.objects.bulk_update(rows, list(COLUMNS))
        done += len(rows)
        last = rows[-1].pk
