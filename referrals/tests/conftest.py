"""Fixtures of the referral tests: a partner health facility serving NTT, its caseworker, a consent
of case_a's survivor naming it, and a controlled clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import translation

from accounts.models import Organisation, Role
from care.models import OrganisationService, Service
from conftest import make_user
from partners.models import PartnerProfile, PartnerRegion

UTC = dt.UTC
# Thursday 5 March 2026, 11:00 in Kupang (WITA, UTC+8).
NOW = dt.datetime(2026, 3, 5, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def set_now(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.datetime], None]:
    def _set(moment: dt.datetime) -> None:
        monkeypatch.setattr("core.clock.now", lambda: moment)

    _set(NOW)
    return _set


def provide(org: Any, *codes: str) -> None:
    for code in codes:
        OrganisationService.objects.get_or_create(organisation=org, service=Service.objects.get(code=code))


def partner_org(name: str, kind: str, region: str, *, services: tuple[str, ...], regions: tuple[str, ...] = (),
                national: bool = False, **profile: Any) -> Organisation:
    org = Organisation.objects.create(name=name, kind=kind, region_id=region, time_zone="Asia/Makassar")
    provide(org, *services)
    p = PartnerProfile.objects.create(organisation=org, national=national, **profile)
    for code in regions:
        PartnerRegion.objects.create(profile=p, region_id=code)
    return org


@dataclass
class World:
    p: Any
    clinic: Organisation  # health facility serving all of NTT (province 53)
    nurse: Any  # its health worker
    nurse2: Any  # a colleague
    consent: Any  # case_a's consent for a referral to the clinic


def consent_for(p: Any, org: Organisation, *, expires_on: dt.date | None = None) -> Any:
    from survivors.services import ConsentInput, consent_record

    return consent_record(actor=p.a_caseworker, case=p.case_a, data=ConsentInput(
        purpose="referral", lawful_basis="consent", given_by="survivor", given_on=dt.date(2026, 3, 2),
        recipient_organisation_id=org.pk, expires_on=expires_on))


@pytest.fixture
def world(personas: Any, set_now: Any) -> World:
    clinic = partner_org("Klinik Sehat Kupang", "health", "53.71", services=("medical_care", "health_rehabilitation"),
                         regions=("53",), contact_email="klinik@example.org")
    nurse = make_user("clinic_nurse", clinic, [Role.HEALTH_WORKER], email="nurse@example.org")
    nurse2 = make_user("clinic_nurse2", clinic, [Role.CASEWORKER])
    return World(p=personas, clinic=clinic, nurse=nurse, nurse2=nurse2, consent=consent_for(personas, clinic))


def send(w: World, **overrides: Any) -> Any:
    from referrals.services import ReferralInput, referral_send

    data: dict[str, Any] = dict(recipient_organisation_id=w.clinic.pk, service="medical_care", template="health",
                fields=["identity.first_name", "survivor.age_band", "referral.health_needs"],
                texts={"referral.health_needs": "Sakit kepala berulang"})
    data.update(overrides)
    actor = data.pop("actor", w.p.a_caseworker)
    return referral_send(actor=actor, case=w.p.case_a, data=ReferralInput(**data))
