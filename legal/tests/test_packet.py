"""The legal-aid referral packet carries the legal history and the ledger, nothing else."""

from __future__ import annotations

import datetime as dt

from conftest import Personas
from legal import services
from referrals.packet import record_value, templates

from .conftest import PDF, to_verdict


def test_the_legal_aid_template_holds_only_the_legal_history_and_the_ledger() -> None:
    assert templates()["legal_restitution"].fields == ("legal.history", "legal.ledger")


def test_the_packet_values_name_no_perpetrator(personas: Personas) -> None:
    order = to_verdict(personas, amount=30_000_000)
    services.payment_record(actor=personas.a_legal, order=order, paid_on=dt.date(2026, 5, 20), amount=10_000_000,
                            channel="court", proof_reference="KW-1")
    services.loss_record(actor=personas.a_caseworker, case=personas.case_a, head="medical", description="Visum",
                         amount=750_000, incurred_on=dt.date(2026, 3, 3),
                         evidence=[services.Upload(name="visum.pdf", content=PDF)])
    history = record_value("legal.history", personas.case_a)
    ledger = record_value("legal.ledger", personas.case_a)
    assert "LP/B/123/III/2026" in history and "45/Pid.Sus/2026/PN Kpg" in history
    assert "visum.pdf" in ledger and "Rp 750.000" in ledger and "Rp 10.000.000" in ledger
    assert "Yohanes" not in history + ledger and "Anis" not in history + ledger


def test_trajectory_markers_for_legal_viewers_only(personas: Personas) -> None:
    from legal.selectors import trajectory_markers

    order = to_verdict(personas)
    services.payment_record(actor=personas.a_legal, order=order, paid_on=dt.date(2026, 5, 20), amount=1000,
                            channel="court", proof_reference="KW-1")
    markers = trajectory_markers(personas.a_caseworker, personas.case_a)
    assert markers[0][0] == dt.date(2026, 3, 5) and markers[-1] == (dt.date(2026, 5, 20), "pembayaran restitusi")
    assert len(markers) == 8  # report, investigation, P-21, prosecution, trial, verdict, final; one payment
    assert trajectory_markers(personas.a_supervisor, personas.case_a) == []


def test_the_trajectory_chart_shows_legal_markers_only_to_those_who_may_see_legal_data(personas: Personas) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from legal.selectors import trajectory_markers
    from recovery import selectors as recovery_selectors
    from recovery.sections import trajectory_context

    p = personas
    order = to_verdict(p)
    services.payment_record(actor=p.a_legal, order=order, paid_on=dt.date(2026, 5, 20), amount=1000,
                            channel="court", proof_reference="KW-1")
    with CaptureQueriesContext(connection) as ctx:
        trajectory_markers(p.a_legal, p.case_a)  # a legal officer: no team lookup
    assert len(ctx.captured_queries) == 1  # stages and payments in one query
    team = recovery_selectors.trajectory_markers(p.a_caseworker, p.case_a)
    assert len(team) == 8 and [d for d, _label in team] == sorted(d for d, _label in team)
    assert (dt.date(2026, 5, 20), "pembayaran restitusi") in team
    assert trajectory_context(p.case_a, p.a_legal)["markers"] == team
    assert recovery_selectors.trajectory_markers(p.a_supervisor, p.case_a) == []  # off the team: nothing legal

