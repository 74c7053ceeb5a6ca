"""Closing a case: a reason, a note, a follow-up schedule; reopening; every closure kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from audit.models import ChangeRecord
from cases.models import CaseStatus, CaseStatusChange
from conftest import Personas
from reintegration import selectors as reintegration_selectors
from reintegration.models import Closure, ClosureReason, FollowUp, FollowUpStatus
from reintegration.selectors import follow_up_dates, restored_rule_met
from reintegration.services import add_months, case_close, case_reopen

from .conftest import close


@pytest.mark.parametrize("reason", ClosureReason.values)
def test_close_with_each_reason(personas: Personas, clock_at: Any, reason: str) -> None:
    closure = close(personas, reason=reason, note="Kembali ke keluarga di Kupang.")
    case = personas.case_a
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert (closure.reason, closure.note, closure.closed_by) == (reason, "Kembali ke keluarga di Kupang.",
                                                                  personas.a_caseworker)
    change = CaseStatusChange.objects.filter(case=case).first()
    assert change is not None and change.to_status == CaseStatus.CLOSED
    assert str(ClosureReason(reason).label) in change.reason and "Kembali ke keluarga" in change.reason
    expected = 0 if reason == ClosureReason.DIED else 4
    assert FollowUp.objects.filter(closure=closure).count() == expected
    history = ChangeRecord.objects.filter(case_id=case.pk)
    assert history.filter(model="reintegration.closure", action="create").count() == 1
    assert history.filter(model="reintegration.followup", action="create").count() == expected


def test_schedule_is_3_6_12_24_months_after_closure(personas: Personas, clock_at: Any) -> None:
    closure = close(personas)  # the clock says 31 January 2026
    due = list(FollowUp.objects.filter(closure=closure).order_by("due_on").values_list("months_after", "due_on"))
    assert due == [(3, dt.date(2026, 4, 30)), (6, dt.date(2026, 7, 31)), (12, dt.date(2027, 1, 31)),
                   (24, dt.date(2028, 1, 31))]
    assert all(f.status == FollowUpStatus.SCHEDULED for f in FollowUp.objects.all())


def test_schedule_follows_the_setting(personas: Personas, clock_at: Any, settings: Any) -> None:
    settings.SINTAS_FOLLOW_UP_MONTHS = [1, 36]
    closure = close(personas)
    assert list(closure.follow_ups.order_by("due_on").values_list("due_on", flat=True)) == [
        dt.date(2026, 2, 28), dt.date(2029, 1, 31)]


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)


@pytest.mark.parametrize(("reason", "declined"), [("restored", True), ("died", False), ("died", True)])
def test_no_schedule_when_declined_or_died(personas: Personas, clock_at: Any, reason: str, declined: bool) -> None:
    closure = close(personas, reason=reason, follow_up_declined=declined)
    assert closure.follow_up_declined is declined
    assert not FollowUp.objects.exists()


def test_close_reopen_close_keeps_every_closure(personas: Personas, clock_at: Any) -> None:
    first = close(personas, reason="lost_contact")
    clock_at(dt.date(2026, 3, 1))
    case_reopen(actor=personas.a_caseworker, case=personas.case_a, reason="Penyintas menghubungi kembali.")
    first.refresh_from_db()
    assert first.reopened_at is not None and first.reopened_by == personas.a_caseworker
    assert set(first.follow_ups.values_list("status", flat=True)) == {FollowUpStatus.CANCELLED}
    personas.case_a.refresh_from_db()
    assert personas.case_a.status == CaseStatus.REOPENED
    second = close(personas, reason="restored")
    assert Closure.objects.filter(case=personas.case_a).count() == 2
    assert second.follow_ups.filter(status=FollowUpStatus.SCHEDULED).count() == 4
    assert second.follow_ups.order_by("due_on").first().due_on == dt.date(2026, 6, 1)


def test_bad_closing_input_is_refused_and_nothing_is_saved(personas: Personas, clock_at: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        close(personas, reason="")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        close(personas, reason="married")
    assert "reason" in exc.value.message_dict
    personas.case_a.refresh_from_db()
    assert personas.case_a.status == CaseStatus.INTAKE
    assert not Closure.objects.exists() and not FollowUp.objects.exists()
    close(personas)
    with pytest.raises(ValidationError) as exc:
        close(personas, reason="survivor_choice")
    assert "already closed" in " ".join(exc.value.message_dict["status"])
    assert Closure.objects.count() == 1 and FollowUp.objects.count() == 4


def test_only_editors_close(personas: Personas, clock_at: Any) -> None:
    for user in (personas.a_psychologist, personas.a_caseworker2, personas.b_supervisor):
        with pytest.raises(ValidationError):
            close(personas, actor=user)
    assert not Closure.objects.exists()
    close(personas, actor=personas.a_supervisor)  # supervisors may change their organisation's cases
    assert Closure.objects.count() == 1


def test_reopening_an_open_case_or_without_reason_is_refused(personas: Personas, clock_at: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        case_reopen(actor=personas.a_caseworker, case=personas.case_a, reason="x")
    assert "only a closed case" in " ".join(exc.value.message_dict["status"])
    close(personas)
    with pytest.raises(ValidationError) as exc:
        case_reopen(actor=personas.a_caseworker, case=personas.case_a, reason="  ")
    assert "reason" in exc.value.message_dict
    personas.case_a.refresh_from_db()
    assert personas.case_a.status == CaseStatus.CLOSED
    assert FollowUp.objects.filter(status=FollowUpStatus.SCHEDULED).count() == 4


def test_restored_rule_is_shown_not_enforced(personas: Personas, clock_at: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(reintegration_selectors, "latest_domain_scores", lambda case_id: {"safety": 2.0})
    monkeypatch.setattr(reintegration_selectors, "is_restored", lambda scores: scores.get("safety", 0) >= 3)
    assert restored_rule_met(personas.case_a.pk) is False
    closure = close(personas, reason="restored")
    assert closure.restored_rule_met is False  # recorded, and the case closed all the same
    monkeypatch.setattr(reintegration_selectors, "latest_domain_scores", lambda case_id: None)
    assert restored_rule_met(personas.case_a.pk) is None


def test_restored_rule_unknown_before_any_assessment(personas: Personas) -> None:
    assert restored_rule_met(personas.case_a.pk) is None


def test_closing_with_a_stale_status_rolls_back(personas: Personas, clock_at: Any) -> None:
    """Someone closed the case meanwhile: the transition refuses, and no closure is left behind."""
    stale = type(personas.case_a).objects.get(pk=personas.case_a.pk)
    close(personas)
    with pytest.raises(ValidationError):
        case_close(actor=personas.a_caseworker, case=stale, reason="restored", note="", follow_up_declined=False)
    assert Closure.objects.count() == 1 and FollowUp.objects.count() == 4


def test_follow_up_dates_for_the_recovery_room(personas: Personas, clock_at: Any) -> None:
    from reintegration.services import follow_up_record

    from .conftest import NO_RISK

    closure = close(personas)
    assert follow_up_dates(personas.case_a.pk) == []
    first, second = list(closure.follow_ups.order_by("due_on"))[:2]
    clock_at(dt.date(2026, 8, 1))
    follow_up_record(actor=personas.a_caseworker, case=personas.case_a, follow_up=second,
                     done_on=dt.date(2026, 7, 30), contact_mode="visit", answers=NO_RISK)
    follow_up_record(actor=personas.a_caseworker, case=personas.case_a, follow_up=first,
                     done_on=dt.date(2026, 5, 2), contact_mode="phone", answers=NO_RISK)
    assert follow_up_dates(personas.case_a.pk) == [dt.date(2026, 5, 2), dt.date(2026, 7, 30)]


@pytest.mark.parametrize("value, met", [(4, True), (3, True), (2, False)])
def test_restored_rule_from_the_latest_assessment(personas: Personas, value: int, met: bool) -> None:
    from recovery.tests.conftest import completed

    completed(personas.a_caseworker, personas.case_a, value=value)
    assert restored_rule_met(personas.case_a.pk) is met
