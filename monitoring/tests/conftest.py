"""A small world with hand-computable indicators (synthetic data only).

Period: the first semester of 2026 (1 January to 30 June). Organisation A (Kota Kupang, 53.71):

    case   sex     identified  what happens
    c0     female  2026-03-02  (personas.case_a; police channel) nothing
    c1     female  2026-02-01  health rehabilitation +1 day; report to police +1 day (in time);
                               baseline safety 2.00 -> 3.00 on 2026-04-01 (improved)
    c2     female  2026-02-01  health rehabilitation +2; report to police +3 days (late);
                               baseline safety 2.50 -> 2.50 on 2026-04-01 (not improved)
    c3     female  2026-02-01  health rehabilitation +3; reassessed only on 2026-08-01 (outside)
    c4     female  2026-02-01  health rehabilitation +4; closed 2026-05-01 "restored";
                               follow-up due 2026-06-01 never done (overdue)
    c5     female  2026-02-01  health rehabilitation +5; closed 2026-05-10 "survivor's choice";
                               follow-up done 2026-06-01 with high re-trafficking risk
    c6     female  2026-02-01  health rehabilitation +10; closed 2025-11-01 restored, reopened 2026-03-01
    c7     male    2026-02-01  health rehabilitation on 2026-07-05 (after the period)
    c8     male    2026-02-01  application 2026-02-01, psychological support 2026-02-08 (day 7: in time)
    c9     male    2026-02-01  application 2026-02-01, psychological support 2026-02-09 (late)
    c10    male    2026-02-01  application 2026-02-01, nothing
    c11    female  2026-01-10  urgent medical needs; medical care 2026-01-15 (first aid in time)
    c12    female  2025-12-15  (outside the period)

Organisation B (Kota Surabaya, 35.78): personas.case_b and five more cases, all male, identified
in the period, nothing else.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from care.models import Service, ServiceApplication, ServiceDelivery
from cases.models import Case
from monitoring.facts import facts_refresh
from recovery.models import Assessment, AssessmentKind, DomainScore, Instrument
from reintegration.models import Closure, ClosureReason, FollowUp, FollowUpStatus, RiskLevel
from survivors.models import Survivor

H1_2026 = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
_codes = itertools.count(1)


# The clock of tests that freeze it (``frozen``): after the period of the world below.
T0 = dt.datetime(2026, 7, 10, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen(time_machine: Any) -> Any:
    """The clock stopped at T0; list it before ``world`` so the world's figures are as of T0."""
    time_machine.move_to(T0, tick=False)
    return time_machine


