from __future__ import annotations

import datetime as dt
from typing import Any

from api.tests.conftest import token_client
from care.models import ServiceApplication, ServiceDelivery
from care.services import application_record, delivery_save


def test_catalogue_lists_services_with_what_my_organisation_provides(personas: Any) -> None:
    from .conftest import provide

    provide(personas.org_a, "legal_aid")
    rows = token_client(personas.a_caseworker).get("/api/v1/services/").json()
    by_code = {r["code"]: r for r in rows}
    assert by_code["legal_aid"]["provided_by_my_organisation"] is True
    assert by_code["medical_care"]["provided_by_my_organisation"] is False
    assert by_code["health_rehabilitation"]["category"] == "integrated_service"


def test_deliveries_create_draft_complete_and_refuse(providing: Any, set_now: Any) -> None:
    p = providing
    client = token_client(p.a_caseworker)
    base = f"/api/v1/cases/{p.case_a.pk}/deliveries/"
    response = client.post(base, {"outcome_note": "awal"}, format="json")
    assert response.status_code == 201, response.json()
    draft = response.json()
    assert draft["status"] == "draft" and draft["service"] is None
    response = client.patch(f"{base}{draft['id']}/", {"status": "recorded", "version": 1}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"service", "delivered_on"}
    response = client.patch(f"{base}{draft['id']}/", {
        "status": "recorded", "service": "police_report_forwarded", "delivered_on": "2026-03-04",
        "delivered_time": "09:15", "duration_minutes": 20, "place_region": "53.71", "cost": "125000", "version": 1}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["cost"] == "125000"
    assert body["status"] == "recorded" and body["delivered_time"] == "09:15"
    assert body["delivered_at"] == "2026-03-04T09:15:00+08:00"
    # refused: future date, negative duration, negative cost; nothing saved
    response = client.post(base, {"status": "recorded", "service": "medical_care", "delivered_on": "2026-03-09",
                                  "duration_minutes": -1, "cost": -3}, format="json")
    assert response.status_code == 400 and {"delivered_on", "duration_minutes", "cost"} <= set(response.json())
    assert ServiceDelivery.objects.count() == 1
    listing = client.get(base).json()
    assert listing["count"] == 1
    clocks = client.get(f"/api/v1/cases/{p.case_a.pk}/clocks/")
    assert clocks.status_code == 200


def test_applications_and_clocks(providing: Any, set_now: Any) -> None:
    p = providing
    client = token_client(p.a_caseworker)
    url = f"/api/v1/cases/{p.case_a.pk}/applications/"
    response = client.post(url, {"applied_on": "2026-03-03", "applicant_kind": "social_worker"}, format="json")
    assert response.status_code == 201, response.json()
    assert ServiceApplication.objects.get().applicant_kind == "social_worker"
    assert len(client.get(url).json()) == 1
    clocks = client.get(f"/api/v1/cases/{p.case_a.pk}/clocks/").json()
    assert [(c["rule"], c["state"]) for c in clocks] == [("services_after_application", "running")]
    assert clocks[0]["due_at"] == "2026-03-11T00:00:00+08:00"  # the organisation's zone (WITA)


def test_api_answers_404_for_another_organisations_case_and_delivery(providing: Any, set_now: Any) -> None:
    p = providing
    b_delivery = delivery_save(actor=p.b_caseworker, case=p.case_b, values={})
    application_record(actor=p.b_caseworker, case=p.case_b, applied_on=dt.date(2026, 3, 3), applicant_kind="victim")
    client = token_client(p.a_caseworker)
    b, a = p.case_b.pk, p.case_a.pk
    for method, url in [
        ("get", f"/api/v1/cases/{b}/deliveries/"),
        ("post", f"/api/v1/cases/{b}/deliveries/"),
        ("get", f"/api/v1/cases/{b}/deliveries/{b_delivery.pk}/"),
        ("patch", f"/api/v1/cases/{b}/deliveries/{b_delivery.pk}/"),
        ("get", f"/api/v1/cases/{a}/deliveries/{b_delivery.pk}/"),
        ("patch", f"/api/v1/cases/{a}/deliveries/{b_delivery.pk}/"),
        ("get", f"/api/v1/cases/{a}/deliveries/not-a-uuid/"),
        ("get", f"/api/v1/cases/{b}/clocks/"),
        ("get", f"/api/v1/cases/{b}/applications/"),
        ("post", f"/api/v1/cases/{b}/applications/"),
    ]:
        response = getattr(client, method)(url, {"applied_on": "2026-03-03", "applicant_kind": "victim"},
                                           format="json")
        assert response.status_code == 404, (method, url, response.status_code)
    # a colleague not on case A's team: 404 too
    assert token_client(p.a_caseworker2).get(f"/api/v1/cases/{a}/clocks/").status_code == 404
