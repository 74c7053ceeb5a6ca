"""The legal API routes beyond the summary, ledger and payments: proceedings, stages, hearings, LPSK,
claims (the PDF logged), orders, corrections and the prefill; the same services and refusals."""

from __future__ import annotations

import base64
import datetime as dt

from api.tests.conftest import token_client
from audit.models import AccessLogEntry
from conftest import Personas
from legal import services
from legal.models import Claim, Hearing, LpskApplication, Order, Party, Payment, Proceeding, StageEvent

from .conftest import PDF, to_trial, to_verdict


def _base(p: Personas) -> str:
    return f"/api/v1/cases/{p.case_a.pk}/legal/"


def test_proceedings_open_read_and_edit_with_etag(personas: Personas) -> None:
    p = personas
    api = token_client(p.a_legal)
    created = api.post(_base(p) + "proceedings/", {
        "title": "TPPO Malaysia", "police_report_number": "LP/B/9/2026", "police_unit": "Polda NTT",
        "police_report_date": "2026-03-05"}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["stage_reached"] == "police_report" and created["ETag"] == '"1"' and body["parties"] == []
    url = f"{_base(p)}proceedings/{body['id']}/"
    read = api.get(url)
    assert read.status_code == 200 and read["ETag"] == '"1"'
    assert api.patch(url, {"court_name": "PN Kupang"}, format="json").status_code == 428
    saved = api.patch(url, {"court_name": "PN Kupang"}, format="json", HTTP_IF_MATCH='"1"')
    assert saved.status_code == 200 and saved.json()["court_name"] == "PN Kupang"
    assert saved.json()["title"] == "TPPO Malaysia" and saved["ETag"] == '"2"'  # unsent fields kept
    assert api.patch(url, {"court_name": "PN Kefa"}, format="json", HTTP_IF_MATCH='"1"').status_code == 412
    assert Proceeding.objects.get().court_name == "PN Kupang"
    assert api.post(_base(p) + "proceedings/", {"title": ""}, format="json").status_code == 400
    assert [r["id"] for r in api.get(_base(p) + "proceedings/").json()] == [body["id"]]
    # off the team, another organisation: 404; the team psychologist may read, not record
    assert token_client(p.a_supervisor).get(url).status_code == 404
    assert token_client(p.b_legal).get(url).status_code == 404
    assert token_client(p.a_psychologist).get(url).status_code == 200
    assert token_client(p.a_psychologist).patch(url, {"title": "x"}, format="json",
                                                HTTP_IF_MATCH='"2"').status_code == 404


def test_stages_in_order_and_hearings_with_their_companion(personas: Personas) -> None:
    p = personas
    proceeding = to_trial(p)
    api = token_client(p.a_legal)
    base = f"{_base(p)}proceedings/{proceeding.pk}/"
    refused = api.post(base + "stages/", {"stage_reached": "final", "on": "2026-05-01", "institution": "PN"},
                       format="json")
    assert refused.status_code == 400 and "stage" in refused.json()  # the final judgment before a verdict
    verdict = api.post(base + "stages/", {"stage_reached": "verdict", "on": "2026-05-04", "institution": "PN Kupang",
                                          "articles_proven": "Pasal 2"}, format="json")
    assert verdict.status_code == 201, verdict.json()
    assert [s["stage_reached"] for s in api.get(base + "stages/").json()][-1] == "verdict"
    hearing = api.post(base + "hearings/", {"at": "2026-06-10T09:00:00+08:00", "place": "PN Kupang",
                                            "companion_user": p.a_caseworker.pk}, format="json")
    assert hearing.status_code == 201, hearing.json()
    h = hearing.json()
    assert h["has_companion"] and h["companion_user_name"]
    bad = api.post(base + "hearings/", {"at": "2026-06-10T09:00:00+08:00", "place": "PN",
                                        "companion_user": p.b_caseworker.pk}, format="json")
    assert bad.status_code == 400 and "companion_user" in bad.json()
    url = f"{_base(p)}hearings/{h['id']}/"
    etag = api.get(url)["ETag"]
    changed = api.patch(url, {"companion_user": None, "companion_name": "Ibu Maria (LBH)"}, format="json",
                        HTTP_IF_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["companion_name"] == "Ibu Maria (LBH)"
    assert Hearing.objects.get().companion_user is None
    assert api.patch(url, {"companion_name": "x"}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    assert len(api.get(base + "hearings/").json()) == 1
    assert StageEvent.objects.filter(proceeding=proceeding).count() == 6


def test_lpsk_application_and_decision(personas: Personas) -> None:
    p = personas
    api = token_client(p.a_legal)
    applied = api.post(_base(p) + "lpsk/", {"applied_on": "2026-05-02", "requested": ["physical", "restitution"]},
                       format="json")
    assert applied.status_code == 201, applied.json()
    url = f"{_base(p)}lpsk/{applied.json()['id']}/decision/"
    refused = api.post(url, {"lpsk_decision": "granted", "decided_on": "2026-05-08", "granted": ["medical"]},
                       format="json")
    assert refused.status_code == 400 and "granted" in refused.json()  # not requested
    decided = api.post(url, {"lpsk_decision": "partly", "decided_on": "2026-05-08", "granted": ["physical"],
                             "protection_until": "2026-11-08"}, format="json")
    assert decided.status_code == 200 and decided.json()["lpsk_decision"] == "partly"
    again = api.post(url, {"lpsk_decision": "refused", "decided_on": "2026-05-09"}, format="json")
    assert again.status_code == 400 and LpskApplication.objects.get().decision == "partly"
    assert api.get(_base(p) + "lpsk/").json()[0]["granted"] == ["physical"]


def test_claims_orders_and_corrections(personas: Personas) -> None:
    p = personas
    proceeding = to_trial(p)
    api = token_client(p.a_legal)
    base = f"{_base(p)}proceedings/{proceeding.pk}/"
    none = api.post(base + "claims/", {"claim_recipient": "lpsk", "filed_on": "2026-05-20"}, format="json")
    assert none.status_code == 400 and not Claim.objects.exists()  # no evidenced loss
    services.loss_record(actor=p.a_caseworker, case=p.case_a, head="medical", description="Visum", amount=750_000,
                         incurred_on=dt.date(2026, 3, 3), evidence=[services.Upload(name="v.pdf", content=PDF)])
    claim = api.post(base + "claims/", {"claim_recipient": "lpsk", "filed_on": "2026-05-20"}, format="json")
    assert claim.status_code == 201 and claim.json()["number"] == 1 and claim.json()["amount"] == "750000"
    assert len(api.get(base + "claims/").json()) == 1
    pdf_url = f"{_base(p)}claims/{claim.json()['id']}/pdf/"
    before = AccessLogEntry.objects.filter(what=AccessLogEntry.What.LEGAL_PARTIES).count()
    pdf = api.get(pdf_url)
    assert pdf.status_code == 200 and base64.b64decode(pdf.json()["content_base64"]).startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(what=AccessLogEntry.What.LEGAL_PARTIES, user=p.a_legal).count() == before + 1
    assert token_client(p.a_caseworker).get(pdf_url).status_code == 404  # names the perpetrators: officers only
    party = api.get(base).json()["parties"][0]
    assert set(party) == {"id", "party_role", "party_relationship", "at_large"}  # no identity
    early = api.post(base + "orders/", {"party": party["id"], "amount": "30000000"}, format="json")
    assert early.status_code == 400  # before the verdict
    services.stage_record(actor=p.a_legal, proceeding=proceeding, data=services.StageInput(
        stage="verdict", on=dt.date(2026, 5, 4), institution="PN Kupang", articles_proven="Pasal 2"))
    order = api.post(base + "orders/", {"party": party["id"], "amount": "30000000"}, format="json")
    assert order.status_code == 201, order.json()
    assert api.post(base + "orders/", {"party": party["id"], "amount": "1"}, format="json").status_code == 400
    assert [o["amount"] for o in api.get(base + "orders/").json()] == ["30000000"]
    paid = services.payment_record(actor=p.a_legal, order=Order.objects.get(), paid_on=dt.date(2026, 5, 20),
                                   amount=1_000_000, channel="court", proof_reference="KW-1")
    url = f"{_base(p)}payments/{paid.pk}/corrections/"
    assert api.post(url, {"amount": "-2000000", "reason": "salah"}, format="json").status_code == 400
    corrected = api.post(url, {"amount": "-400000", "reason": "salah ketik"}, format="json")
    assert corrected.status_code == 201 and corrected.json()["corrects"] == paid.pk
    assert services.order_paid(Order.objects.get()) == 600_000 and Payment.objects.count() == 2


def test_prefill_from_deliveries_over_the_api(personas: Personas) -> None:
    from care.services import delivery_save
    from care.tests.conftest import provide

    p = personas
    provide(p.org_a, "medical_care")
    delivery = delivery_save(actor=p.a_caseworker, case=p.case_a, complete=True, values={
        "service": "medical_care", "delivered_on": dt.date(2026, 3, 4), "cost": 500_000})
    api = token_client(p.a_legal)
    url = _base(p) + "losses/prefill/"
    proposed = api.get(url).json()
    assert [(r["delivery_id"], r["cost"]) for r in proposed] == [(str(delivery.pk), "500000")]
    created = api.post(url, {"deliveries": [str(delivery.pk)]}, format="json")
    assert created.status_code == 201 and created.json()[0]["head"] == "medical"
    assert api.post(url, {"deliveries": [str(delivery.pk)]}, format="json").status_code == 400
    assert api.get(url).json() == []


def test_the_new_routes_are_in_the_schema(personas: Personas) -> None:
    to_verdict(personas)
    text = token_client(personas.a_legal).get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("proceedings/", "proceedings/{proceeding_id}/", "proceedings/{proceeding_id}/stages/",
                 "proceedings/{proceeding_id}/hearings/", "proceedings/{proceeding_id}/parties/", "proceedings/{proceeding_id}/claims/",
                 "proceedings/{proceeding_id}/orders/", "hearings/{hearing_id}/", "claims/{claim_id}/pdf/",
                 "lpsk/", "lpsk/{lpsk_id}/decision/", "payments/{payment_id}/corrections/", "losses/prefill/"):
        assert f"/api/v1/cases/{{case_id}}/legal/{path}" in text, path


def test_parties_recorded_over_the_api_never_show_their_identity(personas: Personas) -> None:
    p = personas
    api = token_client(p.a_legal)
    proceeding = api.post(_base(p) + "proceedings/", {"title": "TPPO Batam"}, format="json").json()
    url = f"{_base(p)}proceedings/{proceeding['id']}/parties/"
    created = api.post(url, {"party_role": "suspect", "party_relationship": "recruiter", "at_large": True,
                             "name": "Budi Contoh", "identity_note": "tinggal di Batam"}, format="json")
    assert created.status_code == 201, created.json()
    assert "Budi" not in created.content.decode() and created.json()["at_large"] is True
    listed = api.get(url)
    assert listed.status_code == 200 and [r["id"] for r in listed.json()] == [created.json()["id"]]
    assert "Budi" not in listed.content.decode()
    assert Party.objects.get().name == "Budi Contoh"  # kept, encrypted at rest
    refused = api.post(url, {"party_role": "suspect", "party_relationship": "recruiter", "name": ""},
                       format="json")
    assert refused.status_code == 400 and Party.objects.count() == 1
    assert token_client(p.b_legal).get(url).status_code == 404
    assert token_client(p.a_psychologist).post(url, {"party_role": "suspect", "party_relationship": "recruiter",
                                                     "name": "X"}, format="json").status_code == 404
