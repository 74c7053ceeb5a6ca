"""Consent and lawful basis as versioned records (UU 27/2022)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import Personas, login, register_case
from survivors.models import ConsentRecord
from survivors.selectors import consent_is_active
from survivors.services import ConsentInput, GuardianInput, consent_record, consent_withdraw

TODAY = dt.date(2026, 3, 3)


def _child_case(p: Personas, *, suspect: bool = False) -> object:
    return register_case(p.a_caseworker, name="Anak", birth_date=dt.date(2013, 8, 1),
                         guardian=GuardianInput(full_name="Bapak", relationship="father", is_suspect=suspect))


def test_adult_consents_for_themself(personas: Personas) -> None:
    record = consent_record(actor=personas.a_caseworker, case=personas.case_a, data=ConsentInput(
        purpose="referral", lawful_basis="consent", given_by="survivor", given_on=TODAY,
        recipient_organisation_id=personas.org_c.pk, scope="health needs only", expires_on=dt.date(2027, 3, 3)))
    assert record.version == 1 and consent_is_active(record, on=dt.date(2026, 6, 1))
    assert not consent_is_active(record, on=dt.date(2027, 3, 3))


def test_child_consent_comes_from_a_guardian_who_is_not_a_suspect(personas: Personas) -> None:
    case = _child_case(personas)
    with pytest.raises(ValidationError) as exc:
        consent_record(actor=personas.a_caseworker, case=case, data=ConsentInput(
            purpose="case_management", lawful_basis="consent", given_by="survivor", given_on=TODAY))
    assert "given_by" in exc.value.message_dict
    guardian = case.survivor.guardians.get()  # type: ignore[attr-defined]
    record = consent_record(actor=personas.a_caseworker, case=case, data=ConsentInput(
        purpose="case_management", lawful_basis="consent", given_by="guardian", guardian_id=guardian.pk,
        given_on=TODAY))
    assert record.guardian == guardian


def test_suspect_guardian_cannot_consent_and_override_needs_a_reason(personas: Personas) -> None:
    case = _child_case(personas, suspect=True)
    guardian = case.survivor.guardians.get()  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as exc:
        consent_record(actor=personas.a_caseworker, case=case, data=ConsentInput(
            purpose="case_management", lawful_basis="consent", given_by="guardian", guardian_id=guardian.pk,
            given_on=TODAY))
    assert "guardian" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        consent_record(actor=personas.a_caseworker, case=case, data=ConsentInput(
            purpose="case_management", lawful_basis="consent", given_by="override", given_on=TODAY))
    assert "basis_reason" in exc.value.message_dict
    record = consent_record(actor=personas.a_caseworker, case=case, data=ConsentInput(
        purpose="case_management", lawful_basis="consent", given_by="override", given_on=TODAY,
        basis_reason="Father named as recruiter in the police report; decision of the UPTD PPA head."))
    assert record.given_by == "override"


def test_other_bases_need_their_legal_reason(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        consent_record(actor=personas.a_caseworker, case=personas.case_a, data=ConsentInput(
            purpose="case_management", lawful_basis="legal_obligation", given_by="not_applicable", given_on=TODAY))
    assert "basis_reason" in exc.value.message_dict
    record = consent_record(actor=personas.a_caseworker, case=personas.case_a, data=ConsentInput(
        purpose="case_management", lawful_basis="legal_obligation", given_by="survivor", given_on=TODAY,
        basis_reason="UU 21/2007 Pasal 51-52"))
    assert record.given_by == "not_applicable"


def test_new_version_supersedes_and_withdrawal_is_recorded_once(personas: Personas) -> None:
    first = consent_record(actor=personas.a_caseworker, case=personas.case_a, data=ConsentInput(
        purpose="photo", lawful_basis="consent", given_by="survivor", given_on=TODAY))
    second = consent_record(actor=personas.a_caseworker, case=personas.case_a, supersedes=first, data=ConsentInput(
        purpose="photo", lawful_basis="consent", given_by="survivor", given_on=dt.date(2026, 4, 1)))
    assert second.version == 2 and second.supersedes == first
    with pytest.raises(ValidationError):  # only the latest version can be changed
        consent_record(actor=personas.a_caseworker, case=personas.case_a, supersedes=first, data=ConsentInput(
            purpose="photo", lawful_basis="consent", given_by="survivor", given_on=TODAY))
    with pytest.raises(ValidationError):
        consent_withdraw(actor=personas.a_caseworker, case=personas.case_a, record=second, reason="")
    withdrawn = consent_withdraw(actor=personas.a_caseworker, case=personas.case_a, record=second,
                                 reason="The survivor no longer wants a photo kept.")
    assert withdrawn.withdrawn_at is not None and not consent_is_active(withdrawn)
    with pytest.raises(ValidationError):
        consent_withdraw(actor=personas.a_caseworker, case=personas.case_a, record=withdrawn, reason="again")
    assert ConsentRecord.objects.filter(survivor=personas.case_a.survivor).count() == 2  # nothing deleted


def test_consent_pages(personas: Personas) -> None:
    client = login(Client(), personas.a_caseworker)
    url = reverse("cases:consent_new", kwargs={"case_id": personas.case_a.pk})
    response = client.post(url, {"purpose": "referral", "lawful_basis": "consent", "given_by": "survivor",
                                 "given_on": "2026-03-03", "recipient_organisation": personas.org_c.pk})
    assert response.status_code == 302
    record = ConsentRecord.objects.get(survivor=personas.case_a.survivor)
    page = client.get(reverse("cases:detail", kwargs={"case_id": personas.case_a.pk})).content.decode()
    assert personas.org_c.name in page
    response = client.post(reverse("cases:consent_withdraw", kwargs={"case_id": personas.case_a.pk,
                                                                     "consent_id": record.pk}), {"reason": "changed mind"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.withdrawal_reason == "changed mind"
    # a supervisor of the organisation may read but a psychologist on the team may not record consent
    assert login(Client(), personas.a_psychologist).get(url).status_code == 404
