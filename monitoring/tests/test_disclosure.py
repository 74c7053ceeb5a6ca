"""Disclosure control: primary and secondary suppression, checked by an attacker that tries to
recover every hidden count from the totals and the other counts."""

from __future__ import annotations

import csv
import itertools
from collections import Counter
from fractions import Fraction
from typing import Any

import pytest

from monitoring import disclosure
from monitoring.disclosure import GRAND, SYMBOL, CountTable, recoverable, share_table, suppress, threshold
from tests.shared_data import CTDC_EXTRACT as CTDC_FILE


def attack(table: CountTable) -> dict[Any, int]:
    """Independent of the module: what an analyst with the published table recovers by linear
    differences. Repeats until nothing changes: (1) an equation with one unknown left gives it;
    (2) any sum or difference of up to all equations (coefficients -1, 0, 1) that leaves exactly one
    unknown gives it."""
    known: dict[Any, Fraction] = {key: Fraction(value) for key in table.keys()
                                  if (value := table.shown(key)) is not None}
    hidden = [key for key in table.keys() if table.shown(key) is None]
    recovered: dict[Any, int] = {}
    eqs = table.equations()
    changed = True
    while changed:
        changed = False
        rows = []
        for parts, total in eqs:
            coef: dict[Any, Fraction] = {}
            const = Fraction(0)
            for key, c in [*((p, Fraction(1)) for p in parts), (total, Fraction(-1))]:
                if key in known:
                    const += c * known[key]
                else:
                    coef[key] = coef.get(key, Fraction(0)) + c
            rows.append((coef, const))
        combos = itertools.product((-1, 0, 1), repeat=len(rows)) if len(rows) <= 9 else (
            tuple(int(i == n) for i in range(len(rows))) for n in range(len(rows)))
        for weights in combos:
            coef_sum: dict[Any, Fraction] = {}
            const_sum = Fraction(0)
            for w, (coef, const) in zip(weights, rows, strict=True):
                if w:
                    for key, c in coef.items():
                        coef_sum[key] = coef_sum.get(key, Fraction(0)) + w * c
                    const_sum += w * const
            unknown = [key for key, c in coef_sum.items() if c != 0]
            if len(unknown) == 1:
                key = unknown[0]
                solved = -const_sum / coef_sum[key]
                known[key] = solved
                recovered[key] = int(solved)
                changed = True
                break
    return {key: v for key, v in recovered.items() if key in hidden}


def assert_safe(table: CountTable, k: int) -> None:
    assert table.k == k
    for key in table.keys():
        value = table.shown(key)
        assert value is None or value == 0 or value >= k, (key, value)
    assert attack(table) == {}
    assert recoverable(table) == set()


def test_thresholds_default_and_configurable(settings: Any) -> None:
    assert threshold("internal") == 5
    assert threshold("public") == 11
    settings.SINTAS_DISCLOSURE_K_INTERNAL = 3
    settings.SINTAS_DISCLOSURE_K_PUBLIC = 20
    assert threshold("internal") == 3
    assert threshold("public") == 20
    with pytest.raises(ValueError):
        threshold("press")


def test_an_unsuppressed_table_cannot_be_shown() -> None:
    table = CountTable.one_way("t", ["a", "b"], [10, 2])
    with pytest.raises(PermissionError):
        table.shown(GRAND)


def test_one_way_total_minus_the_other_cells() -> None:
    # Naively hiding the 2 leaves it as 40 - 10 - 28. The next-smallest count is hidden too.
    table = suppress(CountTable.one_way("t", ["a", "b", "c"], [10, 2, 28]), 5)
    assert table.cell(1) is None
    assert table.cell(0) is None  # the complement: the smallest other count
    assert table.cell(2) == 28
    assert table.total() == 40
    assert_safe(table, 5)
    assert table.primary == {("cell", 1, 0)}


def test_one_way_total_small_is_hidden() -> None:
    table = suppress(CountTable.one_way("t", ["a", "b"], [3, 0]), 5)
    assert table.total() is None
    assert table.cell(0) is None
    assert table.cell(1) == 0  # zeros are shown
    assert_safe(table, 5)


def test_zeros_can_be_hidden_by_setting(settings: Any) -> None:
    settings.SINTAS_DISCLOSURE_SUPPRESS_ZEROS = True
    table = suppress(CountTable.one_way("t", ["a", "b", "c"], [0, 7, 9]), 5)
    assert table.cell(0) is None
    assert_safe(table, 5)


