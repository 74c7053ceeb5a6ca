"""Each indicator against hand-computed values on the small world of conftest.py."""

from __future__ import annotations

from typing import Any

import pytest

from monitoring import indicators
from monitoring.indicators import Indicator, Params, compute, register, registry

from .conftest import H1_2026

START, END = H1_2026


@pytest.fixture
def k1(settings: Any) -> None:
    """k = 1: nothing is suppressed, so the true values can be compared with the hand count."""
    settings.SINTAS_DISCLOSURE_K_INTERNAL = 1


def org_a(personas: Any) -> Params:
    return Params(start=START, end=END, organisation_id=personas.org_a.pk)


def value(code: str, params: Params, breakdown: str | None = None) -> Any:
    return compute(indicators.get(code), params, breakdown)


def test_identified(world: Any, personas: Any, k1: None) -> None:
    result = value("identified", org_a(personas), "sex")
    assert result.headline == 12
    rows = dict(zip(result.table.row_labels, (result.table.cell(i) for i in range(result.table.n_rows)), strict=True))
    assert rows["female"] == 8 and rows["male"] == 4
    assert value("identified", Params(start=START, end=END)).headline == 18
    assert value("identified", Params(start=START, end=END, region="35")).headline == 6
    assert value("identified", Params(start=START, end=END, region="53.71")).headline == 12
    assert value("identified", Params(start=START, end=END, region="52")).headline == 0


def test_coverage(world: Any, personas: Any, k1: None) -> None:
    result = value("coverage_health_rehabilitation", org_a(personas))
    assert result.headline == pytest.approx(50.0)  # c1..c6 of 12 (c7's came after the period)
    assert result.denominator == 12
    assert value("coverage_legal_aid", org_a(personas)).headline == 0.0


def test_time_limits(world: Any, personas: Any, k1: None) -> None:
    applications = value("time_limit_services_after_application", org_a(personas))
    assert applications.denominator == 3
    assert applications.headline == pytest.approx(100 / 3)  # c8 on day 7; c9 late; c10 nothing
    first_aid = value("time_limit_first_aid_urgent", org_a(personas))
    assert (first_aid.denominator, first_aid.headline) == (1, 100.0)
    police = value("time_limit_police_report_forwarding", org_a(personas))
    assert police.denominator == 11  # c1..c11 (case_a came through the police)
    assert police.headline == pytest.approx(100 / 11)  # c1 only: c2's report came on the third day


def test_median_days_to_first_service(world: Any, personas: Any, k1: None) -> None:
    result = value("days_to_first_service", org_a(personas))
    # c1..c6: 1 2 3 4 5 10; c8: 7; c9: 8; c11: 5 -> 1 2 3 4 5 5 7 8 10
    assert result.headline == 5
    assert result.table.total() == 9


def test_improved_domains(world: Any, personas: Any, k1: None) -> None:
    result = value("improved_safety", org_a(personas))
    assert (result.denominator, result.headline) == (2, 50.0)
    assert value("improved_mental", org_a(personas)).denominator == 0


def test_reintegration(world: Any, personas: Any, k1: None) -> None:
    restored = value("restored_at_closure", org_a(personas))
    assert (restored.denominator, restored.headline) == (2, 50.0)
    signals = value("retrafficking_signals", org_a(personas))
    assert signals.denominator == 3
    assert signals.headline == pytest.approx(200 / 3)
    assert value("overdue_follow_ups", org_a(personas)).headline == 1


def test_previous_period(world: Any, personas: Any, k1: None) -> None:
    previous = org_a(personas).previous()
    assert previous.end.isoformat() == "2025-12-31"
    assert value("identified", previous).headline == 1  # c12


def test_default_k_suppresses(world: Any, personas: Any) -> None:
    result = value("identified", org_a(personas), "sex")
    assert result.table.k == 5
    assert result.table.total() == 12
    # male 4 is hidden, and female with it (else 12 - 8 = 4)
    assert all(result.table.cell(i) is None for i in range(2))
    coverage = value("coverage_health_rehabilitation", org_a(personas))
    assert coverage.headline == pytest.approx(50.0)  # 6 of 12: both parts at least 5
    assert value("time_limit_services_after_application", org_a(personas)).headline is None


def test_disaggregations_all_run(world: Any, personas: Any, k1: None) -> None:
    for dim in indicators.disaggregations():
        result = value("identified", Params(start=START, end=END), dim)
        assert sum(result.table.cell(i) or 0 for i in range(result.table.n_rows)) == 18, dim
    result = value("identified", Params(start=START, end=END), "province")
    from core.models import Region

    assert set(result.table.row_labels) == {Region.objects.get(code="53").name, Region.objects.get(code="35").name}


