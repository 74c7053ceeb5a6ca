"""Fixtures of the livelihood room: a training centre and an employer with their publishers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from accounts.models import Organisation, Role
from conftest import Personas, make_user
from livelihood import services


@pytest.fixture(autouse=True)
def _march(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 11, 2, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def provider(db: Any) -> Any:
    org = Organisation.objects.create(name="BLK Kupang", kind="training", region_id="53.71", time_zone="Asia/Makassar")
    return make_user("blk_officer", org, [Role.LIVELIHOOD_OFFICER])


@pytest.fixture
def employer(db: Any) -> Any:
    org = Organisation.objects.create(name="CV Tenun Ina", kind="employer", region_id="53.71",
                                      time_zone="Asia/Makassar")
    return make_user("employer_officer", org, [Role.LIVELIHOOD_OFFICER])


TRAINING = {"kind": "training", "status": "open", "title": "Pelatihan menjahit", "sector": "C_Manufacturing",
            "skills": ["sewing"], "region": "53.71", "places_free": 2, "start_date": dt.date(2026, 4, 1),
            "end_date": dt.date(2026, 6, 30), "hours_per_week": 20, "certification": "Sertifikat BNSP"}
VACANCY = {"kind": "vacancy", "status": "open", "title": "Penjahit", "sector": "C_Manufacturing",
           "skills": ["sewing"], "region": "53.71", "places_free": 3, "employer_name": "CV Tenun Ina",
           "monthly_wage": 3_000_000, "contract_type": "pkwt", "bpjs_registered": True, "hours_per_week": 40,
           "accommodation": "none"}


@pytest.fixture
def training(provider: Any) -> Any:
    return services.opportunity_save(actor=provider, opportunity=None, version=None, values=dict(TRAINING))


@pytest.fixture
def vacancy(employer: Any) -> Any:
    return services.opportunity_save(actor=employer, opportunity=None, version=None, values=dict(VACANCY))


def partner(org: Any) -> Any:
    """List ``org`` in the partner directory, providing economic empowerment (so it can be referred to)."""
    from care.models import OrganisationService, Service
    from partners.models import PartnerProfile

    OrganisationService.objects.get_or_create(organisation=org, service=Service.objects.get(code="economic_empowerment"))
    PartnerProfile.objects.get_or_create(organisation=org, defaults={"national": True})
    return org


def consent_naming(p: Any, org: Any, *, case: Any = None, actor: Any = None) -> Any:
    """The survivor's consent to a referral to ``org``."""
    from survivors.services import ConsentInput, consent_record

    return consent_record(actor=actor or p.a_caseworker, case=case or p.case_a, data=ConsentInput(
        purpose="referral", lawful_basis="consent", given_by="survivor", given_on=dt.date(2026, 3, 2),
        recipient_organisation_id=org.pk))


def refer(p: Any, org: Any, *, case: Any = None, actor: Any = None, accept_by: Any = None) -> Any:
    """A referral of the case to ``org`` for economic empowerment (its consent first), accepted by
    ``accept_by`` when given."""
    from referrals.services import ReferralInput, referral_accept, referral_send

    partner(org)
    consent_naming(p, org, case=case, actor=actor)
    referral = referral_send(actor=actor or p.a_caseworker, case=case or p.case_a, data=ReferralInput(
        recipient_organisation_id=org.pk, service="economic_empowerment", template="training",
        fields=["survivor.age_band", "referral.skills_interests"], texts={"referral.skills_interests": "Menjahit"}))
    if accept_by is not None:
        referral = referral_accept(actor=accept_by, referral=referral)
    return referral


def placement_input(**kw: Any) -> services.PlacementInput:
    base: dict[str, Any] = {"employer_name": "CV Tenun Ina", "sector": "C_Manufacturing", "region": "53.71",
                            "started_on": dt.date(2026, 3, 2), "monthly_wage": 3_000_000, "hours_per_week": 40,
                            "contract_type": "pkwt", "bpjs_registered": True}
    return services.PlacementInput(**{**base, **kw})


__all__ = ["Personas"]
