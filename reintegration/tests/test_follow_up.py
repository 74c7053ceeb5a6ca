"""Recording follow-up visits: the re-trafficking risk screen, its scoring, the alert, reopening."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cases.models import Alert, CaseStatus
from cases.services import case_lead_change
from conftest import Personas, login
from core.workqueue import work_items_for
from reintegration.models import FollowUp, FollowUpStatus, RiskLevel
from reintegration.risk import FACTOR_CODES, risk_score, young_answer_for
from reintegration.services import follow_up_miss, follow_up_record

from .conftest import NO_RISK, answers, close


def _first(closure: Any) -> FollowUp:
    follow_up: FollowUp | None = closure.follow_ups.order_by("due_on").first()
    assert follow_up is not None
    return follow_up


# --- scoring --------------------------------------------------------------------------------------


def test_risk_levels_low_medium_high() -> None:
    assert (risk_score(NO_RISK).score, risk_score(NO_RISK).level) == (0, RiskLevel.LOW)
    low = risk_score(answers(young_at_first_trafficking="yes"))
    assert (low.score, low.level) == (2, RiskLevel.LOW)
    medium = risk_score(answers(young_at_first_trafficking="yes", stigma_on_return="yes"))
    assert (medium.score, medium.level) == (3, RiskLevel.MEDIUM)
    high = risk_score(answers(pressure_to_remigrate="yes", family_dysfunction="yes", stigma_on_return="yes"))
    assert (high.score, high.level, high.forced_by) == (6, RiskLevel.HIGH, [])


def test_contact_with_traffickers_forces_high() -> None:
    result = risk_score(answers(trafficker_contact="yes"))
    assert result.level == RiskLevel.HIGH and result.forced_by == ["trafficker_contact"]


def test_unknown_answers_score_nothing_but_are_listed() -> None:
    result = risk_score({code: "unknown" for code in FACTOR_CODES})
    assert (result.score, result.level) == (0, RiskLevel.LOW)
    assert result.unknown == list(FACTOR_CODES)


def test_weights_and_thresholds_are_configuration(settings: Any) -> None:
    settings.SINTAS_RETRAFFICKING_RISK_THRESHOLDS = {"medium": 1, "high": 2}
    settings.SINTAS_RETRAFFICKING_RISK_FORCE_HIGH = []
    settings.SINTAS_RETRAFFICKING_RISK_WEIGHTS = {"trafficker_contact": 1}
    assert risk_score(answers(trafficker_contact="yes")).level == RiskLevel.MEDIUM
    assert risk_score(answers(stigma_on_return="yes", trafficker_contact="yes")).level == RiskLevel.HIGH


def test_young_at_first_trafficking_is_derived(personas: Personas) -> None:
    survivor = personas.case_a.survivor
    survivor.is_child_at_exploitation, survivor.age_band = True, "27-29"
    assert young_answer_for(survivor) == "yes"
    survivor.is_child_at_exploitation, survivor.age_band = None, "21-23"
    assert young_answer_for(survivor) == "yes"
    survivor.age_band = "30-38"
    assert young_answer_for(survivor) == "no"
    survivor.age_band = "unknown"
    assert young_answer_for(survivor) == "unknown"


# --- recording ------------------------------------------------------------------------------------


def test_recording_saves_the_screen(personas: Personas, clock_at: Any) -> None:
    follow_up = _first(close(personas))
    clock_at(dt.date(2026, 5, 1))
    given = {k: v for k, v in answers(stigma_on_return="yes", same_community_hardship="yes").items()
             if k != "young_at_first_trafficking"}
    done = follow_up_record(actor=personas.a_caseworker, case=personas.case_a, follow_up=follow_up,
                            done_on=dt.date(2026, 4, 29), contact_mode="visit", notes="Bekerja di warung.",
                            answers=given)
    done.refresh_from_db()
    assert (done.status, done.done_on, done.done_by, done.risk_level) == (
        FollowUpStatus.DONE, dt.date(2026, 4, 29), personas.a_caseworker, RiskLevel.MEDIUM)
    # Sari was 26 at identification in 2026 (band 24-26): derived "no" for young at first trafficking.
    assert done.risk_answers["young_at_first_trafficking"] == young_answer_for(personas.case_a.survivor)
    assert not Alert.objects.exists()


def test_high_risk_alerts_the_last_lead_caseworker_only(personas: Personas, clock_at: Any) -> None:
    follow_up = _first(close(personas))
    # The lead caseworker changes after closure: the alert goes to the last lead.
    case_lead_change(actor=personas.a_supervisor, case=personas.case_a, user_id=personas.a_caseworker2.pk)
    personas.case_a.refresh_from_db()
    clock_at(dt.date(2026, 5, 1))
    follow_up_record(actor=personas.a_caseworker, case=personas.case_a, follow_up=follow_up,
                     done_on=dt.date(2026, 5, 1), contact_mode="phone", answers=answers(trafficker_contact="yes"))
    alerts = list(Alert.objects.all())
    assert [(a.recipient, a.kind) for a in alerts] == [(personas.a_caseworker2, Alert.Kind.RETRAFFICKING_RISK)]
    assert "Sari" not in alerts[0].detail  # no identity in an alert


def test_reopen_from_the_alert(personas: Personas, clock_at: Any) -> None:
    follow_up = _first(close(personas))
    clock_at(dt.date(2026, 5, 1))
    follow_up_record(actor=personas.a_supervisor, case=personas.case_a, follow_up=follow_up,
                     done_on=dt.date(2026, 5, 1), contact_mode="visit",
                     answers=answers(pressure_to_remigrate="yes", same_community_hardship="yes",
                                     family_dysfunction="yes"))
    lead = personas.a_caseworker
    [item] = [i for i in work_items_for(lead) if i.kind == "alert"]
    client = login(Client(), lead)
    assert client.get(item.url).status_code == 200
    detail = client.get(reverse("reintegration:follow_up_detail",
                                kwargs={"case_id": personas.case_a.pk, "follow_up_id": follow_up.pk}))
    reopen_url = reverse("reintegration:reopen", kwargs={"case_id": personas.case_a.pk})
    assert reopen_url in detail.content.decode()
    assert client.get(reopen_url).status_code == 200
    response = client.post(reopen_url, {"reason": "Risiko tinggi: tekanan untuk bermigrasi lagi."})
    assert response.status_code == 302
    personas.case_a.refresh_from_db()
    assert personas.case_a.status == CaseStatus.REOPENED
    assert not FollowUp.objects.filter(status=FollowUpStatus.SCHEDULED).exists()


@pytest.mark.parametrize(("done_on", "mode", "given", "field"), [
    (dt.date(2026, 5, 2), "visit", NO_RISK, "done_on"),  # tomorrow
    (dt.date(2026, 1, 30), "visit", NO_RISK, "done_on"),  # the day before closure
    (None, "visit", NO_RISK, "done_on"),
    (dt.date(2026, 5, 1), "carrier pigeon", NO_RISK, "contact_mode"),
    (dt.date(2026, 5, 1), "visit", answers(stigma_on_return="maybe"), "risk_answers"),
    (dt.date(2026, 5, 1), "visit", {**NO_RISK, "astrology": "yes"}, "risk_answers"),
    (dt.date(2026, 5, 1), "visit", {k: v for k, v in NO_RISK.items() if k != "stigma_on_return"}, "risk_answers"),
    (dt.date(2026, 5, 1), "visit", "yes", "risk_answers"),
])
def test_bad_follow_up_input_is_refused(personas: Personas, clock_at: Any, done_on: Any, mode: str, given: Any,
                                        field: str) -> None:
    follow_up = _first(close(personas))
    clock_at(dt.date(2026, 5, 1))
    with pytest.raises(ValidationError) as exc:
        follow_up_record(actor=personas.a_caseworker, case=personas.case_a, follow_up=follow_up, done_on=done_on,
                         contact_mode=mode, answers=given)
    assert field in exc.value.message_dict
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.SCHEDULED and follow_up.risk_level == ""


def test_high_risk_with_bad_date_raises_no_alert(personas: Personas, clock_at: Any) -> None:
    follow_up = _first(close(personas))
    with pytest.raises(ValidationError):
        follow_up_record(actor=personas.a_caseworker, case=personas.case_a, follow_up=follow_up,
                         done_on=dt.date(2026, 12, 1), contact_mode="visit", answers=answers(trafficker_contact="yes"))
    assert not Alert.objects.exists()


def test_a_follow_up_is_recorded_once_and_not_after_reopening(personas: Personas, clock_at: Any) -> None:
    from reintegration.services import case_reopen

    first, second = list(close(personas).follow_ups.order_by("due_on"))[:2]
    clock_at(dt.date(2026, 5, 1))
    follow_up_record(actor=personas.a_caseworker, case=personas.case_a, follow_up=first, done_on=dt.date(2026, 5, 1),
                     contact_mode="visit", answers=NO_RISK)
    first.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        follow_up_record(actor=personas.a_caseworker, case=personas.case_a, follow_up=first,
                         done_on=dt.date(2026, 5, 1), contact_mode="visit", answers=NO_RISK)
    assert "status" in exc.value.message_dict
    case_reopen(actor=personas.a_caseworker, case=personas.case_a, reason="Kembali ke layanan.")
    second.refresh_from_db()
    with pytest.raises(ValidationError):
        follow_up_record(actor=personas.a_caseworker, case=personas.case_a, follow_up=second,
                         done_on=dt.date(2026, 5, 1), contact_mode="visit", answers=NO_RISK)


def test_a_follow_up_of_another_case_is_refused(personas: Personas, clock_at: Any) -> None:
    follow_up = _first(close(personas, case=personas.case_b, actor=personas.b_caseworker))
    with pytest.raises(ValidationError):
        follow_up_record(actor=personas.a_caseworker, case=personas.case_a, follow_up=follow_up,
                         done_on=dt.date(2026, 1, 31), contact_mode="visit", answers=NO_RISK)


def test_missed_only_when_due(personas: Personas, clock_at: Any) -> None:
    follow_up = _first(close(personas))
    with pytest.raises(ValidationError):
        follow_up_miss(actor=personas.a_caseworker, case=personas.case_a, follow_up=follow_up)
    clock_at(dt.date(2026, 5, 3))
    follow_up_miss(actor=personas.a_caseworker, case=personas.case_a, follow_up=follow_up, notes="Nomor tidak aktif.")
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.MISSED
