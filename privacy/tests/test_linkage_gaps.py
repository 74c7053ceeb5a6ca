"""Issue 11 §1, the gaps: the in-scope duplicate links to the case (page and API), and the linkage
requests' API for the target organisation's supervisors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client, TestCase
from django.urls import reverse

from api.tests.conftest import token_client
from conftest import Personas, login, register_case
from privacy.models import LinkageRequest

CASE_B_NIK = "3578010107880002"


def _b_request(p: Personas) -> LinkageRequest:
    with TestCase.captureOnCommitCallbacks(execute=True):
        register_case(p.a_caseworker, name="Andi Pratama", nik=CASE_B_NIK, sex="male", birth_date=dt.date(1988, 7, 1))
    return LinkageRequest.objects.get()


def _sari(nik: str) -> dict[str, str]:
    return {"full_name": "Sari", "sex": "female", "birth_date": "1999-04-12", "nik": nik, "nationality": "ID",
            "identified_on": "2026-03-02", "channel": "police", "origin_province": "53", "origin_regency": "53.71"}


def test_in_scope_duplicate_links_to_the_case(personas: Personas) -> None:
    client = login(Client(), personas.a_caseworker)
    response = client.post(reverse("cases:register"), _sari("5371015204990001"))
    assert response.status_code == 200
    assert reverse("cases:detail", kwargs={"case_id": personas.case_a.pk}) in response.content.decode()
    api = token_client(personas.a_caseworker).post("/api/v1/cases/", _sari("5371015204990001"), format="json")
    assert api.status_code == 400 and api.json()["duplicate_case"] == [str(personas.case_a.pk)]


def test_out_of_scope_duplicate_names_no_case(personas: Personas) -> None:
    """Another error with organisation B's NIK: neither the page nor the API names B's case."""
    data = {**_sari(CASE_B_NIK), "identified_on": "2099-01-01"}  # a date in the future: invalid anyway
    page = login(Client(), personas.a_caseworker).post(reverse("cases:register"), data)
    assert page.status_code == 200 and str(personas.case_b.pk) not in page.content.decode()
    api = token_client(personas.a_caseworker).post("/api/v1/cases/", data, format="json")
    assert api.status_code == 400 and "duplicate_case" not in api.json()


def test_linkage_api_for_the_target_supervisors(personas: Personas) -> None:
    request = _b_request(personas)
    api = token_client(personas.b_supervisor)
    listing = api.get("/api/v1/linkage/")
    assert listing.status_code == 200
    rows = listing.json()["results"]
    assert [r["id"] for r in rows] == [str(request.pk)]
    assert rows[0]["survivor_code"] == personas.case_b.survivor.code and rows[0]["status"] == "pending"
    assert "requesting_case" not in rows[0] and "Andi" not in listing.content.decode()
    assert api.get("/api/v1/linkage/", {"status": "ignored"}).json()["results"] == []
    detail = api.get(f"/api/v1/linkage/{request.pk}/")
    assert detail.status_code == 200 and detail.json()["requesting_organisation"] == personas.org_a.pk
    assert api.post(f"/api/v1/linkage/{request.pk}/decide/", {"decision": "maybe"}, format="json").status_code == 400
    with TestCase.captureOnCommitCallbacks(execute=True):
        decided = api.post(f"/api/v1/linkage/{request.pk}/decide/", {"decision": "referral", "note": "ok"},
                           format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "referral"
    assert decided.json()["next_step"].startswith(reverse("referrals:new", kwargs={"case_id": personas.case_b.pk}))
    again = api.post(f"/api/v1/linkage/{request.pk}/decide/", {"decision": "ignore"}, format="json")
    assert again.status_code == 400
    request.refresh_from_db()
    assert request.status == LinkageRequest.Status.REFERRAL and request.decided_by == personas.b_supervisor


@pytest.mark.parametrize("who", ["a_caseworker", "a_supervisor", "b_caseworker", "b_psychologist", "b_me",
                                 "outsider"])
def test_linkage_api_is_404_for_everyone_else(personas: Personas, who: str) -> None:
    request = _b_request(personas)
    api: Any = token_client(personas.users[who])
    listing = api.get("/api/v1/linkage/")
    if who == "a_supervisor":  # decides their own organisation's requests: none here
        assert listing.status_code == 200 and listing.json()["results"] == []
    else:
        assert listing.status_code == 404
    assert api.get(f"/api/v1/linkage/{request.pk}/").status_code == 404
    assert api.post(f"/api/v1/linkage/{request.pk}/decide/", {"decision": "ignore"}, format="json").status_code == 404
    request.refresh_from_db()
    assert request.status == LinkageRequest.Status.PENDING
