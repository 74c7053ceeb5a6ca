"""PHQ-9 item 9 (thoughts of self-harm): an immediate alert to the case psychologists and the lead
organisation's supervisors, and nobody else."""

from __future__ import annotations

import datetime as dt

from cases.models import Alert
from conftest import Personas, make_user
from recovery.services import assessment_complete, assessment_save_draft, assessment_start

from .conftest import completed, instrument


def _phq9(value9: int) -> dict[int, int]:
    return {n: 1 for n in range(1, 9)} | {9: value9}


def test_item_9_alerts_psychologists_on_the_team_and_supervisors_only(personas: Personas) -> None:
    p = personas
    # A second supervisor, and a psychologist of the organisation who is not on this case's team.
    extra_supervisor = make_user("a_supervisor2", p.org_a, ["supervisor"])
    make_user("a_psychologist2", p.org_a, ["psychologist"])
    a = completed(p.a_psychologist, p.case_a, code="PHQ-9", answers=_phq9(1))
    recipients = set(Alert.objects.filter(case=p.case_a, kind="self_harm").values_list("recipient__username",
                                                                                          flat=True))
    assert recipients == {"a_psychologist", "a_supervisor", extra_supervisor.username}
    assert a.screening.flagged and a.alerted_at is not None
    alert = Alert.objects.filter(kind="self_harm").first()
    assert alert is not None and "PHQ-9" in alert.detail and "Sari" not in alert.detail  # no identity


def test_no_alert_when_item_9_is_zero_or_for_other_instruments(personas: Personas) -> None:
    p = personas
    completed(p.a_psychologist, p.case_a, code="PHQ-9", answers=_phq9(0))
    completed(p.a_psychologist, p.case_a, code="GAD-7", value=3)
    completed(p.a_psychologist, p.case_a, code="PCL-5", value=4)
    assert not Alert.objects.exists()


def test_the_alert_is_raised_at_the_first_save_and_only_once(personas: Personas) -> None:
    p = personas
    a = assessment_start(actor=p.a_caseworker, case=p.case_a, instrument=instrument("PHQ-9"), kind="baseline",
                         assessed_on=dt.date(2026, 3, 10))
    assessment_save_draft(actor=p.a_caseworker, case=p.case_a, assessment=a, answers={9: 2})
    assert Alert.objects.filter(kind="self_harm").count() == 2  # psychologist and supervisor, at once
    assessment_save_draft(actor=p.a_caseworker, case=p.case_a, assessment=a, answers={9: 3})
    assessment_complete(actor=p.a_caseworker, case=p.case_a, assessment=a, answers=_phq9(3))
    assert Alert.objects.filter(kind="self_harm").count() == 2
    assert not Alert.objects.filter(recipient=p.a_caseworker).exists()


def test_a_refused_completion_raises_no_alert(personas: Personas) -> None:
    import pytest
    from django.core.exceptions import ValidationError

    p = personas
    a = assessment_start(actor=p.a_psychologist, case=p.case_a, instrument=instrument("PHQ-9"), kind="baseline",
                         assessed_on=dt.date(2026, 3, 10))
    with pytest.raises(ValidationError):
        assessment_complete(actor=p.a_psychologist, case=p.case_a, assessment=a, answers={9: 1})
    assert not Alert.objects.exists()  # nothing was saved; the page still shows the safety message
