"""The legal pages and API: who sees what (404 outside), forms keep what was typed, evidence logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from api.tests.conftest import token_client
from audit.models import AccessLogEntry
from conftest import Personas, login
from legal import services
from legal.models import Evidence, Loss, Payment
from legal.services import Upload

from .conftest import PDF, to_verdict

VIEWERS = ["a_caseworker", "a_psychologist", "a_legal"]  # the case team, and the organisation's legal officer
NOT_VIEWERS = ["a_caseworker2", "a_supervisor", "a_health", "a_livelihood", "a_me", "a_admin", "b_legal",
               "b_supervisor", "outsider"]


def _url(name: str, p: Personas, **kwargs: Any) -> str:
    return reverse(name, kwargs={"case_id": p.case_a.pk, **kwargs})


@pytest.mark.parametrize("who", VIEWERS)
def test_the_case_team_and_legal_officers_see_the_legal_page(personas: Personas, who: str) -> None:
    to_verdict(personas)
    response = login(Client(), personas.users[who]).get(_url("legal:overview", personas))
    assert response.status_code == 200
    html = response.content.decode()
    # The perpetrator's identity: legal officers only.
    assert ("Yohanes Perekrut" in html) == (who == "a_legal")
    assert AccessLogEntry.objects.filter(user=personas.users[who], what="legal_file",
                                         case_id=personas.case_a.pk).exists()


@pytest.mark.parametrize("who", NOT_VIEWERS)
def test_everyone_else_gets_404_on_pages_and_api(personas: Personas, who: str) -> None:
    order = to_verdict(personas)
    client = login(Client(), personas.users[who])
    assert client.get(_url("legal:overview", personas)).status_code == 404
    assert client.get(_url("legal:loss_new", personas)).status_code == 404
    assert client.get(_url("legal:payment_new", personas, order_id=order.pk)).status_code == 404
    api = token_client(personas.users[who])
    assert api.get(f"/api/v1/cases/{personas.case_a.pk}/legal/").status_code == 404


def test_a_team_member_who_does_not_record_legal_data_gets_404_on_the_forms(personas: Personas) -> None:
    client = login(Client(), personas.a_psychologist)
    assert client.get(_url("legal:loss_new", personas)).status_code == 404
    assert client.post(_url("legal:proceeding_new", personas), {"title": "x"}).status_code == 404


def test_the_case_file_shows_the_legal_section_to_viewers_only(personas: Personas) -> None:
    to_verdict(personas)
    html = login(Client(), personas.a_caseworker).get(reverse("cases:detail", kwargs={
        "case_id": personas.case_a.pk})).content.decode()
    assert _url("legal:overview", personas) in html
    html = login(Client(), personas.a_supervisor).get(reverse("cases:detail", kwargs={
        "case_id": personas.case_a.pk})).content.decode()
    assert _url("legal:overview", personas) not in html


def test_recording_a_loss_with_evidence_and_opening_it_is_logged(personas: Personas) -> None:
    client = login(Client(), personas.a_caseworker)
    response = client.post(_url("legal:loss_new", personas), {
        "head": "medical", "description": "Pemeriksaan visum", "amount": "750000", "incurred_on": "2026-03-03",
        "evidence": SimpleUploadedFile("visum.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    before = AccessLogEntry.objects.filter(what="legal_evidence").count()
    opened = client.get(_url("legal:evidence", personas, evidence_id=evidence.pk))
    assert opened.status_code == 200 and opened.content == PDF
    assert opened["Content-Disposition"].startswith("attachment")
    assert AccessLogEntry.objects.filter(what="legal_evidence", user=personas.a_caseworker).count() == before + 1


def test_a_refused_loss_keeps_what_was_typed_with_the_error_beside_the_field(personas: Personas) -> None:
    client = login(Client(), personas.a_caseworker)
    response = client.post(_url("legal:loss_new", personas), {
        "head": "transport", "description": "Tiket kapal Kupang-Surabaya", "amount": "-5000",
        "incurred_on": "2026-03-03",
        "evidence": SimpleUploadedFile("tiket.exe", b"MZ not a document", content_type="application/pdf")})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tiket kapal Kupang-Surabaya" in html and 'class="error"' in html
    assert not Loss.objects.exists()


def test_recording_a_partial_payment_shows_the_remaining_amount(personas: Personas) -> None:
    order = to_verdict(personas, amount=30_000_000)
    client = login(Client(), personas.a_legal)
    response = client.post(_url("legal:payment_new", personas, order_id=order.pk), {
        "paid_on": "2026-05-20", "amount": "10000000", "channel": "court", "proof_reference": "KW-77"})
    assert response.status_code == 302
    html = client.get(_url("legal:overview", personas)).content.decode()
    assert "20.000.000" in html or "20,000,000" in html
    overpay = client.post(_url("legal:payment_new", personas, order_id=order.pk), {
        "paid_on": "2026-05-21", "amount": "25000000", "channel": "court", "proof_reference": "KW-78"})
    assert overpay.status_code == 200 and Payment.objects.count() == 1


def test_the_claim_pdf_is_for_legal_officers_and_logged(personas: Personas) -> None:
    order = to_verdict(personas)
    services.loss_record(actor=personas.a_caseworker, case=personas.case_a, head="medical", description="Visum",
                         amount=750_000, incurred_on=dt.date(2026, 3, 3), evidence=[Upload(name="v.pdf", content=PDF)])
    claim_response = login(Client(), personas.a_legal).post(
        _url("legal:claim_new", personas, proceeding_id=order.proceeding_id),
        {"recipient": "lpsk", "filed_on": "2026-05-20"})
    assert claim_response.status_code == 302
    claim = order.proceeding.claims.get()
    url = _url("legal:claim_pdf", personas, claim_id=claim.pk)
    assert login(Client(), personas.a_caseworker).get(url).status_code == 404
    response = login(Client(), personas.a_legal).get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(what="legal_parties", user=personas.a_legal).exists()


def test_the_api_records_losses_and_payments_through_the_services(personas: Personas) -> None:
    import base64

    order = to_verdict(personas, amount=1_000_000)
    api = token_client(personas.a_legal)
    base = f"/api/v1/cases/{personas.case_a.pk}/legal/"
    created = api.post(base + "losses/", {
        "head": "transport", "description": "Tiket", "amount": "350000", "incurred_on": "2026-03-01",
        "evidence": [{"name": "t.pdf", "content_base64": base64.b64encode(PDF).decode()}]}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["evidence"][0]["content_type"] == "application/pdf"
    refused = api.post(base + "losses/", {"head": "transport", "description": "Tiket", "amount": "-1",
                                          "incurred_on": "2026-03-01"}, format="json")
    assert refused.status_code == 400
    paid = api.post(f"{base}orders/{order.pk}/payments/", {
        "paid_on": "2026-05-20", "amount": "400000", "payment_channel": "court", "proof_reference": "KW-1"}, format="json")
    assert paid.status_code == 201
    over = api.post(f"{base}orders/{order.pk}/payments/", {
        "paid_on": "2026-05-20", "amount": "600001", "payment_channel": "court", "proof_reference": "KW-2"}, format="json")
    assert over.status_code == 400
    summary = api.get(base).json()
    assert summary["proceedings"][0]["orders"][0]["remaining"] == "600000"
    assert "Yohanes" not in str(summary)
    assert token_client(personas.a_psychologist).post(base + "losses/", {}, format="json").status_code == 404


def test_work_queue_shows_overdue_payment_to_legal_officer_and_supervisor(personas: Personas,
                                                                          time_machine: Any) -> None:
    from core.workqueue import work_items_for

    to_verdict(personas, served=dt.date(2026, 5, 11))  # due 25 May, today 1 June
    mine = [i for i in work_items_for(personas.a_legal) if i.kind == "legal_payment"]
    assert mine and mine[0].overdue
    supervisor = [i for i in work_items_for(personas.a_supervisor, scope="organisation") if i.kind == "legal_payment"]
    assert supervisor and supervisor[0].url == reverse("cases:detail", kwargs={"case_id": personas.case_a.pk})
    assert not [i for i in work_items_for(personas.b_legal) if i.kind.startswith("legal_")]


def test_every_form_opens_and_saves_through_its_service(personas: Personas) -> None:
    from legal.models import EnforcementStep, Hearing, LpskApplication, Party, Proceeding, StageEvent

    order = to_verdict(personas)
    proceeding = order.proceeding
    client = login(Client(), personas.a_legal)
    loss = services.loss_record(actor=personas.a_caseworker, case=personas.case_a, head="legal",
                                description="Advokat", amount=1_000_000, incurred_on=dt.date(2026, 3, 3))
    payment = services.payment_record(actor=personas.a_legal, order=order, paid_on=dt.date(2026, 5, 20),
                                      amount=1_000_000, channel="court", proof_reference="KW-9")
    posts: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        ("legal:proceeding_new", {}, {"title": "Kedua", "survivor_role": "victim"}),
        ("legal:proceeding_edit", {"proceeding_id": proceeding.pk},
         {"title": "Diubah", "survivor_role": "victim_witness", "version": proceeding.version}),
        ("legal:stage_new", {"proceeding_id": proceeding.pk},
         {"stage": "appeal", "on": "2026-05-30", "institution": "PT Kupang"}),
        ("legal:hearing_new", {"proceeding_id": proceeding.pk},
         {"at": "2026-06-10T09:00", "place": "PN Kupang", "companion_user": personas.a_caseworker.pk}),
        ("legal:party_new", {"proceeding_id": proceeding.pk},
         {"role": "suspect", "relationship": "agency", "name": "PT Contoh"}),
        ("legal:lpsk_new", {}, {"applied_on": "2026-05-01", "requested": ["physical", "medical"]}),
        ("legal:evidence_new", {"loss_id": loss.pk}, {"file": SimpleUploadedFile("a.pdf", PDF)}),
        ("legal:loss_withdraw", {"loss_id": loss.pk}, {"reason": "dicatat dua kali"}),
        ("legal:payment_correct", {"payment_id": payment.pk}, {"amount": "-500000", "reason": "salah ketik"}),
        ("legal:step_new", {"order_id": order.pk}, {"step": "warning", "on": "2026-05-30"}),
    ]
    for name, kwargs, data in posts:
        url = _url(name, personas, **kwargs)
        assert client.get(url).status_code == 200, name
        response = client.post(url, data)
        assert response.status_code == 302, (name, response.content.decode()[-2000:])
    assert Proceeding.objects.filter(title="Kedua").exists()
    assert Proceeding.objects.get(pk=proceeding.pk).title == "Diubah"
    assert StageEvent.objects.filter(stage="appeal").exists() and Party.objects.count() == 2
    hearing = Hearing.objects.get()
    assert hearing.companion_user_id == personas.a_caseworker.pk
    application = LpskApplication.objects.get()
    response = client.post(_url("legal:lpsk_decide", personas, lpsk_id=application.pk), {
        "decision": "granted", "decided_on": "2026-05-07", "granted": ["physical"]})
    assert response.status_code == 302
    response = client.post(_url("legal:hearing_companion", personas, hearing_id=hearing.pk), {
        "companion_name": "Ibu Maria (LBH)", "version": hearing.version})
    assert response.status_code == 302 and Hearing.objects.get().companion_name == "Ibu Maria (LBH)"
    assert EnforcementStep.objects.count() == 1 and services.order_paid(order) == 500_000
    html = client.get(_url("legal:overview", personas)).content.decode()
    assert "perlindungan fisik" in html.lower()


def test_the_legal_api_routes_are_in_the_openapi_schema(personas: Personas) -> None:
    response = token_client(personas.a_legal).get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    for path in ("/api/v1/cases/{case_id}/legal/", "/api/v1/cases/{case_id}/legal/losses/",
                 "/api/v1/cases/{case_id}/legal/orders/{order_id}/payments/"):
        assert path in text, path
