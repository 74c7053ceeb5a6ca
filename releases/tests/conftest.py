"""Helpers for the releases tests: English messages, a releaser, synthetic cases in bulk, and the
CTDC extract (tests that need it skip where it is absent)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.utils import translation

from tests.shared_data import CTDC_EXTRACT

needs_extract = pytest.mark.skipif(not CTDC_EXTRACT.exists(), reason=f"CTDC extract not present at {CTDC_EXTRACT}")

# 2 June 2026, 10:00 UTC: after case_a's and case_b's identification (2 March 2026).
NOW = dt.datetime(2026, 6, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def clock_now(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    monkeypatch.setattr("core.clock.now", lambda: NOW)
    monkeypatch.setattr("core.clock.today", lambda: NOW.date())
    return NOW


def grant_release(user: Any) -> Any:
    user.user_permissions.add(Permission.objects.get(codename="make_release", content_type__app_label="releases"))
    return type(user).objects.get(pk=user.pk)  # fresh: the permission cache is per object


@pytest.fixture
def releaser(personas: Any, clock_now: Any) -> Any:
    """Organisation A's M&E officer, given the release permission."""
    return grant_release(personas.a_me)


_serial = itertools.count(1)


def consent_to_statistics(survivor_ids: list[Any], recorded_by: Any, *, given_on: dt.date = dt.date(2026, 3, 2),
                          expires_on: dt.date | None = None, lawful_basis: str = "consent") -> list[Any]:
    """A statistics consent (or another basis) for each survivor, in one insert."""
    from survivors.models import ConsentRecord

    not_consent = lawful_basis != "consent"
    return ConsentRecord.objects.bulk_create([
        ConsentRecord(survivor_id=sid, purpose="statistics", lawful_basis=lawful_basis,
                      given_by="not_applicable" if not_consent else "survivor",
                      basis_reason="UU 21/2007 Pasal 58" if not_consent else "",
                      given_on=given_on, expires_on=expires_on, recorded_by=recorded_by)
        for sid in survivor_ids
    ])


def make_cases(org: Any, lead: Any, n: int, *, identified_on: dt.date = dt.date(2026, 3, 2), statistics: bool = True,
               **attrs: Any) -> list[Any]:
    """``n`` synthetic survivors with one case each, straight into the tables (no identity: these
    test statistics), each with a statistics consent in force unless ``statistics`` is False.
    ``attrs``: survivor__sex, survivor__age_band, survivor__nationality and Case fields."""
    from cases.models import Case
    from survivors.models import Survivor

    survivor_attrs = {k.removeprefix("survivor__"): v for k, v in attrs.items() if k.startswith("survivor__")}
    case_attrs = {k: v for k, v in attrs.items() if not k.startswith("survivor__")}
    survivors = Survivor.objects.bulk_create([
        Survivor(code=f"SNT-T{next(_serial):07d}", sex=survivor_attrs.get("sex", "female"),
                 age_band=survivor_attrs.get("age_band", "18-20"),
                 is_child_at_identification=survivor_attrs.get("age_band", "18-20") in ("0-8", "9-17"),
                 nationality=survivor_attrs.get("nationality", "ID"), registered_by_organisation=org)
        for _ in range(n)
    ])
    if statistics:
        consent_to_statistics([s.pk for s in survivors], lead)
    return Case.objects.bulk_create([
        Case(survivor=s, lead_organisation=org, lead_caseworker=lead, identified_on=identified_on, channel="police",
             **case_attrs)
        for s in survivors
    ])


def en_client(user: Any) -> Any:
    """A signed-in client whose pages are in English (the msgids the tests assert)."""
    from django.conf import settings
    from django.test import Client

    from conftest import login

    client = login(Client(), user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
