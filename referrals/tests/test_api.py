"""The referral API: send, the partner's packet, the lifecycle, refusals as 400 with messages."""

from __future__ import annotations

from typing import Any

from django.test import Client

from audit.models import AccessLogEntry
from conftest import login
from referrals.models import Referral


def _client(user: Any) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    return login(c, user)


def test_api_lifecycle(world: Any) -> None:
    p = world.p
    sender = _client(p.a_caseworker)
    url = f"/api/v1/cases/{p.case_a.pk}/referrals/"
    body = {"recipient_organisation": world.clinic.pk, "service": "medical_care", "template": "health",
            "packet_fields": ["survivor.sex", "referral.health_needs"], "texts": {"referral.health_needs": "Demam"}}
    created = sender.post(url, body, content_type="application/json")
    assert created.status_code == 201, created.json()
    rid = created.json()["id"]
    again = sender.post(url, body, content_type="application/json")
    assert again.status_code == 400 and "already has an active referral" in str(again.json())
    assert Referral.objects.count() == 1

    partner = _client(world.nurse)
    assert partner.get(f"/api/v1/cases/{p.case_a.pk}/").status_code == 404
    assert partner.get(url).status_code == 404
    listed = partner.get("/api/v1/referrals/").json()["results"]
    assert [r["id"] for r in listed] == [rid] and "case" not in listed[0]
    packet = partner.get(f"/api/v1/referrals/{rid}/").json()
    assert packet["packet"] == {"survivor.sex": "female", "referral.health_needs": "Demam"}
    assert "case" not in packet["referral"]
    assert AccessLogEntry.objects.filter(what="referral_packet", user=world.nurse).count() == 1

    assert partner.post(f"/api/v1/referrals/{rid}/accept/").status_code == 200
    twice = partner.post(f"/api/v1/referrals/{rid}/accept/")
    assert twice.status_code == 400 and "already accepted" in str(twice.json())
    outsider = _client(p.outsider)
    assert outsider.post(f"/api/v1/referrals/{rid}/complete/", {}).status_code == 404
    bad = partner.post(f"/api/v1/referrals/{rid}/complete/", {"outcome_report": ""}, content_type="application/json")
    assert bad.status_code == 400 and set(bad.json()) == {"outcome_report", "delivered_on"}
    done = partner.post(f"/api/v1/referrals/{rid}/complete/", {"outcome_report": "Sembuh", "delivered_on": "2026-03-05"},
                        content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert partner.get(f"/api/v1/referrals/{rid}/").status_code == 404
    mine = sender.get(f"/api/v1/referrals/{rid}/").json()["referral"]
    assert mine["outcome_report"] == "Sembuh" and mine["outcome_delivery"]


def test_api_refuses_without_consent(world: Any) -> None:
    world.consent.delete()
    r = _client(world.p.a_caseworker).post(
        f"/api/v1/cases/{world.p.case_a.pk}/referrals/",
        {"recipient_organisation": world.clinic.pk, "service": "medical_care", "template": "health",
         "packet_fields": ["survivor.sex"]}, content_type="application/json")
    assert r.status_code == 400 and "No consent of the survivor" in str(r.json()["lawful_basis"])
    assert not Referral.objects.exists()