def test_bad_input(world: Any, personas: Any) -> None:
    with pytest.raises(ValueError):
        compute(indicators.get("identified"), Params(start=END, end=START))
    with pytest.raises(ValueError):
        compute(indicators.get("identified"), org_a(personas), "shoe_size")


def test_rooms_register_their_own(world: Any, personas: Any, k1: None) -> None:
    def population(params: Params) -> Any:
        return indicators.cases_in_scope(params).filter(channel="police")

    register(Indicator(code="test_police_channel", title="Police channel", kind=indicators.COUNT,
                       population=population, source="test", period="any"))
    try:
        assert "test_police_channel" in [i.code for i in registry()]
        assert value("test_police_channel", org_a(personas)).headline == 1
    finally:
        indicators._REGISTRY.pop("test_police_channel")
    with pytest.raises(ValueError):
        register(Indicator(code="x", title="x", kind=indicators.SHARE, population=population, source="", period=""))


def test_effectiveness_hand_computed(world: Any, personas: Any, k1: None) -> None:
    from monitoring.dashboard import EFFECTIVENESS_NOTE, effectiveness_tables

    tables = effectiveness_tables(Params(start=START, end=END), level="national")
    by_service = tables[0]
    overall = by_service.rows[0]
    # c1: 2.00 -> 3.00 (+1), c2: 2.50 -> 2.50 (0): mean 0.5, sd 0.7071, half-width 1.96 * 0.7071 / sqrt 2
    assert overall.n == 2 and overall.mean == pytest.approx(0.5)
    assert overall.low == pytest.approx(0.5 - 0.98, abs=1e-3) and overall.high == pytest.approx(1.48, abs=1e-3)
    health = next(r for r in by_service.rows if r.label == "health rehabilitation")
    assert health.n == 2 and health.mean == pytest.approx(0.5)
    legal = next(r for r in by_service.rows if r.label == "legal aid")
    assert legal.mean is None  # nobody: nothing to show
    by_org = tables[1]
    assert [(r.label, r.n) for r in by_org.rows] == [("UPTD PPA Kota Kupang", 2)]
    assert "not causal" in str(EFFECTIVENESS_NOTE)


def test_effectiveness_small_groups_hidden(world: Any, personas: Any) -> None:
    from monitoring.dashboard import effectiveness_tables

    tables = effectiveness_tables(Params(start=START, end=END), level="national")
    for table in tables:
        for row in table.rows:
            assert row.mean is None  # n = 2 < 5 everywhere
            assert row.n is None or row.n == 0 or row.n >= 5


def test_batched_equals_one_by_one(world: Any, personas: Any, k1: None) -> None:
    params = Params(start=START, end=END)
    batch = indicators.compute_many(registry(), params, "sex")
    for result in batch:
        single = compute(result.indicator, params, result.breakdown)
        assert result.headline == single.headline, result.indicator.code
        assert result.table.as_rows() == single.table.as_rows(), result.indicator.code


def test_referral_indicators(world: Any, personas: Any, k1: None) -> None:
    """Acceptance and median days to answer: c1 accepted after 2 days, c2 declined after 4, c3 unanswered."""
    import datetime as dt

    from care.models import Service
    from referrals.models import Referral

    def refer(case: Any, status: str, answered_after: int | None) -> None:
        sent = dt.datetime(2026, 3, 1, 3, 0, tzinfo=dt.UTC)
        Referral.objects.create(
            case=case, sender_organisation=personas.org_a, sent_by=personas.a_caseworker,
            recipient_organisation=personas.org_b, service=Service.objects.get(code="legal_aid"),
            service_region_id="35.78", template="legal", lawful_basis="consent", status=status, sent_at=sent,
            respond_by=sent + dt.timedelta(days=3), last_event_at=sent,
            responded_at=sent + dt.timedelta(days=answered_after) if answered_after is not None else None,
        )

    refer(world["c1"], "accepted", 2)
    refer(world["c2"], "declined", 4)
    refer(world["c3"], "sent", None)
    codes = [i.code for i in registry()]
    assert "referral_acceptance" in codes and "referral_response_days" in codes
    accepted = value("referral_acceptance", org_a(personas))
    assert (accepted.denominator, accepted.headline) == (2, 50.0)
    assert value("referral_response_days", org_a(personas)).headline == 3
