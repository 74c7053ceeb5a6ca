"""Each legal time limit of the room with a controlled clock: due, overdue, met."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cases.models import Case
from conftest import Personas
from legal import clocks, services
from legal.services import Upload

from .conftest import PDF, to_trial, to_verdict


def _clock(personas: Personas, kind: str) -> clocks.Clock:
    found = [c for c in clocks.clocks_for(Case.objects.filter(pk=personas.case_a.pk)) if c.kind == kind]
    assert len(found) == 1, found
    return found[0]


def _at(time_machine: Any, day: dt.date) -> None:
    time_machine.move_to(dt.datetime.combine(day, dt.time(2, 0), tzinfo=dt.UTC), tick=False)


def test_working_days_before_skip_weekends_and_holidays(settings: Any) -> None:
    # Thursday 11 June 2026: three working days before is Monday 8 June; with the 9th a holiday, Friday 5 June.
    assert clocks.working_days_before(dt.date(2026, 6, 11), 3) == dt.date(2026, 6, 8)
    settings.SINTAS_PUBLIC_HOLIDAYS = ["2026-06-09"]
    assert clocks.working_days_before(dt.date(2026, 6, 11), 3) == dt.date(2026, 6, 5)


def test_a_hearing_without_companion_is_flagged_three_working_days_before(personas: Personas,
                                                                         time_machine: Any) -> None:
    proceeding = to_trial(personas)
    hearing = services.hearing_schedule(actor=personas.a_legal, proceeding=proceeding, place="PN Kupang",
                                        at=dt.datetime(2026, 6, 11, 1, 0, tzinfo=dt.UTC))
    _at(time_machine, dt.date(2026, 6, 5))
    assert _clock(personas, "companion").status == clocks.DUE
    _at(time_machine, dt.date(2026, 6, 8))
    assert _clock(personas, "companion").status == clocks.OVERDUE
    services.hearing_companion_assign(actor=personas.a_legal, hearing=hearing, companion_user=personas.a_caseworker,
                                      companion_name="", version=hearing.version)
    assert _clock(personas, "companion").status == clocks.MET


def test_lpsk_decision_clock(personas: Personas, time_machine: Any, settings: Any) -> None:
    application = services.lpsk_apply(actor=personas.a_legal, case=personas.case_a, applied_on=dt.date(2026, 6, 1),
                                      requested=["physical"])
    assert _clock(personas, "lpsk_decision").due_on == dt.date(2026, 6, 8)
    assert _clock(personas, "lpsk_decision").status == clocks.DUE
    settings.SINTAS_LEGAL_LPSK_DECISION_DAYS = 14
    assert _clock(personas, "lpsk_decision").due_on == dt.date(2026, 6, 15)
    _at(time_machine, dt.date(2026, 6, 16))
    assert _clock(personas, "lpsk_decision").status == clocks.OVERDUE
    services.lpsk_decide(actor=personas.a_legal, application=application, decision="granted",
                         decided_on=dt.date(2026, 6, 16), granted=["physical"])
    assert _clock(personas, "lpsk_decision").status == clocks.MET


def test_claim_window_after_the_final_judgment(personas: Personas, time_machine: Any) -> None:
    order = to_verdict(personas, served=dt.date(2026, 5, 11))
    clock = _clock(personas, "claim_window")
    assert clock.due_on == dt.date(2026, 8, 9) and clock.status == clocks.DUE
    _at(time_machine, dt.date(2026, 8, 10))
    assert _clock(personas, "claim_window").status == clocks.OVERDUE
    services.loss_record(actor=personas.a_caseworker, case=personas.case_a, head="medical", description="Visum",
                         amount=750_000, incurred_on=dt.date(2026, 3, 3), evidence=[Upload(name="v.pdf", content=PDF)])
    services.claim_prepare(actor=personas.a_legal, proceeding=order.proceeding, recipient="court",
                           filed_on=dt.date(2026, 8, 10))
    assert _clock(personas, "claim_window").status == clocks.MET


def test_payment_due_overdue_met_and_the_warning_clock(personas: Personas, time_machine: Any) -> None:
    order = to_verdict(personas, amount=10_000_000, served=dt.date(2026, 5, 25))  # due 8 June
    assert _clock(personas, "payment").status == clocks.DUE
    services.payment_record(actor=personas.a_legal, order=order, paid_on=dt.date(2026, 6, 1), amount=4_000_000,
                            channel="court", proof_reference="KW-1")
    _at(time_machine, dt.date(2026, 6, 9))
    assert _clock(personas, "payment").status == clocks.OVERDUE
    warning = _clock(personas, "warning")
    assert warning.due_on == dt.date(2026, 6, 22) and warning.status == clocks.DUE
    _at(time_machine, dt.date(2026, 6, 23))
    assert _clock(personas, "warning").status == clocks.OVERDUE
    services.step_record(actor=personas.a_legal, order=order, step="warning", on=dt.date(2026, 6, 23))
    assert _clock(personas, "warning").status == clocks.MET
    services.payment_record(actor=personas.a_legal, order=order, paid_on=dt.date(2026, 6, 23), amount=6_000_000,
                            channel="court", proof_reference="KW-2")
    payment = _clock(personas, "payment")
    assert payment.status == clocks.MET and payment.met_on == dt.date(2026, 6, 23)


def test_overdue_deadlines_alert_the_legal_officer_supervisor_and_caseworker_once(personas: Personas) -> None:
    from cases.models import Alert

    to_verdict(personas, served=dt.date(2026, 5, 11))  # payment due 25 May; today 1 June
    assert services.legal_clocks_escalate() == 1
    recipients = set(Alert.objects.filter(case=personas.case_a, kind="time_limit").values_list(
        "recipient__username", flat=True))
    assert {"a_legal", "a_supervisor", "a_caseworker"} <= recipients and "b_legal" not in recipients
    assert services.legal_clocks_escalate() == 0
