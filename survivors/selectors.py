"""Reads of survivors and their consent records.

Which survivors a user may see follows from the cases they may see (``access.policy``); the
identity vault is read through ``survivors.display``, which writes the access log.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from access import policy

from .models import ConsentRecord, Identity, Survivor
from .validators import nik_hash, nik_normalise

if TYPE_CHECKING:
    from cases.models import Case


def survivors_visible_to(user: Any) -> QuerySet[Survivor]:
    """Survivors with at least one case the user may see, each with the ids of those cases only
    (``visible_cases``), newest first."""
    visible = policy.cases_visible_to(user)
    return (
        Survivor.objects.filter(pk__in=visible.values("survivor_id"))
        .prefetch_related(
            Prefetch("cases", queryset=policy.cases_visible_to(user).order_by("opened_at"), to_attr="visible_cases")
        )
        .order_by("-created_at", "id")
    )


def survivors_find_by_nik(nik: str) -> list[Any]:
    """Survivor ids with exactly this NIK (through the keyed hash; the NIK is never stored plain)."""
    normalised = nik_normalise(nik)
    if len(normalised) != 16 or not normalised.isdigit():
        return []
    return list(Identity.objects.filter(nik_hash=nik_hash(normalised)).values_list("survivor_id", flat=True))


def consents_of_case(case: Case) -> QuerySet[ConsentRecord]:
    """The consent and lawful-basis records of the case's survivor (every version). The caller has
    read the case through the access policy."""
    return ConsentRecord.objects.filter(survivor_id=case.survivor_id).select_related("recipient_organisation")


def consent_is_superseded(record: ConsentRecord) -> bool:
    return ConsentRecord.objects.filter(supersedes=record).exists()


def consent_is_active(record: ConsentRecord, *, on: dt.date | None = None) -> bool:
    on = on or timezone.localdate()
    if record.withdrawn_at is not None:
        return False
    if record.expires_on and record.expires_on <= on:
        return False
    return record.given_on <= on
