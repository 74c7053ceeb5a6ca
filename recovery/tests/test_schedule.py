"""The schedule with a controlled clock: baseline, periodic, closure and follow-up; due, overdue, met."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cases.models import Case
from cases.services import case_transition
from conftest import Personas
from recovery import selectors
from recovery.selectors import assessment_work_items, assessments_due

from .conftest import completed

OPENED = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> Any:
    def set_today(day: dt.date) -> None:
        moment = dt.datetime.combine(day, dt.time(4, 0), tzinfo=dt.UTC)
        monkeypatch.setattr("core.clock.now", lambda: moment)

    return set_today


@pytest.fixture
def case(personas: Personas) -> Case:
    Case.objects.filter(pk=personas.case_a.pk).update(opened_at=OPENED)
    case: Case = personas.case_a
    case.refresh_from_db()
    return case


def kinds(user: Any, scope: str = "mine") -> list[tuple[str, str, bool]]:
    return [(i.kind, i.title, i.overdue) for i in assessment_work_items(user, scope=scope)]


def test_baseline_is_due_after_intake_then_overdue_then_met(personas: Personas, case: Case, at: Any) -> None:
    p = personas
    assert assessments_due(case) == [("baseline", dt.date(2026, 3, 16))]
    at(dt.date(2026, 3, 5))
    assert kinds(p.a_caseworker) == []  # more than the notice period ahead
    at(dt.date(2026, 3, 10))
    assert kinds(p.a_caseworker) == [("assessment", "Baseline assessment due", False)]
    at(dt.date(2026, 3, 20))
    assert kinds(p.a_caseworker) == [("assessment", "Baseline assessment due", True)]
    completed(p.a_caseworker, case, on=dt.date(2026, 3, 20))
    assert assessments_due(case) == [("periodic", dt.date(2026, 6, 18))]
    assert kinds(p.a_caseworker) == []


def test_periodic_every_interval_after_the_latest_assessment(personas: Personas, case: Case, at: Any,
                                                             settings: Any) -> None:
    p = personas
    completed(p.a_caseworker, case, on=dt.date(2026, 3, 10))
    completed(p.a_caseworker, case, kind="periodic", on=dt.date(2026, 6, 1))
    assert assessments_due(case) == [("periodic", dt.date(2026, 8, 30))]
    at(dt.date(2026, 9, 2))
    assert kinds(p.a_caseworker) == [("assessment", "Periodic assessment due", True)]
    settings.SINTAS_ASSESSMENT_INTERVAL_DAYS = 120
    assert assessments_due(case) == [("periodic", dt.date(2026, 9, 29))]
    assert kinds(p.a_caseworker) == []
    # A screening does not count towards the holistic schedule.
    completed(p.a_psychologist, case, code="GAD-7", kind="periodic", on=dt.date(2026, 9, 1))
    assert assessments_due(case) == [("periodic", dt.date(2026, 9, 29))]


def test_closure_is_due_when_the_case_closes(personas: Personas, case: Case, at: Any) -> None:
    p = personas
    completed(p.a_caseworker, case, on=dt.date(2026, 3, 10))
    case_transition(actor=p.a_caseworker, case=case, to_status="closed", reason="selesai")
    Case.objects.filter(pk=case.pk).update(closed_at=dt.datetime(2026, 10, 1, 5, tzinfo=dt.UTC))
    case.refresh_from_db()
    assert assessments_due(case) == [("closure", dt.date(2026, 10, 1))]
    at(dt.date(2026, 10, 3))
    assert kinds(p.a_caseworker) == [("assessment", "Closure assessment due", True)]
    completed(p.a_caseworker, case, kind="closure", on=dt.date(2026, 10, 2))
    assert assessments_due(case) == []


def test_each_follow_up_date_needs_its_own_follow_up_assessment(personas: Personas, case: Case, at: Any,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    p = personas
    dates = [dt.date(2026, 7, 1), dt.date(2026, 10, 1)]
    monkeypatch.setattr(selectors, "_follow_up_dates", lambda case_id: dates)
    monkeypatch.setattr(selectors, "_follow_up_dates_by_case", lambda ids: {i: dates for i in ids})
    completed(p.a_caseworker, case, on=dt.date(2026, 6, 20))
    assert assessments_due(case) == [("follow_up", dt.date(2026, 7, 1)), ("periodic", dt.date(2026, 9, 18)),
                                     ("follow_up", dt.date(2026, 10, 1))]
    completed(p.a_caseworker, case, kind="follow_up", on=dt.date(2026, 6, 25))  # within the window before 1 July
    assert assessments_due(case) == [("periodic", dt.date(2026, 9, 23)), ("follow_up", dt.date(2026, 10, 1))]
    at(dt.date(2026, 10, 5))
    assert kinds(p.a_psychologist) == [("assessment", "Periodic assessment due", True),
                                       ("assessment", "Follow-up assessment due", True)]


def test_reintegration_dates_are_used_when_its_reader_exists(personas: Personas, case: Case,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def reader(case_ids: list[Any]) -> dict[Any, list[dt.date]]:
        return {case_id: [dt.date(2026, 12, 1)] for case_id in case_ids}

    monkeypatch.setattr(selectors, "_FOLLOW_UP_READERS", [reader])
    assert ("follow_up", dt.date(2026, 12, 1)) in assessments_due(case)


def test_work_queue_scopes(personas: Personas, case: Case, at: Any) -> None:
    p = personas
    at(dt.date(2026, 4, 1))
    assert kinds(p.a_caseworker) and kinds(p.a_psychologist)
    assert kinds(p.a_supervisor) == []  # not on the team: nothing "mine"
    assert [k for k, *_ in kinds(p.a_supervisor, "organisation")] == ["assessment"]
    assert kinds(p.a_caseworker, "organisation") == []  # the organisation's view is for supervisors
    for user in (p.a_caseworker2, p.a_me, p.a_admin, p.b_supervisor, p.outsider, p.platform):
        assert kinds(user) == [] and kinds(user, "organisation") == []
    assert all(i.case_id == case.pk for i in assessment_work_items(p.a_caseworker))
    assert timezone.is_aware(assessment_work_items(p.a_caseworker)[0].due_at)  # type: ignore[arg-type]
