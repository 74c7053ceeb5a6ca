"""Consent records and the pseudonymous survivor through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from api.tests.conftest import ids, token_client
from audit.models import AccessLogEntry
from conftest import Personas
from survivors.models import ConsentRecord, Guardian
from survivors.services import ConsentInput, consent_record

CASES = "/api/v1/cases/"
SURVIVORS = "/api/v1/survivors/"


def consents_url(case: Any, suffix: str = "") -> str:
    return f"{CASES}{case.pk}/consents/{suffix}"


def consent_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "purpose": "case_management",
        "lawful_basis": "consent",
        "given_by": "survivor",
        "given_on": "2026-03-02",
    }
    body.update(overrides)
    return body


def test_consent_create_list_withdraw(personas: Personas) -> None:
    client = token_client(personas.a_caseworker)
    created = client.post(consents_url(personas.case_a), consent_body(), format="json")
    assert created.status_code == 201, created.json()
    record = created.json()
    assert (record["purpose"], record["version"], record["active"]) == ("case_management", 1, True)
    assert record["recorded_by"] == personas.a_caseworker.pk

    listed = token_client(personas.a_psychologist).get(consents_url(personas.case_a))
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()] == [record["id"]]

    withdraw_url = consents_url(personas.case_a, f"{record['id']}/withdraw/")
    missing_reason = client.post(withdraw_url, {"reason": ""}, format="json")
    assert missing_reason.status_code == 400 and "reason" in missing_reason.json()
    withdrawn = client.post(withdraw_url, {"reason": "Survivor asked to stop."}, format="json")
    assert withdrawn.status_code == 200, withdrawn.json()
    assert withdrawn.json()["active"] is False
    assert withdrawn.json()["withdrawn_at"] is not None
    assert withdrawn.json()["withdrawal_reason"] == "Survivor asked to stop."
    again = client.post(withdraw_url, {"reason": "twice"}, format="json")
    assert again.status_code == 400
    assert ConsentRecord.objects.filter(pk=record["id"]).exists()  # withdrawal keeps the record


def test_consent_versions_are_all_listed(personas: Personas) -> None:
    client = token_client(personas.a_caseworker)
    first = client.post(consents_url(personas.case_a), consent_body(), format="json").json()
    second = client.post(consents_url(personas.case_a), consent_body(supersedes=first["id"]), format="json")
    assert second.status_code == 201, second.json()
    assert (second.json()["version"], second.json()["supersedes"]) == (2, first["id"])
    stale = client.post(consents_url(personas.case_a), consent_body(supersedes=first["id"]), format="json")
    assert stale.status_code == 400
    listed = client.get(consents_url(personas.case_a)).json()
    assert [r["version"] for r in listed] == [2, 1]


def test_consent_validation_errors(personas: Personas, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 12, 6, 22, 30, tzinfo=dt.UTC), tick=False)  # 7 December in Kupang
    client = token_client(personas.a_caseworker)
    response = client.post(consents_url(personas.case_a), consent_body(lawful_basis="legal_obligation"),
                           format="json")
    assert response.status_code == 400 and "basis_reason" in response.json()
    response = client.post(consents_url(personas.case_a), consent_body(given_by="guardian"), format="json")
    assert response.status_code == 400 and "guardian" in response.json()
    future = "2026-12-10"
    response = client.post(consents_url(personas.case_a), consent_body(given_on=future), format="json")
    assert response.status_code == 400 and "given_on" in response.json()
    response = client.post(consents_url(personas.case_a), consent_body(purpose="x"), format="json")
    assert response.status_code == 400 and "purpose" in response.json()
    assert not ConsentRecord.objects.exists()


def test_guardian_consent_uses_guardian_from_identity(personas: Personas) -> None:
    guardian = Guardian.objects.create(survivor=personas.case_a.survivor, full_name="Ibu Maria", relationship="mother")
    client = token_client(personas.a_caseworker)
    identity = client.get(f"{CASES}{personas.case_a.pk}/identity/").json()
    assert [g["id"] for g in identity["guardians"]] == [str(guardian.pk)]
    response = client.post(consents_url(personas.case_a),
                           consent_body(given_by="guardian", guardian=str(guardian.pk)), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["guardian"] == str(guardian.pk)


def test_withdraw_consent_of_another_survivor_is_404(personas: Personas) -> None:
    other = consent_record(actor=personas.b_caseworker, case=personas.case_b, data=ConsentInput(
        purpose="case_management", lawful_basis="consent", given_by="survivor", given_on=dt.date(2026, 3, 2)))
    response = token_client(personas.a_caseworker).post(
        consents_url(personas.case_a, f"{other.pk}/withdraw/"), {"reason": "x"}, format="json")
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.withdrawn_at is None
    # and the other organisation's case is not reachable through its own URL either
    response = token_client(personas.a_caseworker).post(
        consents_url(personas.case_b, f"{other.pk}/withdraw/"), {"reason": "x"}, format="json")
    assert response.status_code == 404


def test_supervisor_may_record_consent_psychologist_may_not(personas: Personas) -> None:
    assert token_client(personas.a_supervisor).post(
        consents_url(personas.case_a), consent_body(), format="json").status_code == 201
    assert token_client(personas.a_psychologist).post(
        consents_url(personas.case_a), consent_body(), format="json").status_code == 404


# --- survivors ------------------------------------------------------------------------------------


def test_survivor_list_and_detail(personas: Personas) -> None:
    client = token_client(personas.a_caseworker)
    survivor = personas.case_a.survivor
    listed = client.get(SURVIVORS)
    assert listed.status_code == 200
    assert ids(listed) == {str(survivor.pk)}
    row = listed.json()["results"][0]
    assert set(row) == {
        "id", "code", "sex", "age_band", "is_child_at_identification", "is_child_at_exploitation",
        "origin_province", "origin_regency", "nationality", "case_ids",
    }
    assert row["case_ids"] == [str(personas.case_a.pk)]
    assert (row["origin_province"], row["origin_regency"], row["nationality"]) == ("53", "53.71", "ID")
    assert ids(client.get(SURVIVORS, {"code": survivor.code})) == {str(survivor.pk)}
    assert ids(client.get(SURVIVORS, {"code": personas.case_b.survivor.code})) == set()

    before = AccessLogEntry.objects.count()
    detail = client.get(f"{SURVIVORS}{survivor.pk}/")
    assert detail.status_code == 200
    assert detail.json()["code"] == survivor.code
    assert AccessLogEntry.objects.count() == before + 1
    entry = AccessLogEntry.objects.latest("id")
    assert (entry.what, entry.survivor_id) == (AccessLogEntry.What.API_SURVIVOR, survivor.pk)
    assert "Sari" not in detail.content.decode()


def test_survivors_outside_scope(personas: Personas) -> None:
    survivor = personas.case_a.survivor
    for persona in ("b_caseworker", "b_supervisor", "a_caseworker2", "a_me", "a_admin", "platform", "outsider"):
        client = token_client(personas.users[persona])
        assert str(survivor.pk) not in ids(client.get(SURVIVORS)), persona
        assert client.get(f"{SURVIVORS}{survivor.pk}/").status_code == 404, persona
    assert ids(token_client(personas.a_supervisor).get(SURVIVORS)) == {str(survivor.pk)}
