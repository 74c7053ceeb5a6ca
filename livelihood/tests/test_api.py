"""The livelihood API: same rules and services as the pages; in the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from api.tests.conftest import token_client
from livelihood.models import Placement

from .conftest import refer

pytestmark = pytest.mark.django_db


def _case(p: Any, suffix: str) -> str:
    return f"/api/v1/cases/{p.case_a.pk}/livelihood/{suffix}"


def test_profile_suggestions_choice_enrolment_placement(personas: Any, training: Any, provider: Any) -> None:
    client = token_client(personas.a_caseworker)
    read = client.get(_case(personas, "profile/"))
    assert read.status_code == 200 and read["ETag"] == '"0"'
    body = {"education": "junior", "interest_sectors": ["C_Manufacturing"], "preferred_region": "53.71",
            "skills": [{"skill": "sewing", "self_level": 1}]}
    assert client.put(_case(personas, "profile/"), body, format="json").status_code == 428
    saved = client.put(_case(personas, "profile/"), body, format="json", HTTP_IF_MATCH='"0"')
    assert saved.status_code == 200 and saved["ETag"] == '"1"'
    assert client.put(_case(personas, "profile/"), body, format="json", HTTP_IF_MATCH='"0"').status_code == 412
    bad = client.put(_case(personas, "profile/"), {**body, "debt_amount": -1, "version": 1}, format="json")
    assert bad.status_code == 400 and "debt_amount" in bad.json()
    found = client.get(_case(personas, "suggestions/")).json()
    assert found[0]["opportunity"] == training.pk and {f["code"] for f in found[0]["factors"]} >= {"interest", "gap"}
    assert client.post(_case(personas, "choices/"), {"opportunity": None, "note": ""}, format="json").status_code == 400
    assert client.post(_case(personas, "choices/"), {"opportunity": training.pk}, format="json").status_code == 201
    refused = client.post(_case(personas, "enrolments/"), {"opportunity": training.pk, "enrolled_on": "2026-03-10"},
                          format="json")
    assert refused.status_code == 400 and "opportunity" in refused.json()  # no referral the provider accepted
    refer(personas, provider.organisation, accept_by=provider)
    enrolled = client.post(_case(personas, "enrolments/"), {"opportunity": training.pk, "enrolled_on": "2026-03-10"},
                           format="json")
    assert enrolled.status_code == 201 and enrolled.json()["basis"] == "referral"
    again = client.post(_case(personas, "enrolments/"), {"opportunity": training.pk, "enrolled_on": "2026-03-10"},
                        format="json")
    assert again.status_code == 400
    done = token_client(provider).post(f"/api/v1/livelihood/enrolments/{enrolled.json()['id']}/complete/",
                                       {"completed_on": "2026-03-11", "certificate": "BNSP"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "completed"
    placement = {"employer_name": "CV", "sector": "C_Manufacturing", "region": "53.71", "started_on": "2026-03-02",
                 "monthly_wage": 1_000_000, "hours_per_week": 40, "contract_type": "pkwt"}
    refused = client.post(_case(personas, "placements/"), placement, format="json")
    assert refused.status_code == 400 and not Placement.objects.exists()
    ok = client.post(_case(personas, "placements/"), {**placement, "monthly_wage": 3_000_000,
                                                      "bpjs_registered": True}, format="json")
    assert ok.status_code == 201 and ok.json()["check_status"] == "passed"
    income = client.post(_case(personas, "income/"), {"months_after": 6, "recorded_on": "2026-03-10",
                                                      "working": True, "monthly_income": 3_000_000,
                                                      "debt_change": "same"}, format="json")
    assert income.status_code == 201 and income.json()["band"] == "at_or_above"
    for user in (personas.a_supervisor, personas.b_caseworker, provider):
        assert token_client(user).get(_case(personas, "profile/")).status_code == 404


def test_opportunities_api(personas: Any, provider: Any) -> None:
    client = token_client(provider)
    made = client.post("/api/v1/livelihood/opportunities/", {
        "kind": "training", "status": "open", "title": "Tata boga", "sector": "I_AccommodationAndFoodServiceActivities",
        "region": "53.71", "places_free": 4, "start_date": str(dt.date(2026, 4, 1))}, format="json")
    assert made.status_code == 201
    url = f"/api/v1/livelihood/opportunities/{made.json()['id']}/"
    assert client.patch(url, {"title": "Baru"}, format="json").status_code == 428
    assert client.patch(url, {"title": "Baru"}, format="json", HTTP_IF_MATCH='"1"').status_code == 200
    assert client.patch(url, {"title": "Lama", "version": 1}, format="json").status_code == 409
    assert token_client(personas.a_caseworker).get(url).json()["title"] == "Baru"
    assert token_client(personas.a_caseworker).patch(url, {"title": "x", "version": 2}, format="json").status_code == 404
    low = client.post("/api/v1/livelihood/opportunities/", {
        "kind": "vacancy", "status": "open", "title": "Buruh", "sector": "C_Manufacturing", "region": "53.71",
        "places_free": 4, "monthly_wage": 100, "employer_name": "X", "contract_type": "pkwt", "hours_per_week": 40,
        "bpjs_registered": True}, format="json")
    assert low.status_code == 400 and "status" in low.json()


def test_the_routes_are_in_the_openapi_schema(personas: Any) -> None:
    schema = token_client(personas.a_caseworker).get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    paths = set(schema["paths"])
    for route in ("/api/v1/cases/{case_id}/livelihood/profile/", "/api/v1/cases/{case_id}/livelihood/suggestions/",
                  "/api/v1/cases/{case_id}/livelihood/enrolments/", "/api/v1/cases/{case_id}/livelihood/placements/",
                  "/api/v1/livelihood/opportunities/", "/api/v1/livelihood/opportunities/{opportunity_id}/"):
        assert route in paths, route
