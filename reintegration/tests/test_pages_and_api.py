"""Pages and API: the journeys, bad input, and 404 for another organisation's case or follow-up."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from api.tests.conftest import token_client
from cases.models import Alert, CaseStatus
from conftest import Personas, login
from reintegration.models import Closure, FollowUp, FollowUpStatus, RiskLevel

from .conftest import NO_RISK, answers, close


def _risk_post(given: dict[str, str]) -> dict[str, str]:
    return {f"risk_{k}": v for k, v in given.items()}


def test_close_page_journey(personas: Personas, clock_at: Any) -> None:
    client = login(Client(), personas.a_caseworker)
    url = reverse("reintegration:close", kwargs={"case_id": personas.case_a.pk})
    page = client.get(url).content.decode()
    assert "data-keep" in page and "data-confirm=" in page and 'name="reason"' in page
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and not Closure.objects.exists()
    response = client.post(url, {"reason": "survivor_choice", "note": "Pindah ke Surabaya."})
    assert response.status_code == 302
    personas.case_a.refresh_from_db()
    assert personas.case_a.status == CaseStatus.CLOSED
    assert FollowUp.objects.filter(case=personas.case_a).count() == 4
    response = client.get(url)  # closing a closed case: sent back with a message
    assert response.status_code == 302
    assert client.post(url, {"reason": "restored"}).status_code == 302
    assert Closure.objects.count() == 1


def test_follow_up_pages_journey(personas: Personas, clock_at: Any) -> None:
    follow_up = close(personas).follow_ups.order_by("due_on").first()
    clock_at(dt.date(2026, 5, 1))
    client = login(Client(), personas.a_caseworker)
    kwargs = {"case_id": personas.case_a.pk, "follow_up_id": follow_up.pk}
    listing = client.get(reverse("reintegration:follow_ups", kwargs={"case_id": personas.case_a.pk}))
    assert listing.status_code == 200 and reverse("reintegration:follow_up_detail", kwargs=kwargs) in listing.content.decode()
    record_url = reverse("reintegration:follow_up_record", kwargs=kwargs)
    form = client.get(record_url).content.decode()
    assert "data-keep" in form and 'name="risk_trafficker_contact"' in form
    bad = client.post(record_url, {"done_on": "2026-06-01", "contact_mode": "visit", **_risk_post(NO_RISK)})
    assert bad.status_code == 200 and "future" in bad.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.SCHEDULED
    bad = client.post(record_url, {"done_on": "2026-05-01", "contact_mode": "visit",
                                   **_risk_post(answers(stigma_on_return="maybe"))})
    assert bad.status_code == 200
    good = client.post(record_url, {"done_on": "2026-05-01", "contact_mode": "visit", "notes": "Baik.",
                                    **_risk_post(answers(trafficker_contact="yes"))})
    assert good.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.risk_level) == (FollowUpStatus.DONE, RiskLevel.HIGH)
    result = client.get(good["Location"]).content.decode()
    assert reverse("reintegration:reopen", kwargs={"case_id": personas.case_a.pk}) in result
    assert client.get(record_url).status_code == 302  # recorded once
    assert Alert.objects.filter(recipient=personas.a_caseworker).count() == 1


def test_missed_and_reopen_pages(personas: Personas, clock_at: Any) -> None:
    follow_up = close(personas).follow_ups.order_by("due_on").first()
    clock_at(dt.date(2026, 5, 1))
    client = login(Client(), personas.a_caseworker)
    kwargs = {"case_id": personas.case_a.pk, "follow_up_id": follow_up.pk}
    detail = client.get(reverse("reintegration:follow_up_detail", kwargs=kwargs)).content.decode()
    assert "data-confirm=" in detail
    assert client.post(reverse("reintegration:follow_up_missed", kwargs=kwargs), {"notes": "x"}).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.MISSED
    reopen = reverse("reintegration:reopen", kwargs={"case_id": personas.case_a.pk})
    assert client.post(reopen, {"reason": ""}).status_code == 200
    assert client.post(reopen, {"reason": "Kembali."}).status_code == 302
    assert client.get(reopen).status_code == 302  # an open case: sent back with a message


def test_pages_answer_404_outside_scope(personas: Personas, clock_at: Any) -> None:
    follow_up_b = close(personas, case=personas.case_b, actor=personas.b_caseworker).follow_ups.first()
    follow_up_a = close(personas).follow_ups.first()
    case_a, case_b = personas.case_a.pk, personas.case_b.pk
    urls = [reverse(f"reintegration:{n}", kwargs={"case_id": case_b}) for n in ("close", "reopen", "follow_ups")]
    urls += [reverse(f"reintegration:{n}", kwargs={"case_id": case_b, "follow_up_id": follow_up_b.pk})
             for n in ("follow_up_detail", "follow_up_record", "follow_up_missed")]
    # Another case's follow-up under one's own case: 404 too.
    urls += [reverse(f"reintegration:{n}", kwargs={"case_id": case_a, "follow_up_id": follow_up_b.pk})
             for n in ("follow_up_detail", "follow_up_record", "follow_up_missed")]
    urls += [reverse("reintegration:follow_up_detail", kwargs={"case_id": case_a, "follow_up_id": uuid.uuid4()})]
    client = login(Client(), personas.a_caseworker)
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "restored"}).status_code == 404, url
    # Seeing is not changing: the team psychologist may read, not record or close.
    psych = login(Client(), personas.a_psychologist)
    assert psych.get(reverse("reintegration:follow_ups", kwargs={"case_id": case_a})).status_code == 200
    assert psych.get(reverse("reintegration:follow_up_record",
                             kwargs={"case_id": case_a, "follow_up_id": follow_up_a.pk})).status_code == 404
    follow_up_b.refresh_from_db()
    assert follow_up_b.status == FollowUpStatus.SCHEDULED


# --- API ------------------------------------------------------------------------------------------


def test_api_close_list_record_reopen(personas: Personas, clock_at: Any) -> None:
    api = token_client(personas.a_caseworker)
    case_id = personas.case_a.pk
    response = api.post(f"/api/v1/cases/{case_id}/close/", {"reason": "restored", "note": "Pulih."}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reason"] == "restored" and [f["months_after"] for f in body["follow_ups"]] == [3, 6, 12, 24]
    again = api.post(f"/api/v1/cases/{case_id}/close/", {"reason": "restored"}, format="json")
    assert again.status_code == 400 and "status" in again.json()
    listing = api.get(f"/api/v1/cases/{case_id}/follow-ups/").json()
    assert [f["state"] for f in listing] == ["upcoming"] * 4
    follow_up_id = listing[0]["id"]
    clock_at(dt.date(2026, 5, 1))
    url = f"/api/v1/cases/{case_id}/follow-ups/{follow_up_id}/record/"
    bad = api.post(url, {"done_on": "2026-05-01", "contact_mode": "visit",
                         "risk_answers": answers(stigma_on_return="perhaps")}, format="json")
    assert bad.status_code == 400 and "risk_answers" in bad.json()
    bad = api.post(url, {"done_on": "2026-01-01", "contact_mode": "visit", "risk_answers": NO_RISK}, format="json")
    assert bad.status_code == 400 and "done_on" in bad.json()
    done = api.post(url, {"done_on": "2026-04-30", "contact_mode": "phone",
                          "risk_answers": answers(trafficker_contact="yes")}, format="json")
    assert done.status_code == 200, done.json()
    assert (done.json()["risk_level"], done.json()["state"]) == ("high", "done")
    assert Alert.objects.filter(kind="retrafficking_risk", recipient=personas.a_caseworker).count() == 1
    reopened = api.post(f"/api/v1/cases/{case_id}/reopen/", {"reason": "Risiko tinggi."}, format="json")
    assert reopened.status_code == 200 and reopened.json()["status"] == "reopened"
    again = api.post(f"/api/v1/cases/{case_id}/reopen/", {"reason": "lagi"}, format="json")
    assert again.status_code == 400


def test_api_closing_without_reason(personas: Personas, clock_at: Any) -> None:
    api = token_client(personas.a_caseworker)
    response = api.post(f"/api/v1/cases/{personas.case_a.pk}/close/", {"note": "x"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert not Closure.objects.exists()


@pytest.mark.parametrize("user", ["a_caseworker", "a_supervisor", "a_me", "outsider"])
def test_api_answers_404_outside_scope(personas: Personas, clock_at: Any, user: str) -> None:
    follow_up_b = close(personas, case=personas.case_b, actor=personas.b_caseworker).follow_ups.first()
    api = token_client(personas.users[user])
    case_b = personas.case_b.pk
    assert api.post(f"/api/v1/cases/{case_b}/close/", {"reason": "restored"}, format="json").status_code == 404
    assert api.post(f"/api/v1/cases/{case_b}/reopen/", {"reason": "x"}, format="json").status_code == 404
    assert api.get(f"/api/v1/cases/{case_b}/follow-ups/").status_code == 404
    record = {"done_on": "2026-01-31", "contact_mode": "visit", "risk_answers": NO_RISK}
    assert api.post(f"/api/v1/cases/{case_b}/follow-ups/{follow_up_b.pk}/record/", record,
                    format="json").status_code == 404
    if user == "a_caseworker":
        close(personas)
        url = f"/api/v1/cases/{personas.case_a.pk}/follow-ups/{follow_up_b.pk}/record/"
        assert api.post(url, record, format="json").status_code == 404
        url = f"/api/v1/cases/{personas.case_a.pk}/follow-ups/not-a-uuid/record/"
        assert api.post(url, record, format="json").status_code == 404
    follow_up_b.refresh_from_db()
    assert follow_up_b.status == FollowUpStatus.SCHEDULED
