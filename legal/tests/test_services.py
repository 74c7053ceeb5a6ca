"""The legal room's rules, through its services: bad input refused, nothing half-saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from conftest import Personas
from legal import services
from legal.models import Claim, Evidence, Loss, Payment, Stage, StageEvent
from legal.services import StageInput, Upload

from .conftest import PDF, PNG, to_trial, to_verdict


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


# --- proceedings ------------------------------------------------------------------------------------


def test_a_proceeding_with_a_police_report_records_that_stage(personas: Personas) -> None:
    proceeding = to_trial(personas)
    stages = list(StageEvent.objects.filter(proceeding=proceeding).values_list("stage", flat=True))
    assert stages[0] == Stage.POLICE_REPORT and proceeding.stage == Stage.TRIAL


def test_a_verdict_before_the_trial_is_refused(personas: Personas) -> None:
    proceeding = services.proceeding_open(actor=personas.a_legal, case=personas.case_a, values={"title": "x"})
    with pytest.raises(ValidationError) as exc:
        services.stage_record(actor=personas.a_legal, proceeding=proceeding, data=StageInput(
            stage="verdict", on=dt.date(2026, 5, 1), institution="PN", articles_proven="Pasal 2"))
    assert "before" in _messages(exc) or "sebelum" in _messages(exc)
    assert not StageEvent.objects.filter(proceeding=proceeding).exists()


def test_a_stage_dated_before_the_previous_one_or_twice_is_refused(personas: Personas) -> None:
    proceeding = to_trial(personas)
    with pytest.raises(ValidationError) as exc:
        services.stage_record(actor=personas.a_legal, proceeding=proceeding, data=StageInput(
            stage="verdict", on=dt.date(2026, 4, 1), institution="PN", articles_proven="Pasal 2"))
    assert "on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.stage_record(actor=personas.a_legal, proceeding=proceeding, data=StageInput(
            stage="trial", on=dt.date(2026, 4, 25), institution="PN"))
    assert "stage" in exc.value.message_dict


def test_a_future_date_and_a_verdict_without_articles_are_refused(personas: Personas) -> None:
    proceeding = to_trial(personas)
    with pytest.raises(ValidationError) as exc:
        services.stage_record(actor=personas.a_legal, proceeding=proceeding, data=StageInput(
            stage="verdict", on=dt.date(2026, 7, 1), institution="PN"))
    assert {"on", "articles_proven"} <= set(exc.value.message_dict)


def test_only_editors_record_legal_data(personas: Personas) -> None:
    with pytest.raises(services.NotAllowed):
        services.proceeding_open(actor=personas.a_psychologist, case=personas.case_a, values={"title": "x"})
    with pytest.raises(services.NotAllowed):
        services.proceeding_open(actor=personas.a_supervisor, case=personas.case_a, values={"title": "x"})
    assert services.proceeding_open(actor=personas.a_caseworker, case=personas.case_a, values={"title": "x"})


def test_the_perpetrators_identity_is_encrypted_at_rest(personas: Personas) -> None:
    from django.db import connection

    proceeding = to_trial(personas)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, identity_note FROM legal_party WHERE proceeding_id = %s", [proceeding.pk])
        name, note = cursor.fetchone()
    assert "Yohanes" not in name and "Anis" not in note
    assert proceeding.parties.get().name == "Yohanes Perekrut"


# --- the ledger -------------------------------------------------------------------------------------------


def test_a_negative_or_zero_loss_is_refused(personas: Personas) -> None:
    for amount in (-5000, 0, "12.5", "abc"):
        with pytest.raises(ValidationError) as exc:
            services.loss_record(actor=personas.a_caseworker, case=personas.case_a, head="transport",
                                 description="Tiket", amount=amount, incurred_on=dt.date(2026, 3, 1))
        assert "amount" in exc.value.message_dict
    assert not Loss.objects.exists()


def test_evidence_of_the_wrong_type_or_too_large_is_refused_and_nothing_is_saved(personas: Personas,
                                                                                   settings: object) -> None:
    with pytest.raises(ValidationError) as exc:
        services.loss_record(actor=personas.a_caseworker, case=personas.case_a, head="transport",
                             description="Tiket", amount=350000, incurred_on=dt.date(2026, 3, 1),
                             evidence=[Upload(name="tiket.exe", content=b"MZ\x90\x00 not a pdf")])
    assert "evidence" in exc.value.message_dict
    settings.SINTAS_LEGAL_EVIDENCE_MAX_BYTES = 100  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as exc:
        services.loss_record(actor=personas.a_caseworker, case=personas.case_a, head="transport",
                             description="Tiket", amount=350000, incurred_on=dt.date(2026, 3, 1),
                             evidence=[Upload(name="big.pdf", content=PDF + b"0" * 200)])
    assert "large" in _messages(exc) or "besar" in _messages(exc)
    assert not Loss.objects.exists() and not Evidence.objects.exists()


def test_evidence_is_encrypted_at_rest(personas: Personas) -> None:
    from django.db import connection

    loss = services.loss_record(actor=personas.a_caseworker, case=personas.case_a, head="medical",
                                description="Konseling", amount=500000, incurred_on=dt.date(2026, 3, 8),
                                evidence=[Upload(name="kwitansi.pdf", content=PDF)])
    evidence = loss.evidence.get()
    assert evidence.content_type == "application/pdf" and bytes(evidence.content or b"") == PDF
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM legal_evidence WHERE id = %s", [evidence.pk])
        raw = bytes(cursor.fetchone()[0])
    assert b"%PDF" not in raw


# --- claims ------------------------------------------------------------------------------------------------


def test_a_claim_with_no_evidenced_loss_is_refused(personas: Personas) -> None:
    proceeding = to_trial(personas)
    services.loss_record(actor=personas.a_caseworker, case=personas.case_a, head="transport", description="Tiket",
                         amount=350000, incurred_on=dt.date(2026, 3, 1))
    with pytest.raises(ValidationError) as exc:
        services.claim_prepare(actor=personas.a_legal, proceeding=proceeding, recipient="lpsk",
                               filed_on=dt.date(2026, 5, 20))
    assert "evidence" in _messages(exc) or "bukti" in _messages(exc)
    assert not Claim.objects.exists()


def test_a_claim_assembles_the_evidenced_ledger_into_versioned_pdfs(personas: Personas) -> None:
    proceeding = to_trial(personas)
    services.loss_record(actor=personas.a_caseworker, case=personas.case_a, head="property_income",
                         description="Gaji tidak dibayar 6 bulan", amount=18_000_000, incurred_on=dt.date(2026, 2, 1),
                         evidence=[Upload(name="slip.png", content=PNG)])
    services.loss_record(actor=personas.a_caseworker, case=personas.case_a, head="transport", description="Tiket",
                         amount=350_000, incurred_on=dt.date(2026, 3, 1))  # no evidence: not claimed
    first = services.claim_prepare(actor=personas.a_legal, proceeding=proceeding, recipient="lpsk",
                                   filed_on=dt.date(2026, 5, 20))
    assert first.number == 1 and first.amount == Decimal(18_000_000)
    assert bytes(first.pdf or b"").startswith(b"%PDF")
    assert first.snapshot["perpetrators"][0]["relationship"] and "Yohanes" not in str(first.snapshot)
    services.loss_record(actor=personas.a_caseworker, case=personas.case_a, head="medical", description="Visum",
                         amount=750_000, incurred_on=dt.date(2026, 3, 3), evidence=[Upload(name="v.pdf", content=PDF)])
    second = services.claim_prepare(actor=personas.a_legal, proceeding=proceeding, recipient="prosecutor",
                                    filed_on=dt.date(2026, 5, 25))
    assert second.number == 2 and second.amount == Decimal(18_750_000)
    assert Claim.objects.get(pk=first.pk).amount == Decimal(18_000_000)  # the earlier version is kept


def test_a_withdrawn_loss_leaves_the_claim(personas: Personas) -> None:
    proceeding = to_trial(personas)
    loss = services.loss_record(actor=personas.a_caseworker, case=personas.case_a, head="suffering",
                                description="Penderitaan", amount=5_000_000, incurred_on=dt.date(2026, 2, 1),
                                evidence=[Upload(name="a.pdf", content=PDF)])
    with pytest.raises(ValidationError):
        services.loss_withdraw(actor=personas.a_caseworker, loss=loss, reason=" ")
    services.loss_withdraw(actor=personas.a_caseworker, loss=loss, reason="dicatat dua kali")
    with pytest.raises(ValidationError):
        services.claim_prepare(actor=personas.a_legal, proceeding=proceeding, recipient="lpsk",
                               filed_on=dt.date(2026, 5, 20))


# --- restitution ordered and paid ----------------------------------------------------------------------------


def test_restitution_needs_a_verdict(personas: Personas) -> None:
    proceeding = to_trial(personas)
    with pytest.raises(ValidationError) as exc:
        services.order_record(actor=personas.a_legal, proceeding=proceeding, party=proceeding.parties.get(),
                              amount=1000)
    assert "amount" in exc.value.message_dict


def test_the_due_date_follows_the_service_of_the_final_judgment(personas: Personas, settings: object) -> None:
    order = to_verdict(personas, served=None)
    assert order.due_on is None
    services.stage_record(actor=personas.a_legal, proceeding=order.proceeding, data=StageInput(
        stage="final", on=dt.date(2026, 5, 11), institution="PN Kupang", served_on=dt.date(2026, 5, 12)))
    order.refresh_from_db()
    assert order.served_on == dt.date(2026, 5, 12) and order.due_on == dt.date(2026, 5, 26)


def test_the_child_period_and_the_configured_period(personas: Personas, settings: object) -> None:
    """PP 43/2017 for child victims; PP 7/2018 and the new KUHAP say 30 days for all [verify]."""
    child = to_verdict(personas, child=True)
    assert child.due_on == dt.date(2026, 5, 11) + dt.timedelta(days=30)
    settings.SINTAS_LEGAL_PAYMENT_DAYS = 30  # type: ignore[attr-defined]
    from legal.models import Party

    proceeding = child.proceeding
    proceeding.child_victim = False
    proceeding.save(update_fields=["child_victim"])
    party = services.party_record(actor=personas.a_legal, proceeding=proceeding, role="convicted",
                                  relationship="agency", at_large=True, name="PT Sejahtera")
    order = services.order_record(actor=personas.a_legal, proceeding=proceeding, party=Party.objects.get(pk=party.pk),
                                  amount=1_000_000)
    assert order.due_on == dt.date(2026, 6, 10)


def test_partial_payments_remaining_amount_and_overpayment_refused(personas: Personas) -> None:
    order = to_verdict(personas, amount=30_000_000)
    services.payment_record(actor=personas.a_legal, order=order, paid_on=dt.date(2026, 5, 15), amount=10_000_000,
                            channel="court", proof_reference="KW-001")
    services.payment_record(actor=personas.a_legal, order=order, paid_on=dt.date(2026, 5, 20), amount=5_000_000,
                            channel="direct", proof_reference="TRF-002", proof=Upload(name="trf.png", content=PNG))
    assert services.order_paid(order) == Decimal(15_000_000)
    with pytest.raises(ValidationError) as exc:
        services.payment_record(actor=personas.a_legal, order=order, paid_on=dt.date(2026, 5, 21),
                                amount=15_000_001, channel="direct", proof_reference="TRF-003")
    assert "amount" in exc.value.message_dict
    assert Payment.objects.count() == 2


def test_two_payments_with_the_same_proof_are_refused(personas: Personas) -> None:
    order = to_verdict(personas)
    services.payment_record(actor=personas.a_legal, order=order, paid_on=dt.date(2026, 5, 15), amount=1_000_000,
                            channel="court", proof_reference="KW-001", proof=Upload(name="a.pdf", content=PDF))
    with pytest.raises(ValidationError) as exc:
        services.payment_record(actor=personas.a_legal, order=order, paid_on=dt.date(2026, 5, 16),
                                amount=1_000_000, channel="court", proof_reference="kw-001")
    assert "proof_reference" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.payment_record(actor=personas.a_legal, order=order, paid_on=dt.date(2026, 5, 16),
                                amount=1_000_000, channel="court", proof_reference="KW-009",
                                proof=Upload(name="same.pdf", content=PDF))
    assert Payment.objects.count() == 1


def test_a_payment_before_the_verdict_is_refused(personas: Personas) -> None:
    order = to_verdict(personas)
    with pytest.raises(ValidationError) as exc:
        services.payment_record(actor=personas.a_legal, order=order, paid_on=dt.date(2026, 4, 1), amount=1000,
                                channel="court", proof_reference="KW-1")
    assert "paid_on" in exc.value.message_dict


def test_a_correction_is_a_new_entry_with_a_reason(personas: Personas) -> None:
    order = to_verdict(personas, amount=10_000_000)
    payment = services.payment_record(actor=personas.a_legal, order=order, paid_on=dt.date(2026, 5, 15),
                                      amount=6_000_000, channel="court", proof_reference="KW-001")
    with pytest.raises(ValidationError) as exc:
        services.payment_correct(actor=personas.a_legal, payment=payment, amount=-1_000_000, reason="")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError):  # would take away more than was paid
        services.payment_correct(actor=personas.a_legal, payment=payment, amount=-6_000_001, reason="salah")
    with pytest.raises(ValidationError):  # would pay more than was ordered
        services.payment_correct(actor=personas.a_legal, payment=payment, amount=4_000_001, reason="salah")
    correction = services.payment_correct(actor=personas.a_legal, payment=payment, amount=-1_000_000,
                                          reason="salah ketik: yang diterima Rp 5.000.000")
    assert correction.corrects_id == payment.pk
    assert Payment.objects.get(pk=payment.pk).amount == Decimal(6_000_000)  # never edited
    assert services.order_paid(order) == Decimal(5_000_000)


def test_non_payment_steps_follow_the_due_date_in_order(personas: Personas) -> None:
    order = to_verdict(personas)  # due 2026-05-25
    with pytest.raises(ValidationError):
        services.step_record(actor=personas.a_legal, order=order, step="warning", on=dt.date(2026, 5, 20))
    with pytest.raises(ValidationError) as exc:
        services.step_record(actor=personas.a_legal, order=order, step="seizure", on=dt.date(2026, 5, 28))
    assert "step" in exc.value.message_dict
    services.step_record(actor=personas.a_legal, order=order, step="warning", on=dt.date(2026, 5, 28))
    services.step_record(actor=personas.a_legal, order=order, step="seizure", on=dt.date(2026, 5, 30))


# --- LPSK and hearings ------------------------------------------------------------------------------------


def test_lpsk_decision_grants_only_what_was_requested_and_once(personas: Personas) -> None:
    application = services.lpsk_apply(actor=personas.a_legal, case=personas.case_a, applied_on=dt.date(2026, 5, 20),
                                      requested=["physical", "restitution"])
    with pytest.raises(ValidationError) as exc:
        services.lpsk_decide(actor=personas.a_legal, application=application, decision="granted",
                             decided_on=dt.date(2026, 5, 25), granted=["medical"])
    assert "granted" in exc.value.message_dict
    services.lpsk_decide(actor=personas.a_legal, application=application, decision="partly",
                         decided_on=dt.date(2026, 5, 25), granted=["restitution"],
                         protection_until=dt.date(2026, 11, 25))
    with pytest.raises(ValidationError):
        services.lpsk_decide(actor=personas.a_legal, application=application, decision="refused",
                             decided_on=dt.date(2026, 5, 26))


def test_a_companion_must_belong_to_the_case_organisation(personas: Personas) -> None:
    proceeding = to_trial(personas)
    with pytest.raises(ValidationError) as exc:
        services.hearing_schedule(actor=personas.a_legal, proceeding=proceeding,
                                  at=dt.datetime(2026, 6, 10, 1, 0, tzinfo=dt.UTC), place="PN Kupang",
                                  companion_user=personas.b_legal)
    assert "companion_user" in exc.value.message_dict