@pytest.fixture(autouse=True)
def english(settings: Any) -> Any:
    """Assertions read the English msgids (test_indonesian_error_messages checks Indonesian)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _case(org: Any, worker: Any, *, sex: str, identified: dt.date, channel: str = "ngo_outreach",
          urgent: list[str] | None = None, age_band: str = "24-26") -> Case:
    survivor = Survivor.objects.create(code=f"MTEST{next(_codes):05d}", sex=sex, age_band=age_band,
                                       is_child_at_identification=age_band in ("0-8", "9-17"),
                                       registered_by_organisation=org)
    case = Case.objects.create(survivor=survivor, lead_organisation=org, lead_caseworker=worker,
                               identified_on=identified, channel=channel, urgent_needs=urgent or [],
                               modus="migrant_work", exploitation_types=["ForcedLabour"])
    _opened(case, identified)
    return case


def _opened(case: Case, day: dt.date) -> None:
    Case.objects.filter(pk=case.pk).update(opened_at=dt.datetime(day.year, day.month, day.day, 2, 0, tzinfo=dt.UTC))


def deliver(case: Case, code: str, day: dt.date) -> ServiceDelivery:
    return ServiceDelivery.objects.create(
        case=case, service=Service.objects.get(code=code), organisation=case.lead_organisation,
        delivered_by=case.lead_caseworker, created_by=case.lead_caseworker, delivered_on=day,
        status=ServiceDelivery.Status.RECORDED,
    )


def assess(case: Case, kind: str, day: dt.date, scores: dict[str, str]) -> Assessment:
    instrument = Instrument.objects.filter(kind=Instrument.Kind.HOLISTIC).order_by("-version").first()
    assert instrument is not None
    assessment = Assessment.objects.create(case=case, instrument=instrument, kind=kind, assessed_on=day,
                                           status=Assessment.Status.COMPLETED, recorded_by=case.lead_caseworker)
    for domain, score in scores.items():
        DomainScore.objects.create(assessment=assessment, domain=domain, score=Decimal(score))
    return assessment


def close(case: Case, reason: str, day: dt.date, *, reopened: dt.date | None = None) -> Closure:
    moment = dt.datetime(day.year, day.month, day.day, 3, 0, tzinfo=dt.UTC)
    return Closure.objects.create(
        case=case, reason=reason, closed_by=case.lead_caseworker, closed_at=moment,
        reopened_at=dt.datetime(reopened.year, reopened.month, reopened.day, 3, 0, tzinfo=dt.UTC) if reopened else None,
    )


@pytest.fixture
def world(personas: Any) -> dict[str, Any]:
    a, b = personas.org_a, personas.org_b
    wa, wb = personas.a_caseworker, personas.b_caseworker
    feb1 = dt.date(2026, 2, 1)
    c: dict[str, Any] = {"c0": personas.case_a}
    _opened(personas.case_a, dt.date(2026, 3, 2))
    _opened(personas.case_b, dt.date(2026, 3, 2))
    for n in range(1, 7):
        c[f"c{n}"] = _case(a, wa, sex="female", identified=feb1)
    for n in range(7, 11):
        c[f"c{n}"] = _case(a, wa, sex="male", identified=feb1)
    c["c11"] = _case(a, wa, sex="female", identified=dt.date(2026, 1, 10), urgent=["medical"])
    c["c12"] = _case(a, wa, sex="female", identified=dt.date(2025, 12, 15))
    for n, days in zip(range(1, 7), [1, 2, 3, 4, 5, 10], strict=True):
        deliver(c[f"c{n}"], "health_rehabilitation", feb1 + dt.timedelta(days=days))
    deliver(c["c1"], "police_report_forwarded", feb1 + dt.timedelta(days=1))
    deliver(c["c2"], "police_report_forwarded", feb1 + dt.timedelta(days=3))
    deliver(c["c7"], "health_rehabilitation", dt.date(2026, 7, 5))
    for n in (8, 9, 10):
        ServiceApplication.objects.create(case=c[f"c{n}"], applied_on=feb1, applicant_kind="victim", recorded_by=wa)
    deliver(c["c8"], "psychological_support", dt.date(2026, 2, 8))
    deliver(c["c9"], "psychological_support", dt.date(2026, 2, 9))
    deliver(c["c11"], "medical_care", dt.date(2026, 1, 15))
    assess(c["c1"], AssessmentKind.BASELINE, dt.date(2026, 2, 2), {"safety": "2.00"})
    assess(c["c1"], AssessmentKind.PERIODIC, dt.date(2026, 4, 1), {"safety": "3.00"})
    assess(c["c2"], AssessmentKind.BASELINE, dt.date(2026, 2, 2), {"safety": "2.50"})
    assess(c["c2"], AssessmentKind.PERIODIC, dt.date(2026, 4, 1), {"safety": "2.50"})
    assess(c["c3"], AssessmentKind.BASELINE, dt.date(2026, 2, 2), {"safety": "2.00"})
    assess(c["c3"], AssessmentKind.PERIODIC, dt.date(2026, 8, 1), {"safety": "4.00"})
    closure4 = close(c["c4"], ClosureReason.RESTORED, dt.date(2026, 5, 1))
    FollowUp.objects.create(case=c["c4"], closure=closure4, months_after=1, due_on=dt.date(2026, 6, 1))
    closure5 = close(c["c5"], ClosureReason.SURVIVOR_CHOICE, dt.date(2026, 5, 10))
    FollowUp.objects.create(case=c["c5"], closure=closure5, months_after=1, due_on=dt.date(2026, 6, 1),
                            status=FollowUpStatus.DONE, done_on=dt.date(2026, 6, 1), risk_level=RiskLevel.HIGH)
    close(c["c6"], ClosureReason.RESTORED, dt.date(2025, 11, 1), reopened=dt.date(2026, 3, 1))
    for _n in range(5):
        _case(b, wb, sex="male", identified=dt.date(2026, 4, 1), age_band="30-38")
    facts_refresh()
    return c
