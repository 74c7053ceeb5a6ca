"""The work-queue provider uses a fixed number of queries however many cases."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import Personas, register_case
from core.workqueue import work_items_for
from recovery.selectors import assessment_work_items

from .conftest import completed


def _count(user: object, scope: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        items = assessment_work_items(user, scope=scope)
    return len(ctx.captured_queries), len(items)


def test_queries_do_not_grow_with_the_caseload(personas: Personas, monkeypatch: object) -> None:
    p = personas
    monkeypatch.setattr("core.clock.now", lambda: dt.datetime(2027, 1, 1, tzinfo=dt.UTC))  # type: ignore[attr-defined]
    for user in (p.a_supervisor, p.a_caseworker):
        user.role_set()  # roles are read once per request; not what is measured here
    small_org, n_small = _count(p.a_supervisor, "organisation")
    small_mine, _ = _count(p.a_caseworker, "mine")
    for i in range(8):
        case = register_case(p.a_caseworker, name=f"Penyintas {i}", birth_date=dt.date(1990, 1, 1 + i))
        completed(p.a_caseworker, case, on=dt.date(2026, 3, 10 + i))
        completed(p.a_caseworker, case, kind="periodic", on=dt.date(2026, 6, 10 + i))
    large_org, n_large = _count(p.a_supervisor, "organisation")
    large_mine, n_mine = _count(p.a_caseworker, "mine")
    assert (large_org, large_mine) == (small_org, small_mine)
    assert n_small == 1 and n_large == 9 and n_mine == 9
    assert small_org <= 3


def test_registered_in_the_shared_work_queue(personas: Personas, monkeypatch: object) -> None:
    monkeypatch.setattr("core.clock.now", lambda: dt.datetime(2027, 1, 1, tzinfo=dt.UTC))  # type: ignore[attr-defined]
    items = [i for i in work_items_for(personas.a_caseworker) if i.kind == "assessment"]
    assert len(items) == 1 and items[0].overdue and items[0].survivor_code == personas.case_a.survivor.code
    assert "/assessments/new/?kind=baseline" in items[0].url


def test_follow_ups_come_from_reintegrations_bulk_reader(personas: Personas, monkeypatch: object) -> None:
    import reintegration.selectors as reintegration_selectors
    from recovery import selectors as recovery_selectors

    p = personas
    monkeypatch.setattr("core.clock.now", lambda: dt.datetime(2026, 11, 1, tzinfo=dt.UTC))  # type: ignore[attr-defined]
    calls: list[list[object]] = []

    def bulk(case_ids: list[object]) -> dict[object, list[dt.date]]:
        calls.append(list(case_ids))
        return {p.case_a.pk: [dt.date(2026, 10, 20)]}

    assert reintegration_selectors.follow_up_dates_by_case in recovery_selectors.follow_up_readers()
    monkeypatch.setattr(recovery_selectors, "_FOLLOW_UP_READERS", [bulk])  # type: ignore[attr-defined]
    completed(p.a_caseworker, p.case_a, on=dt.date(2026, 10, 1))
    items = assessment_work_items(p.a_caseworker)
    assert [i.title for i in items] == ["Follow-up assessment due"] and items[0].overdue
    assert calls == [[p.case_a.pk]]


def test_latest_domain_scores_for_other_rooms(personas: Personas) -> None:
    from recovery.selectors import latest_domain_scores

    assert latest_domain_scores(personas.case_a.pk) == {}
    completed(personas.a_caseworker, personas.case_a, value=2, on=dt.date(2026, 3, 10))
    completed(personas.a_caseworker, personas.case_a, value=4, kind="periodic", on=dt.date(2026, 6, 10))
    scores = latest_domain_scores(personas.case_a.pk)
    assert len(scores) == 6 and all(str(v) == "4.00" for v in scores.values())
