"""Cases through the API: the same policy and the same services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.tests.conftest import ids, token_client
from audit.models import AccessLogEntry
from cases.models import Case, CaseStatusChange
from conftest import Personas, register_case
from survivors.models import Identity, Survivor

CASES = "/api/v1/cases/"
IDENTITY_FIELDS = {"full_name", "aliases", "nik", "birth_date", "phone_numbers", "address", "photo"}


def case_url(case: Any, suffix: str = "") -> str:
    return f"{CASES}{case.pk}/{suffix}"


def registration(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "full_name": "Agus Salim",
        "sex": "male",
        "birth_date": "1990-01-15",
        "nik": "5371011501900003",
        "phone_numbers": "+6281300000000",
        "address": "Jl. Kenanga 7",
        "origin_province": "53",
        "origin_regency": "53.71",
        "nationality": "ID",
        "identified_on": "2026-03-01",
        "channel": "police",
    }
    data.update(overrides)
    return data


# --- list -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees_case_a"),
    [
        ("a_caseworker", True),
        ("a_psychologist", True),
        ("a_supervisor", True),
        ("a_caseworker2", False),
        ("a_health", False),
        ("a_me", False),
        ("a_admin", False),
        ("platform", False),
        ("outsider", False),
        ("b_supervisor", False),
    ],
)
def test_list_shows_only_visible_cases(personas: Personas, persona: str, sees_case_a: bool) -> None:
    response = token_client(personas.users[persona]).get(CASES)
    assert response.status_code == 200
    seen = ids(response)
    assert (str(personas.case_a.pk) in seen) is sees_case_a
    if persona.startswith("a_"):
        assert str(personas.case_b.pk) not in seen
    if not sees_case_a and persona != "b_supervisor":
        assert response.json()["count"] == 0


def test_list_row_is_pseudonymous(personas: Personas) -> None:
    response = token_client(personas.a_caseworker).get(CASES)
    row = response.json()["results"][0]
    assert row["survivor"]["code"] == personas.case_a.survivor.code
    assert row["lead_organisation"] == personas.org_a.pk
    assert row["lead_organisation_name"] == personas.org_a.name
    assert row["lead_caseworker"] == personas.a_caseworker.pk
    assert row["team_member_ids"] == sorted([personas.a_caseworker.pk, personas.a_psychologist.pk])
    assert not IDENTITY_FIELDS & set(row) and not IDENTITY_FIELDS & set(row["survivor"])
    body = response.content.decode()
    assert "Sari" not in body and "5371015204990001" not in body and "Melati" not in body


def test_list_filters_and_ordering(personas: Personas) -> None:
    second = register_case(personas.a_supervisor, name="Dewi", birth_date=dt.date(2000, 1, 1),
                           lead_caseworker_id=personas.a_caseworker.pk)
    client = token_client(personas.a_caseworker)
    assert ids(client.get(CASES)) == {str(personas.case_a.pk), str(second.pk)}
    assert ids(client.get(CASES, {"code": second.survivor.code.lower()})) == {str(second.pk)}
    assert ids(client.get(CASES, {"code": "SNT-XXXX-XXXX"})) == set()
    assert ids(client.get(CASES, {"status": "intake"})) == {str(personas.case_a.pk), str(second.pk)}
    assert ids(client.get(CASES, {"status": "closed"})) == set()
    assert client.get(CASES, {"status": "nonsense"}).status_code == 400
    oldest_first = client.get(CASES, {"ordering": "opened_at"}).json()["results"]
    assert [r["id"] for r in oldest_first] == [str(personas.case_a.pk), str(second.pk)]


def test_list_query_count_does_not_grow_with_cases(personas: Personas) -> None:
    client = token_client(personas.a_supervisor)
    client.get(CASES)  # warm-up (token last_used_at write)
    with CaptureQueriesContext(connection) as one:
        assert client.get(CASES).json()["count"] == 1
    for n in range(3):
        register_case(personas.a_caseworker, name=f"Orang {n}", birth_date=dt.date(1995, 1, n + 1))
    with CaptureQueriesContext(connection) as four:
        assert client.get(CASES).json()["count"] == 4
    assert len(four) == len(one)


# --- scope: 404 everywhere outside it -------------------------------------------------------------


def _endpoints(p: Personas) -> list[tuple[str, str, dict[str, Any]]]:
    from survivors.services import ConsentInput, consent_record

    consent = consent_record(actor=p.a_caseworker, case=p.case_a, data=ConsentInput(
        purpose="case_management", lawful_basis="consent", given_by="survivor", given_on=dt.date(2026, 3, 2)))
    a = p.case_a
    return [
        ("get", case_url(a), {}),
        ("patch", case_url(a), {"intake_notes": "x"}),
        ("post", case_url(a, "transition/"), {"to_status": "assessment", "reason": "x"}),
        ("get", case_url(a, "identity/"), {}),
        ("patch", case_url(a, "identity/"), {"aliases": "x"}),
        ("get", case_url(a, "consents/"), {}),
        ("post", case_url(a, "consents/"), {"purpose": "statistics", "lawful_basis": "public_task",
                                            "given_by": "not_applicable", "given_on": "2026-03-02",
                                            "basis_reason": "x"}),
        ("post", case_url(a, f"consents/{consent.pk}/withdraw/"), {"reason": "x"}),
        ("get", f"/api/v1/survivors/{a.survivor_id}/", {}),
    ]


@pytest.mark.parametrize("persona", ["b_caseworker", "b_supervisor", "outsider", "platform", "a_me", "a_admin",
                                     "a_caseworker2", "a_health"])
def test_every_endpoint_is_404_outside_scope(personas: Personas, persona: str) -> None:
    client = token_client(personas.users[persona])
    before = (Case.objects.get(pk=personas.case_a.pk).status, AccessLogEntry.objects.count())
    for method, url, body in _endpoints(personas):
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 404, (method, url, response.status_code)
        assert response.json() == {"detail": "Not found."}
    assert (Case.objects.get(pk=personas.case_a.pk).status, AccessLogEntry.objects.count()) == before


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "123"])
def test_unknown_or_malformed_ids_are_404(personas: Personas, bad_id: str) -> None:
    client = token_client(personas.a_caseworker)
    for url in (f"{CASES}{bad_id}/", f"{CASES}{bad_id}/identity/", f"{CASES}{bad_id}/consents/",
                f"/api/v1/survivors/{bad_id}/", case_url(personas.case_a, f"consents/{bad_id}/withdraw/")):
        method = client.post if url.endswith("withdraw/") else client.get
        response = method(url, {"reason": "x"}, format="json") if method == client.post else method(url)
        assert response.status_code == 404, url


def test_supervisor_not_on_team_sees_case_but_not_identity(personas: Personas) -> None:
    client = token_client(personas.a_supervisor)
    assert client.get(case_url(personas.case_a)).status_code == 200
    assert client.get(case_url(personas.case_a, "identity/")).status_code == 404
    assert client.patch(case_url(personas.case_a, "identity/"), {"aliases": "x"}, format="json").status_code == 404
    assert not AccessLogEntry.objects.filter(what=AccessLogEntry.What.API_IDENTITY).exists()


def test_team_member_without_edit_right_cannot_change(personas: Personas) -> None:
    client = token_client(personas.a_psychologist)
    assert client.get(case_url(personas.case_a)).status_code == 200
    assert client.patch(case_url(personas.case_a), {"intake_notes": "x"}, format="json").status_code == 404
    assert client.post(case_url(personas.case_a, "transition/"), {"to_status": "assessment", "reason": "x"},
                       format="json").status_code == 404


# --- detail, access log ---------------------------------------------------------------------------


def test_case_detail_writes_access_log(personas: Personas) -> None:
    response = token_client(personas.a_caseworker).get(case_url(personas.case_a))
    assert response.status_code == 200
    assert response.json()["id"] == str(personas.case_a.pk)
    assert not IDENTITY_FIELDS & set(response.json())
    entry = AccessLogEntry.objects.get(what=AccessLogEntry.What.API_CASE)
    assert (entry.user_id, entry.case_id, entry.organisation_id) == (
        personas.a_caseworker.pk, personas.case_a.pk, personas.org_a.pk)


def test_identity_get_writes_exactly_one_log_row(personas: Personas) -> None:
    before = AccessLogEntry.objects.count()
    response = token_client(personas.a_caseworker).get(case_url(personas.case_a, "identity/"))
    assert response.status_code == 200
    body = response.json()
    assert body["full_name"] == "Sari Wulandari"
    assert body["nik"] == "5371015204990001"
    assert body["birth_date"] == "1999-04-12"
    assert body["has_photo"] is False
    assert "photo" not in body
    assert AccessLogEntry.objects.count() == before + 1
    entry = AccessLogEntry.objects.latest("id")
    assert (entry.what, entry.user_id, entry.case_id, entry.survivor_id) == (
        AccessLogEntry.What.API_IDENTITY, personas.a_caseworker.pk, personas.case_a.pk, personas.case_a.survivor_id)


def test_identity_never_contains_photo_bytes(personas: Personas) -> None:
    identity = Identity.objects.get(survivor=personas.case_a.survivor)
    identity.photo, identity.photo_content_type = b"\x89PNG\r\n\x1a\nSECRETBYTES", "image/png"
    identity.save()
    response = token_client(personas.a_psychologist).get(case_url(personas.case_a, "identity/"))
    assert response.status_code == 200
    assert response.json()["has_photo"] is True
    assert b"SECRETBYTES" not in response.content


def test_identity_patch(personas: Personas) -> None:
    client = token_client(personas.a_caseworker)
    response = client.patch(case_url(personas.case_a, "identity/"), {"aliases": "Sari W.", "version": 1},
                            format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["aliases"] == "Sari W."
    assert response["ETag"] == '"2"' and response.json()["version"] == 2
    assert response.json()["full_name"] == "Sari Wulandari"  # untouched
    bad = client.patch(case_url(personas.case_a, "identity/"), {"nik": "12345", "version": 2}, format="json")
    assert bad.status_code == 400
    assert "nik" in bad.json()
    assert Identity.objects.get(survivor=personas.case_a.survivor).nik == "5371015204990001"


# --- register -------------------------------------------------------------------------------------


def test_register_opens_a_case(personas: Personas) -> None:
    client = token_client(personas.a_caseworker)
    response = client.post(CASES, registration(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "intake"
    assert body["lead_caseworker"] == personas.a_caseworker.pk
    assert body["survivor"]["code"].startswith("SNT-")
    assert body["survivor"]["age_band"] == "30-38"
    assert body["survivor"]["origin_regency"] == "53.71"
    assert not IDENTITY_FIELDS & set(body) and not IDENTITY_FIELDS & set(body["survivor"])
    case = Case.objects.get(pk=body["id"])
    assert case.survivor.identity.full_name == "Agus Salim"
    assert str(case.pk) in ids(client.get(CASES))


def test_register_with_malformed_nik_saves_nothing(personas: Personas) -> None:
    counts = (Survivor.objects.count(), Case.objects.count(), Identity.objects.count(),
              CaseStatusChange.objects.count())
    response = token_client(personas.a_caseworker).post(CASES, registration(nik="12345"), format="json")
    assert response.status_code == 400
    assert response.json()["nik"] == ["A NIK has exactly 16 digits."]
    assert (Survivor.objects.count(), Case.objects.count(), Identity.objects.count(),
            CaseStatusChange.objects.count()) == counts


def test_register_errors_in_indonesian(personas: Personas) -> None:
    client = token_client(personas.a_caseworker)
    english = client.post(CASES, registration(nik="12345"), format="json", HTTP_ACCEPT_LANGUAGE="en")
    indonesian = client.post(CASES, registration(nik="12345"), format="json", HTTP_ACCEPT_LANGUAGE="id")
    assert english.status_code == indonesian.status_code == 400
    assert english["Content-Language"] == "en" and indonesian["Content-Language"] == "id"
    assert client.post(CASES, {}, format="json").json()["sex"] == ["This field is required."]
    missing = client.post(CASES, {}, format="json", HTTP_ACCEPT_LANGUAGE="id").json()
    assert missing["sex"] == ["Isian ini wajib diisi."]  # the project catalogue overrides DRF's wording


def test_register_child_needs_guardian(personas: Personas) -> None:
    client = token_client(personas.a_caseworker)
    child = registration(birth_date="2012-05-05", nik="")
    response = client.post(CASES, child, format="json")
    assert response.status_code == 400
    assert "guardian" in response.json()
    with_guardian = {**child, "guardian": {"full_name": "Ibu Ani", "relationship": "mother"}}
    response = client.post(CASES, with_guardian, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["survivor"]["is_child_at_identification"] is True


def test_register_type_errors_are_field_errors(personas: Personas) -> None:
    response = token_client(personas.a_caseworker).post(
        CASES, registration(sex="x", identified_on="yesterday", nationality="ZZ"), format="json")
    assert response.status_code == 400
    assert {"sex", "identified_on", "nationality"} <= set(response.json())


def test_supervisor_registers_for_a_caseworker(personas: Personas) -> None:
    client = token_client(personas.a_supervisor)
    response = client.post(CASES, registration(), format="json")
    assert response.status_code == 400
    assert "lead_caseworker" in response.json()
    response = client.post(CASES, registration(lead_caseworker=personas.a_caseworker2.pk), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["lead_caseworker"] == personas.a_caseworker2.pk
    other_org = client.post(CASES, registration(nik="", lead_caseworker=personas.b_caseworker.pk), format="json")
    assert other_org.status_code == 400


@pytest.mark.parametrize("persona", ["a_me", "a_admin", "a_psychologist", "platform"])
def test_roles_that_do_not_register(personas: Personas, persona: str) -> None:
    before = Survivor.objects.count()
    response = token_client(personas.users[persona]).post(CASES, registration(), format="json")
    assert response.status_code == 403
    assert Survivor.objects.count() == before


# --- intake and workflow --------------------------------------------------------------------------


def test_intake_patch_changes_only_what_is_sent(personas: Personas) -> None:
    client = token_client(personas.a_caseworker)
    response = client.patch(case_url(personas.case_a), {
        "tppo_process": ["recruitment", "transport"],
        "exploitation_country": "my",
        "transit_countries": ["sg"],
        "intake_notes": "Dijanjikan kerja di Malaysia.",
    }, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["tppo_process"] == ["recruitment", "transport"]
    assert body["exploitation_country"] == "MY"
    assert body["transit_countries"] == ["SG"]
    assert body["channel"] == "police"
    case = Case.objects.get(pk=personas.case_a.pk)
    assert case.intake_notes == "Dijanjikan kerja di Malaysia."


def test_intake_patch_errors(personas: Personas, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 12, 6, 22, 30, tzinfo=dt.UTC), tick=False)  # 7 December in Kupang
    client = token_client(personas.a_caseworker)
    response = client.patch(case_url(personas.case_a), {"tppo_process": ["nonsense"], "version": 1}, format="json")
    assert response.status_code == 400 and "tppo_process" in response.json()
    response = client.patch(case_url(personas.case_a), {"exploitation_region": "99.99", "version": 1}, format="json")
    assert response.status_code == 400 and "exploitation_region" in response.json()
    response = client.patch(case_url(personas.case_a), {"status": "closed", "intake_notes": "x", "version": 1},
                            format="json")
    assert response.status_code == 400
    assert response.json()["status"] == ["This field cannot be changed here."]
    case = Case.objects.get(pk=personas.case_a.pk)
    assert (case.status, case.intake_notes) == ("intake", "")
    later = "2026-12-12"
    response = client.patch(case_url(personas.case_a), {"exploitation_started_on": later, "version": 1},
                            format="json")
    assert response.status_code == 400 and "exploitation_started_on" in response.json()


def test_transition(personas: Personas) -> None:
    client = token_client(personas.a_caseworker)
    url = case_url(personas.case_a, "transition/")
    forbidden = client.post(url, {"to_status": "services", "reason": "skip ahead"}, format="json")
    assert forbidden.status_code == 400
    assert "to_status" in forbidden.json()
    no_reason = client.post(url, {"to_status": "assessment", "reason": " "}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    assert Case.objects.get(pk=personas.case_a.pk).status == "intake"
    ok = client.post(url, {"to_status": "assessment", "reason": "Intake complete"}, format="json")
    assert ok.status_code == 200, ok.json()
    assert ok.json()["status"] == "assessment"
    change = CaseStatusChange.objects.filter(case=personas.case_a).first()
    assert change is not None and (change.from_status, change.to_status) == ("intake", "assessment")


def test_supervisor_may_transition_and_closed_case_is_frozen(personas: Personas) -> None:
    client = token_client(personas.a_supervisor)
    url = case_url(personas.case_a, "transition/")
    # Closing has its own endpoint (closure reason, follow-up schedule), not the generic transition.
    assert client.post(url, {"to_status": "closed", "reason": "x"}, format="json").status_code == 400
    response = client.post(f"/api/v1/cases/{personas.case_a.pk}/close/",
                           {"reason": "survivor_choice", "note": "Survivor moved abroad"}, format="json")
    assert response.status_code in (200, 201), response.json()
    personas.case_a.refresh_from_db()
    assert personas.case_a.closed_at is not None
    response = client.patch(case_url(personas.case_a), {"intake_notes": "x", "version": 1}, format="json")
    assert response.status_code == 400
    assert "detail" in response.json()
