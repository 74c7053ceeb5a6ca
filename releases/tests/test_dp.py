"""Differential privacy: the noise is really applied with the right spread, the budget is spent
and recorded, repeated releases exhaust it, and every bad input is refused with nothing spent."""

from __future__ import annotations

import datetime as dt
import statistics
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from releases import dp
from releases.models import PrivacyLedgerEntry, Release
from releases.selectors import budget_state
from releases.services import noisy_table, release_table
from releases.tables import true_table

from .conftest import consent_to_statistics, grant_release, make_cases

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def test_noise_has_the_discrete_laplace_spread_the_epsilon_asks_for() -> None:
    # Scale b = sensitivity / epsilon = 2; the two-sided geometric noise then has mean 0 and
    # variance 2 * a / (1 - a)^2 with a = exp(-1/b).
    true = [1000] * 20000
    result = dp.noisy_counts(true, epsilon=Decimal("0.5"), sensitivity=1)
    noise = [c - 1000 for c in result.counts]
    assert result.scale == pytest.approx(2.0)
    assert result.epsilon == pytest.approx(0.5)
    import math

    a = math.exp(-1 / 2.0)
    variance = 2 * a / (1 - a) ** 2  # ≈ 7.92
    assert abs(statistics.mean(noise)) < 0.15  # about 7 standard errors: a false alarm is practically impossible
    assert variance * 0.9 < statistics.pvariance(noise) < variance * 1.1  # about 6 standard errors
    # P(noise = 0) = (1 - a) / (1 + a) ≈ 0.245: noise really is added to three cells in four
    assert abs(sum(1 for n in noise if n == 0) / len(noise) - (1 - a) / (1 + a)) < 0.02


def test_more_epsilon_means_less_noise_and_sensitivity_scales_it() -> None:
    tight = dp.noisy_counts([500] * 1000, epsilon=Decimal("4"), sensitivity=1)
    loose = dp.noisy_counts([500] * 1000, epsilon=Decimal("0.2"), sensitivity=1)
    assert statistics.pstdev(tight.counts) < statistics.pstdev(loose.counts)
    three = dp.noisy_counts([500] * 10, epsilon=Decimal("1"), sensitivity=3)
    assert three.scale == pytest.approx(3.0, rel=1e-3) and three.epsilon <= 1.0


def test_noisy_counts_are_whole_and_never_negative() -> None:
    result = dp.noisy_counts([0] * 500, epsilon=Decimal("0.1"))
    assert all(isinstance(c, int) and c >= 0 for c in result.counts)
    assert any(c > 0 for c in result.counts)  # zeros got noise too (clamping only removes negatives)


def test_bad_mechanism_parameters_are_refused() -> None:
    with pytest.raises(ValueError):
        dp.noisy_counts([1, 2], epsilon=0)
    with pytest.raises(ValueError):
        dp.noisy_counts([1, 2], epsilon=-1)


@pytest.fixture
def population(personas: Any) -> Any:
    make_cases(personas.org_a, personas.a_caseworker, 60, survivor__sex="female", survivor__age_band="18-20",
               exploitation_types=["SexualExploitation"])
    make_cases(personas.org_b, personas.b_caseworker, 40, survivor__sex="male", survivor__age_band="30-38",
               exploitation_types=["ForcedLabour"], survivor__nationality="PH")
    make_cases(personas.org_b, personas.b_caseworker, 3, survivor__sex="male", survivor__age_band="48+",
               trafficking_status="NotAVictimOfTrafficking")
    consent_to_statistics([personas.case_a.survivor_id, personas.case_b.survivor_id], personas.a_caseworker)
    return personas


def test_true_table_counts_one_case_per_survivor_and_excludes_non_victims(population: Any, clock_now: Any) -> None:
    from releases.selectors import release_cases

    cases = release_cases(START, END)
    assert len(cases) == 60 + 40 + 2  # + case_a and case_b (2 March 2026); not the 3 non-victims
    sex = true_table("sex", cases, START, END)
    assert dict(zip([c for c, _l in sex.rows], sex.flat(), strict=True)) == {"female": 61, "male": 41, "unknown": 0}
    exploit = true_table("exploitation", cases, START, END)
    assert exploit.sensitivity == 3
    assert exploit.counts[0] == [40, 62] and exploit.counts[1] == [60, 42]


def test_release_spends_epsilon_records_the_ledger_and_shows_no_small_count(population: Any, releaser: Any) -> None:
    release = release_table(actor=releaser, table="sex", period_start=START, period_end=END, epsilon="0.5")
    assert release.kind == Release.Kind.DP_TABLE and release.epsilon == Decimal("0.5")
    entry = PrivacyLedgerEntry.objects.get(release=release)
    assert entry.epsilon == Decimal("0.5") and entry.total_after == Decimal("0.5") and entry.scale == pytest.approx(2.0)
    assert entry.spent_by == releaser and "make_laplace" in entry.mechanism
    assert budget_state()["spent"] == Decimal("0.5") and budget_state()["remaining"] == Decimal("9.5")
    table = release.report["table"]
    shown = [c for row in table["rows"] for c in row["cells"] if c] + [table["total"] or 0]
    assert all(v >= 11 for v in shown if v)
    assert release.report["k"] == 11
    # no identifier of any survivor in what was released
    for case in (population.case_a, population.case_b):
        assert case.survivor.code not in release.content and str(case.pk) not in release.content