def test_a_row_with_one_small_cell() -> None:
    counts = [[20, 3, 15], [12, 18, 30], [25, 22, 40]]
    table = suppress(CountTable.two_way("t", ["r1", "r2", "r3"], ["c1", "c2", "c3"], counts), 5)
    assert table.cell(0, 1) is None
    hidden_in_row = [j for j in range(3) if table.cell(0, j) is None]
    hidden_in_col = [i for i in range(3) if table.cell(i, 1) is None]
    assert len(hidden_in_row) >= 2 and len(hidden_in_col) >= 2
    assert table.row_total(0) == 38  # totals stay visible where complements suffice
    assert_safe(table, 5)


def test_chains_across_rows_and_columns() -> None:
    # Small cells on a diagonal: complements must not leave any of them pinned by a chain.
    counts = [[2, 30, 30, 30], [30, 1, 30, 30], [30, 30, 4, 30], [30, 30, 30, 3]]
    table = suppress(CountTable.two_way("t", list("abcd"), list("wxyz"), counts), 5)
    assert_safe(table, 5)
    # A single small cell whose row and column complements meet in one cell (a 2x2 rectangle).
    counts = [[1, 50, 60], [40, 45, 70], [80, 90, 99]]
    table = suppress(CountTable.two_way("t", list("abc"), list("xyz"), counts), 5)
    assert_safe(table, 5)
    hidden_cells = {key for key in table.suppressed if key[0] == "cell"}
    assert len(hidden_cells) == 4  # the rectangle: 1 and its cheapest row, column and corner complements


def test_tree_shaped_suppression_is_broken() -> None:
    """Two hidden pairs joined by one hidden cell: every line has two hidden entries, yet the
    joining cell follows from summing the lines on one side. The solver catches it."""
    counts = [[1, 1, 30, 30], [30, 30, 30, 30], [30, 2, 2, 30], [30, 30, 30, 30]]
    table = suppress(CountTable.two_way("t", list("abcd"), list("wxyz"), counts), 5)
    assert_safe(table, 5)


def test_small_margins_are_hidden_with_their_complements() -> None:
    counts = [[1, 2], [30, 40]]
    table = suppress(CountTable.two_way("t", ["a", "b"], ["x", "y"], counts), 5)
    assert table.row_total(0) is None  # 3 < 5
    assert_safe(table, 5)


def test_shares_hide_the_complement_too() -> None:
    # 20 served of 22 reveals 2 not served: the share for that group is hidden.
    table = suppress(share_table("s", ["a", "b", "c"], [20, 30, 40], [22, 40, 50],
                                 met_label="met", not_met_label="not met"), 5)
    assert disclosure.share_of(table, 0) is None
    assert table.cell(0, 1) is None
    assert_safe(table, 5)
    with pytest.raises(ValueError):
        share_table("s", ["a"], [5], [4], met_label="m", not_met_label="n")


def test_rendering_uses_the_symbol_and_a_legend() -> None:
    table = suppress(CountTable.one_way("t", ["a", "b", "c"], [10, 2, 28]), 5)
    rows = table.as_rows()
    assert rows[2] == ["b", SYMBOL]
    assert "2" not in [cell for row in rows for cell in row]
    assert "5" in table.legend()
    data = table.as_dict()
    assert data["rows"][1]["cells"] == [None]
    assert data["total"] == 40


def test_statistics_masks_follow_the_group_sizes() -> None:
    assert disclosure.shown_mask([30, 3, 12], 5) == [True, False, False]
    assert disclosure.shown_mask([30, 25, 12], 5) == [True, True, True]


@pytest.mark.parametrize("seed", range(25))
def test_random_tables_never_leak(seed: int) -> None:
    import random

    rng = random.Random(seed)
    rows, cols = rng.randint(2, 4), rng.randint(2, 4)
    counts = [[rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 14, 30]) for _ in range(cols)] for _ in range(rows)]
    table = suppress(CountTable.two_way("t", [str(i) for i in range(rows)], [str(j) for j in range(cols)], counts), 5)
    assert_safe(table, 5)


@pytest.mark.skipif(not CTDC_FILE.exists(), reason="the CTDC extract is not present")
def test_real_world_distribution_ctdc_extract() -> None:
    """Citizenship by age band in the 14,299-row extract of the real CTDC 2020 data, at the public k."""
    with CTDC_FILE.open(encoding="utf-8") as handle:
        tally = Counter((row["citizenship"] or "unknown", row["ageCategories"] or "unknown")
                        for row in csv.DictReader(handle))
    countries = sorted({a for a, _ in tally})
    ages = sorted({g for _, g in tally})
    counts = [[tally[(c, a)] for a in ages] for c in countries]
    table = suppress(CountTable.two_way("ctdc", countries, ages, counts), threshold("public"))
    assert table.total() == 14299 or table.total() is None
    for key in table.keys():
        value = table.shown(key)
        assert value is None or value == 0 or value >= 11
    assert recoverable(table) == set()
    # The extract has real small cells, so suppression really happened.
    assert table.primary
