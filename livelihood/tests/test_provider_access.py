"""The access matrix of enrolment (issue 13: "a training provider sees only its referral packets"):
another organisation's programme needs a referral of the case that the provider accepted, or the
survivor's consent naming the provider when they enrolled directly; the provider sees those only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import Organisation, Role
from api.tests.conftest import token_client
from conftest import login, make_user
from livelihood import selectors, services
from livelihood.models import Enrolment, Opportunity
from livelihood.services import NotAllowed

from .conftest import TRAINING, consent_naming, partner, refer

pytestmark = pytest.mark.django_db

MARCH_10 = dt.date(2026, 3, 10)


def _enrol(p: Any, training: Any, **kw: Any) -> Enrolment:
    return services.enrolment_create(actor=p.a_caseworker, case=p.case_a, opportunity_id=training.pk,
                                     enrolled_on=MARCH_10, **kw)


def _listed(provider: Any) -> list[Any]:
    return list(selectors.enrolments_for_provider(provider).values_list("case_id", flat=True))


def test_no_referral_no_enrolment(personas: Any, provider: Any, training: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        _enrol(personas, training)
    assert "BLK Kupang" in exc.value.message_dict["opportunity"][0]
    refer(personas, provider.organisation)  # sent, not yet accepted: still refused
    with pytest.raises(ValidationError):
        _enrol(personas, training)
    assert not Enrolment.objects.exists()
    assert Opportunity.objects.get(pk=training.pk).places_free == 2  # nothing half-saved


def test_an_accepted_referral_lets_the_provider_see_the_survivor(personas: Any, provider: Any, training: Any) -> None:
    referral = refer(personas, provider.organisation, accept_by=provider)
    enrolment = _enrol(personas, training)
    assert (enrolment.referral_id, enrolment.basis) == (referral.pk, "referral")
    assert _listed(provider) == [personas.case_a.pk]
    page = login(Client(), provider).get(reverse("livelihood:provider_enrolments")).content.decode()
    assert personas.case_a.survivor.code in page and "rujukan yang Anda terima" in page
    services.enrolment_complete(actor=provider, enrolment=enrolment, completed_on=MARCH_10)


def test_withdrawing_the_referrals_consent_hides_the_enrolment(personas: Any, provider: Any, training: Any) -> None:
    from survivors.models import ConsentRecord
    from survivors.services import consent_withdraw

    p = personas
    referral = refer(p, provider.organisation, accept_by=provider)
    enrolment = _enrol(p, training)
    consent = ConsentRecord.objects.get(pk=referral.consent_id)
    consent_withdraw(actor=p.a_caseworker, case=p.case_a, record=consent, reason="Tidak mau lagi")
    assert _listed(provider) == []  # the withdrawal revoked the referral
    url = reverse("livelihood:enrolment_complete", kwargs={"enrolment_id": enrolment.pk})
    assert login(Client(), provider).get(url).status_code == 404


def test_a_referral_to_another_provider_does_not_count(personas: Any, provider: Any, training: Any) -> None:
    other = Organisation.objects.create(name="LPK Lain", kind="training", region_id="53.71", time_zone="Asia/Makassar")
    other_officer = make_user("lpk_officer", other, [Role.LIVELIHOOD_OFFICER])
    refer(personas, other, accept_by=other_officer)
    with pytest.raises(ValidationError):
        _enrol(personas, training)
    # another provider sees none of this provider's enrolments
    refer(personas, provider.organisation, accept_by=provider)
    _enrol(personas, training)
    assert _listed(other_officer) == []


def test_a_direct_enrolment_needs_the_consent_naming_the_provider(personas: Any, provider: Any,
                                                                  training: Any) -> None:
    p = personas
    with pytest.raises(ValidationError) as exc:
        _enrol(p, training, direct=True)
    assert "BLK Kupang" in exc.value.message_dict["direct"][0]
    partner(provider.organisation)
    consent = consent_naming(p, provider.organisation)
    enrolment = _enrol(p, training, direct=True)
    assert (enrolment.direct_consent_id, enrolment.basis) == (consent.pk, "direct")
    assert _listed(provider) == [p.case_a.pk]
    # The survivor withdraws that consent: the provider no longer sees the enrolment (404), the team still does.
    from survivors.services import consent_withdraw

    consent_withdraw(actor=p.a_caseworker, case=p.case_a, record=consent, reason="Tidak mau lagi")
    assert _listed(provider) == []
    client = login(Client(), provider)
    assert client.get(reverse("livelihood:enrolment_complete", kwargs={"enrolment_id": enrolment.pk})).status_code == 404
    with pytest.raises(NotAllowed):
        services.enrolment_complete(actor=provider, enrolment=Enrolment.objects.get(pk=enrolment.pk),
                                    completed_on=MARCH_10)
    services.enrolment_complete(actor=p.a_caseworker, enrolment=Enrolment.objects.get(pk=enrolment.pk),
                                completed_on=MARCH_10)


def test_an_enrolment_without_a_basis_stays_hidden_from_the_provider(personas: Any, provider: Any,
                                                                     training: Any) -> None:
    """What the first builder allowed (and data recorded before the rule): no referral, no consent."""
    legacy = Enrolment.objects.create(case=personas.case_a, opportunity=training, enrolled_on=MARCH_10,
                                      recorded_by=personas.a_caseworker)
    assert _listed(provider) == []
    url = reverse("livelihood:enrolment_complete", kwargs={"enrolment_id": legacy.pk})
    assert login(Client(), provider).get(url).status_code == 404
    assert token_client(provider).post(f"/api/v1/livelihood/enrolments/{legacy.pk}/complete/",
                                       {"completed_on": "2026-03-10"}, format="json").status_code == 404


def test_the_lead_organisations_own_programme_needs_no_referral(personas: Any) -> None:
    p = personas
    own = services.opportunity_save(actor=p.a_livelihood, opportunity=None, version=None,
                                    values={**TRAINING, "title": "Pelatihan kami"})
    enrolment = _enrol(p, own)
    assert enrolment.basis == ""
    assert _listed(p.a_livelihood) == [p.case_a.pk]


def test_the_api_enrols_directly_with_consent(personas: Any, provider: Any, training: Any) -> None:
    p = personas
    client = token_client(p.a_caseworker)
    url = f"/api/v1/cases/{p.case_a.pk}/livelihood/enrolments/"
    body = {"opportunity": training.pk, "enrolled_on": "2026-03-10", "direct": True}
    refused = client.post(url, body, format="json")
    assert refused.status_code == 400 and "direct" in refused.json()
    consent = consent_naming(p, provider.organisation)
    made = client.post(url, body, format="json")
    assert made.status_code == 201
    assert (made.json()["basis"], made.json()["direct_consent"]) == ("direct", str(consent.pk))


def test_the_form_records_a_direct_enrolment(personas: Any, provider: Any, training: Any) -> None:
    p = personas
    consent_naming(p, provider.organisation)
    client = login(Client(), p.a_caseworker)
    url = reverse("livelihood:enrolment_new", kwargs={"case_id": p.case_a.pk})
    refused = client.post(url, {"opportunity": training.pk, "enrolled_on": "2026-03-10"})
    assert refused.status_code == 200 and refused.context["form"].errors["opportunity"]
    assert client.post(url, {"opportunity": training.pk, "enrolled_on": "2026-03-10", "direct": "on"}).status_code == 302
    assert Enrolment.objects.get().basis == "direct"