def test_released_counts_differ_from_the_truth_across_releases(population: Any, releaser: Any, settings: Any) -> None:
    settings.SINTAS_DP_TOTAL_EPSILON = "100"
    females = []
    for _ in range(12):
        release = release_table(actor=releaser, table="sex", period_start=START, period_end=END, epsilon="0.2")
        females.append(release.report["table"]["rows"][0]["cells"][0])
    assert len(set(females)) > 1  # noise, not the true 61 every time
    assert all(f is None or f >= 11 for f in females)
    assert abs(statistics.mean(f for f in females if f is not None) - 61) < 15


def test_repeated_releases_exhaust_the_budget_then_refuse_and_spend_nothing(population: Any, releaser: Any,
                                                                           settings: Any) -> None:
    settings.SINTAS_DP_TOTAL_EPSILON = "2.5"
    for _ in range(2):
        release_table(actor=releaser, table="age_band", period_start=START, period_end=END, epsilon="1")
    assert budget_state()["remaining"] == Decimal("0.5")
    with pytest.raises(ValidationError) as info:
        release_table(actor=releaser, table="age_band", period_start=START, period_end=END, epsilon="1")
    assert "more than the privacy budget that remains (0.5 of 2.5)" in str(info.value.message_dict["epsilon"])
    assert Release.objects.count() == 2 and PrivacyLedgerEntry.objects.count() == 2
    last = release_table(actor=releaser, table="age_band", period_start=START, period_end=END, epsilon="0.5")
    assert last.ledger_entry.total_after == Decimal("2.5") and budget_state()["remaining"] == 0
    with pytest.raises(ValidationError):
        release_table(actor=releaser, table="sex", period_start=START, period_end=END, epsilon="0.0001")
    assert PrivacyLedgerEntry.objects.count() == 3


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"epsilon": "0"}, "epsilon", "greater than 0"),
    ({"epsilon": "-1"}, "epsilon", "greater than 0"),
    ({"epsilon": "abc"}, "epsilon", "must be a number"),
    ({"epsilon": "NaN"}, "epsilon", "must be a number"),
    ({"epsilon": "6"}, "epsilon", "at most epsilon 5"),
    ({"epsilon": "0.00001"}, "epsilon", "four decimal places"),
    ({"period_end": dt.date(2025, 12, 31)}, "period_end", "ends before it starts"),
    ({"period_start": None}, "period_start", "first day"),
    ({"period_start": dt.date(2027, 1, 1), "period_end": dt.date(2027, 2, 1)}, "period_start", "future"),
    ({"table": "names"}, "table", "Unknown table"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_spent(population: Any, releaser: Any,
                                                                      values: dict[str, Any], field: str,
                                                                      message: str) -> None:
    args: dict[str, Any] = {"table": "sex", "period_start": START, "period_end": END, "epsilon": "1", **values}
    with pytest.raises(ValidationError) as info:
        release_table(actor=releaser, **args)
    assert message in " ".join(info.value.message_dict[field])
    assert not Release.objects.exists() and not PrivacyLedgerEntry.objects.exists()


def test_roles_that_may_not_release_are_refused(population: Any, clock_now: Any) -> None:
    p = population
    for user in (p.a_me, p.a_supervisor, p.a_admin, p.platform, p.a_caseworker):
        with pytest.raises(PermissionDenied):
            release_table(actor=user, table="sex", period_start=START, period_end=END, epsilon="1")
    # the permission alone is not enough for a caseworker (not M&E, not platform admin)
    with pytest.raises(PermissionDenied):
        release_table(actor=grant_release(p.a_caseworker), table="sex", period_start=START, period_end=END)
    # a platform administrator with the permission may
    release = release_table(actor=grant_release(p.platform), table="sex", period_start=START, period_end=END)
    assert release.epsilon == Decimal("1")  # the configured default
    # an M&E officer of a deactivated organisation may not
    me = grant_release(p.b_me)
    p.org_b.is_active = False
    p.org_b.save()
    me = type(me).objects.get(pk=me.pk)
    with pytest.raises(PermissionDenied):
        release_table(actor=me, table="sex", period_start=START, period_end=END)
    assert PrivacyLedgerEntry.objects.count() == 1


def test_noisy_table_goes_through_disclosure_control(population: Any, clock_now: Any) -> None:
    from releases.selectors import release_cases

    table, noisy = noisy_table("sex_age", release_cases(START, END), START, END, Decimal("5"))
    assert table.is_controlled and table.k == 11
    smallest = table.min_shown_positive()
    assert smallest is None or smallest >= 11
    assert noisy.sensitivity == 1 and len(noisy.counts) == 3 * 10


@pytest.mark.django_db(transaction=True)
def test_two_releases_at_once_cannot_both_spend_the_last_of_the_budget(personas: Any, settings: Any,
                                                                       clock_now: Any,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Two requests racing for a budget that holds one of them: exactly one is released (PostgreSQL,
    where SELECT ... FOR UPDATE serialises them; SQLite serialises every write anyway)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    settings.SINTAS_DP_TOTAL_EPSILON = "1.5"
    releaser = grant_release(personas.a_me)
    import time

    from releases import selectors

    slow = selectors.release_cases

    def slow_cases(*args: Any) -> Any:  # widen the window between checking the budget and spending it
        time.sleep(0.5)
        return slow(*args)

    monkeypatch.setattr(selectors, "release_cases", slow_cases)
    from releases.models import BudgetLock

    BudgetLock.objects.get_or_create(name="dp")  # as after the first release ever
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def attempt() -> None:
        try:
            barrier.wait()
            release_table(actor=releaser, table="sex", period_start=START, period_end=END, epsilon="1")
            outcomes.append("released")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "released"]
    assert PrivacyLedgerEntry.objects.count() == 1 and budget_state()["spent"] == Decimal("1")
