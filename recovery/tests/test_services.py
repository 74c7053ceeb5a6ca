"""Recording assessments: drafts, completion, bad input refused with nothing half-saved, who may record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from audit.models import ChangeRecord
from cases.services import case_team_add, case_transition
from conftest import Personas
from core.concurrency import StaleVersion
from recovery.models import Answer, Assessment, DomainScore, ScreeningResult
from recovery.services import (
    assessment_complete,
    assessment_discard_draft,
    assessment_save_draft,
    assessment_start,
)

from .conftest import all_answers, completed, holistic_answers, instrument

ON = dt.date(2026, 3, 10)


def start(p: Personas, code: str = "SHRS", **kwargs: object) -> Assessment:
    return assessment_start(actor=p.a_caseworker, case=p.case_a, instrument=instrument(code),
                            kind=kwargs.pop("kind", "baseline"), assessed_on=kwargs.pop("on", ON), **kwargs)  # type: ignore[arg-type]


def test_draft_is_saved_and_resumed_then_completed_with_scores(personas: Personas) -> None:
    p = personas
    a = start(p)
    a = assessment_save_draft(actor=p.a_caseworker, case=p.case_a, assessment=a,
                              answers=holistic_answers({"safety": [2, 3, None], "legal": [4]}), expected_version=1)
    assert a.version == 2 and a.is_draft
    assert Answer.objects.filter(assessment=a).count() == 3
    # Later (a new request): the draft still holds everything typed; continue and complete.
    again = Assessment.objects.get(pk=a.pk)
    rest = holistic_answers({"mental": [1, 2, 2], "economic": [3], "social": [None, 4], "physical": [2, 2, 2]})
    done = assessment_complete(actor=p.a_caseworker, case=p.case_a, assessment=again, answers=rest,
                               expected_version=2)
    assert done.status == "completed" and done.completed_at is not None and done.version == 3
    scores = {s.domain: s.score for s in DomainScore.objects.filter(assessment=a)}
    assert scores == {"safety": Decimal("2.50"), "legal": Decimal("4.00"), "mental": Decimal("1.67"),
                      "economic": Decimal("3.00"), "social": Decimal("4.00"), "physical": Decimal("2.00")}
    assert done.restored is False
    assert ChangeRecord.objects.filter(case_id=p.case_a.pk, model="recovery.assessment").count() == 3


def test_an_answer_can_be_cleared_in_a_draft(personas: Personas) -> None:
    p = personas
    a = start(p, answers={1: 3, 2: 2})
    assessment_save_draft(actor=p.a_caseworker, case=p.case_a, assessment=a, answers={"1": None})
    assert list(Answer.objects.filter(assessment=a).values_list("item__number", "value")) == [(2, 2)]


def test_screening_is_scored_with_its_band(personas: Personas) -> None:
    p = personas
    a = completed(p.a_psychologist, p.case_a, code="GAD-7", answers={1: 3, 2: 3, 3: 2, 4: 1, 5: 1, 6: 0, 7: 0})
    result = ScreeningResult.objects.get(assessment=a)
    assert (result.total, result.band, result.flagged) == (10, "moderate", False)
    assert a.restored is None


def _nothing_changed(a: Assessment, answers_before: int, version: int) -> None:
    a.refresh_from_db()
    assert a.is_draft and a.version == version
    assert Answer.objects.filter(assessment=a).count() == answers_before
    assert not DomainScore.objects.filter(assessment=a).exists()


@pytest.mark.parametrize("bad", [{1: 5}, {1: 0}, {1: "x"}, {1: 2.5}, {1: True}, {99: 2}, {"nope": 1}])
def test_values_outside_the_scale_or_unknown_items_are_refused(personas: Personas, bad: dict[object, object]) -> None:
    p = personas
    a = start(p, answers={2: 2})
    with pytest.raises(ValidationError):
        assessment_save_draft(actor=p.a_caseworker, case=p.case_a, assessment=a, answers={3: 3, **bad})
    _nothing_changed(a, 1, 1)


def test_screening_scale_is_its_own(personas: Personas) -> None:
    p = personas
    a = assessment_start(actor=p.a_psychologist, case=p.case_a, instrument=instrument("PHQ-9"), kind="baseline",
                         assessed_on=ON, answers={1: 0})
    with pytest.raises(ValidationError) as exc:
        assessment_save_draft(actor=p.a_psychologist, case=p.case_a, assessment=a, answers={2: 4})
    assert "item_2" in exc.value.message_dict


def test_dates_before_identification_or_in_the_future_are_refused(personas: Personas, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 12, 6, 22, 30, tzinfo=dt.UTC), tick=False)  # 7 December in Kupang
    p = personas
    for bad in (p.case_a.identified_on - dt.timedelta(days=1), dt.date(2026, 12, 9)):
        with pytest.raises(ValidationError) as exc:
            start(p, on=bad)
        assert "assessed_on" in exc.value.message_dict
    assert not Assessment.objects.exists()
    a = start(p, answers={1: 3})
    with pytest.raises(ValidationError):
        assessment_complete(actor=p.a_caseworker, case=p.case_a, assessment=a, answers=all_answers("SHRS", 3),
                            assessed_on=dt.date(2026, 12, 8))
    _nothing_changed(a, 1, 1)


def test_an_assessment_of_another_case_is_refused(personas: Personas) -> None:
    p = personas
    a = start(p, answers={1: 3})
    from conftest import register_case

    other = register_case(p.a_caseworker, name="Lain", nik="")
    for call in (assessment_save_draft, assessment_complete):
        with pytest.raises(ValidationError):
            call(actor=p.a_caseworker, case=other, assessment=a, answers={2: 2})
    with pytest.raises(ValidationError):
        assessment_discard_draft(actor=p.a_caseworker, case=other, assessment=a)
    _nothing_changed(a, 1, 1)


def test_completion_needs_every_screening_item_and_each_holistic_domain(personas: Personas) -> None:
    p = personas
    phq = assessment_start(actor=p.a_psychologist, case=p.case_a, instrument=instrument("PHQ-9"), kind="baseline",
                           assessed_on=ON, answers={1: 1})
    with pytest.raises(ValidationError) as exc:
        assessment_complete(actor=p.a_psychologist, case=p.case_a, assessment=phq, answers={n: 1 for n in range(2, 9)})
    assert set(exc.value.message_dict) == {"item_9"}
    _nothing_changed(phq, 1, 1)  # the seven answers sent with the refused completion were not kept

    a = start(p)
    answers = holistic_answers({"safety": [3], "legal": [3], "mental": [3], "economic": [3], "social": [3]})
    with pytest.raises(ValidationError) as exc:
        assessment_complete(actor=p.a_caseworker, case=p.case_a, assessment=a, answers=answers)
    assert "physical wellbeing" in " ".join(exc.value.messages)
    _nothing_changed(a, 0, 1)


def test_a_stale_version_is_refused(personas: Personas) -> None:
    p = personas
    a = start(p)
    assessment_save_draft(actor=p.a_caseworker, case=p.case_a, assessment=a, answers={1: 2}, expected_version=1)
    with pytest.raises(StaleVersion) as exc:
        assessment_save_draft(actor=p.a_caseworker, case=p.case_a, assessment=a, answers={1: 4}, expected_version=1)
    assert exc.value.current_version == 2
    assert exc.value.current["item_1"] == 2 and exc.value.submitted["item_1"] == 4
    assert exc.value.changed_fields == ["item_1"]
    assert Answer.objects.get(assessment=a).value == 2


def test_completed_assessments_are_final(personas: Personas) -> None:
    p = personas
    a = completed(p.a_caseworker, p.case_a)
    with pytest.raises(ValidationError):
        assessment_save_draft(actor=p.a_caseworker, case=p.case_a, assessment=a, answers={1: 1})
    with pytest.raises(ValidationError):
        assessment_discard_draft(actor=p.a_caseworker, case=p.case_a, assessment=a)


def test_only_the_recorder_continues_a_draft_and_a_supervisor_may_discard_it(personas: Personas) -> None:
    p = personas
    a = start(p, answers={1: 3})
    for other in (p.a_psychologist, p.a_supervisor):
        with pytest.raises(ValidationError):
            assessment_complete(actor=other, case=p.case_a, assessment=a, answers=all_answers("SHRS", 3))
    with pytest.raises(ValidationError):
        assessment_discard_draft(actor=p.a_psychologist, case=p.case_a, assessment=a)
    _nothing_changed(a, 1, 1)
    assessment_discard_draft(actor=p.a_supervisor, case=p.case_a, assessment=a)
    assert not Assessment.objects.filter(pk=a.pk).exists()
    assert ChangeRecord.objects.filter(model="recovery.assessment", object_id=str(a.pk), action="delete").exists()


def test_who_may_record_what(personas: Personas) -> None:
    p = personas
    case = p.case_a
    case_team_add(actor=p.a_supervisor, case=case, user_id=p.a_legal.pk)
    case_team_add(actor=p.a_supervisor, case=case, user_id=p.a_health.pk)

    def may(user: object, code: str) -> bool:
        try:
            assessment_start(actor=user, case=case, instrument=instrument(code), kind="baseline", assessed_on=ON)
        except ValidationError:
            return False
        return True

    assert may(p.a_legal, "SHRS") and not may(p.a_legal, "PHQ-9")  # team, but not a screening role
    assert may(p.a_health, "PCL-5") and may(p.a_psychologist, "PHQ-9") and may(p.a_caseworker, "GAD-7")
    assert may(p.a_supervisor, "SHRS") and not may(p.a_supervisor, "PHQ-9")  # not on the team
    for outsider in (p.a_caseworker2, p.a_livelihood, p.a_me, p.b_caseworker, p.b_supervisor, p.outsider):
        assert not may(outsider, "SHRS")


def test_a_closed_case_takes_only_closure_and_follow_up_assessments(personas: Personas) -> None:
    p = personas
    case_transition(actor=p.a_caseworker, case=p.case_a, to_status="closed", reason="selesai")
    with pytest.raises(ValidationError):
        start(p, kind="periodic")
    assert start(p, kind="closure").kind == "closure"
    assert start(p, kind="follow_up").kind == "follow_up"


def test_screening_answers_are_redacted_in_the_history(personas: Personas) -> None:
    p = personas
    completed(p.a_psychologist, p.case_a, code="PHQ-9", value=2)
    records = ChangeRecord.objects.filter(model__in=["recovery.answer", "recovery.screeningresult"])
    assert records.count() == 10
    assert all(r.changes.get("value", ["•••", "•••"])[1] == "•••" for r in records.filter(model="recovery.answer"))
    assert records.get(model="recovery.screeningresult").changes["total"][1] == "•••"
