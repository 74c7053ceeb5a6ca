"""Fixtures of the legal room: a controlled clock and a proceeding carried to trial."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from conftest import Personas

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _indonesian() -> Iterator[None]:
    """Each test starts in Indonesian (the site's language), whatever an earlier test's request left active."""
    with translation.override("id"):
        yield


@pytest.fixture(autouse=True)
def _june(time_machine: Any) -> None:
    # A Monday, early morning UTC (the same date in WIB, WITA and WIT).
    time_machine.move_to(dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC), tick=False)


def to_trial(p: Personas, *, child: bool = False) -> Any:
    """A proceeding of case A, from police report to trial, with one perpetrator."""
    from legal.services import StageInput, party_record, proceeding_open, stage_record

    actor = p.a_legal
    proceeding = proceeding_open(actor=actor, case=p.case_a, values={
        "title": "Perekrutan PMI ilegal ke Malaysia", "police_report_number": "LP/B/123/III/2026",
        "police_unit": "Polda NTT", "police_report_date": dt.date(2026, 3, 5), "court_name": "PN Kupang",
        "child_victim": child})
    for stage, on in (("investigation", dt.date(2026, 3, 10)), ("file_complete", dt.date(2026, 4, 1)),
                      ("prosecution", dt.date(2026, 4, 8)), ("trial", dt.date(2026, 4, 20))):
        stage_record(actor=actor, proceeding=proceeding, data=StageInput(stage=stage, on=on, institution="Kejari"))
    party_record(actor=actor, proceeding=proceeding, role="defendant", relationship="recruiter", at_large=False,
                 name="Yohanes Perekrut", identity_note="alias Anis")
    return proceeding


def to_verdict(p: Personas, *, amount: int = 30_000_000, served: dt.date | None = dt.date(2026, 5, 11),
               child: bool = False) -> Any:
    """A proceeding with its verdict, restitution ordered, and (``served``) the final judgment served."""
    from legal.models import Party
    from legal.services import StageInput, order_record, stage_record

    proceeding = to_trial(p, child=child)
    stage_record(actor=p.a_legal, proceeding=proceeding, data=StageInput(
        stage="verdict", on=dt.date(2026, 5, 4), institution="PN Kupang", case_number="45/Pid.Sus/2026/PN Kpg",
        articles_proven="UU 21/2007 Pasal 2 ayat (1)", sentence="5 tahun penjara"))
    order = order_record(actor=p.a_legal, proceeding=proceeding, party=Party.objects.get(proceeding=proceeding),
                         amount=amount)
    if served is not None:
        stage_record(actor=p.a_legal, proceeding=proceeding, data=StageInput(
            stage="final", on=served, institution="PN Kupang", served_on=served))
        order.refresh_from_db()
    return order
