"""Disclosure control: the one layer every aggregate passes through before someone outside the case
team sees it (dashboards, downloads, periodic reports, the API, public releases).

A count table (one-way: groups and a total; two-way: rows, columns, row totals, column totals and a
grand total) is published with

- **primary suppression**: every count with ``0 < count < k`` is hidden (margins included: a row
  total of 3 is as revealing as a cell of 3). Zeros are shown: "nobody in this group" identifies no
  one (``SINTAS_DISCLOSURE_SUPPRESS_ZEROS`` hides them too);
- **secondary (complementary) suppression**, so that no hidden count can be worked out from the
  totals and the other counts: every line (a row with its total, a column with its total, the
  margins with the grand total) that hides a count hides at least two; and, because two per line
  is not always enough (chains across rows and columns can still pin a cell down), the table's
  equations are solved over the hidden counts and any count they determine gets one more
  complementary count hidden, until none is determined. Complements are chosen smallest first
  (positive counts before zeros, so a complement really blurs the hidden one), which loses the
  least information.

``recoverable(table)`` is the attacker's view: which hidden counts linear differences of what is
shown would reveal. ``suppress`` guarantees it is empty; the tests check it on adversarial tables.

Shares (a numerator within a denominator) are two-column tables (met, not met) whose row totals
are the denominators, so "20 served of 22" cannot reveal the 2 who were not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext_lazy as _

from . import conf

INTERNAL = "internal"
PUBLIC = "public"
AUDIENCES = (INTERNAL, PUBLIC)

# What a hidden count looks like, on a page, in a CSV or a spreadsheet, and in the legend.
SYMBOL = "*"
LEGEND = _(
    "* hidden to protect survivors: fewer than %(k)s people, or hidden so that a small number "
    "cannot be worked out from the totals."
)

# A key names one published number: ("cell", row, col), ("row", row) a row total,
# ("col", col) a column total, ("all",) the grand total.
Key = tuple[Any, ...]
GRAND: Key = ("all",)


def threshold(audience: str) -> int:
    """The smallest count shown to ``audience``: "internal" (inside the government network) or
    "public" (anything published)."""
    if audience == INTERNAL:
        return conf.k_internal()
    if audience == PUBLIC:
        return conf.k_public()
    raise ValueError(f"unknown audience {audience!r}")


@dataclass(frozen=True)
class CountTable:
    """Counts with their margins. Build with ``one_way`` or ``two_way``; pass through ``suppress``
    before anyone outside the case team sees it (``shown`` refuses until then)."""

    title: str
    row_labels: tuple[str, ...]
    col_labels: tuple[str, ...]  # one-way: a single column
    counts: tuple[tuple[int, ...], ...]
    is_two_way: bool
    k: int | None = None  # set by suppress
    suppressed: frozenset[Key] = field(default_factory=frozenset)
    primary: frozenset[Key] = field(default_factory=frozenset)
    codes: tuple[str, ...] = ()  # machine codes of the rows (for the API), same order as row_labels

    # --- construction ----------------------------------------------------------------------

    @classmethod
    def one_way(cls, title: str, labels: Sequence[str], counts: Sequence[int], *,
                codes: Sequence[str] = (), count_label: str = "") -> CountTable:
        return cls(
            title=str(title), row_labels=tuple(str(x) for x in labels),
            col_labels=(str(count_label or _("count")),),
            counts=tuple((int(c),) for c in counts), is_two_way=False, codes=tuple(codes),
        )

    @classmethod
    def two_way(cls, title: str, row_labels: Sequence[str], col_labels: Sequence[str],
                counts: Sequence[Sequence[int]], *, codes: Sequence[str] = ()) -> CountTable:
        rows = tuple(tuple(int(c) for c in row) for row in counts)
        if len(rows) != len(row_labels) or any(len(r) != len(col_labels) for r in rows):
            raise ValueError("counts do not match the labels")
        return cls(title=str(title), row_labels=tuple(str(x) for x in row_labels),
                   col_labels=tuple(str(x) for x in col_labels), counts=rows, is_two_way=True,
                   codes=tuple(codes))

    # --- the numbers -----------------------------------------------------------------------

    @property
    def n_rows(self) -> int:
        return len(self.row_labels)

    @property
    def n_cols(self) -> int:
        return len(self.col_labels)

    def value(self, key: Key) -> int:
        """The true number (never shown: internal to this module and its tests)."""
        kind = key[0]
        if kind == "cell":
            return self.counts[key[1]][key[2]]
        if kind == "row":
            return sum(self.counts[key[1]])
        if kind == "col":
            return sum(row[key[1]] for row in self.counts)
        return sum(sum(row) for row in self.counts)

    def keys(self) -> list[Key]:
        keys: list[Key] = [("cell", i, j) for i in range(self.n_rows) for j in range(self.n_cols)]
        if self.is_two_way:
            keys += [("row", i) for i in range(self.n_rows)] + [("col", j) for j in range(self.n_cols)]
        keys.append(GRAND)
        return keys

    def equations(self) -> list[tuple[list[Key], Key]]:
        """Every published relation: the parts on the left add up to the total on the right."""
        if not self.is_two_way:
            return [([("cell", i, 0) for i in range(self.n_rows)], GRAND)]
        eqs: list[tuple[list[Key], Key]] = []
        for i in range(self.n_rows):
            eqs.append(([("cell", i, j) for j in range(self.n_cols)], ("row", i)))
        for j in range(self.n_cols):
            eqs.append(([("cell", i, j) for i in range(self.n_rows)], ("col", j)))
        eqs.append(([("row", i) for i in range(self.n_rows)], GRAND))
        eqs.append(([("col", j) for j in range(self.n_cols)], GRAND))
        return eqs

    @property
    def is_controlled(self) -> bool:
        return self.k is not None

    def shown(self, key: Key) -> int | None:
        """The number as published: None where hidden."""
        if self.k is None:
            raise PermissionError("a count table must pass through disclosure.suppress before it is shown")
        return None if key in self.suppressed else self.value(key)

    def display(self, key: Key) -> str:
        value = self.shown(key)
        return SYMBOL if value is None else str(value)

    def cell(self, i: int, j: int = 0) -> int | None:
        return self.shown(("cell", i, j))

    def row_total(self, i: int) -> int | None:
        return self.shown(("row", i)) if self.is_two_way else self.shown(("cell", i, 0))

    def col_total(self, j: int) -> int | None:
        return self.shown(("col", j)) if self.is_two_way else self.shown(GRAND)

    def total(self) -> int | None:
        return self.shown(GRAND)

    def min_shown_positive(self) -> int | None:
        """The smallest positive number shown (tests: never below k)."""
        values = [v for key in self.keys() if (v := self.shown(key))]
        return min(values) if values else None

    def legend(self) -> str:
        return str(LEGEND) % {"k": self.k}

    def as_rows(self) -> list[list[str]]:
        """Header and rows of strings, exactly as shown (hidden counts as the symbol): the one
        source for pages, CSV, spreadsheets and reports."""
        header = ["", *self.col_labels] + ([str(_("total"))] if self.is_two_way else [])
        rows = [header]
        for i, label in enumerate(self.row_labels):
            line = [label] + [self.display(("cell", i, j)) for j in range(self.n_cols)]
            if self.is_two_way:
                line.append(self.display(("row", i)))
            rows.append(line)
        totals = [str(_("total"))]
        if self.is_two_way:
            totals += [self.display(("col", j)) for j in range(self.n_cols)]
        totals.append(self.display(GRAND))
        rows.append(totals)
        return rows

    def as_dict(self) -> dict[str, Any]:
        """Machine form for the API (hidden counts as null, flagged)."""
        rows = []
        for i, label in enumerate(self.row_labels):
            rows.append({
                "code": self.codes[i] if i < len(self.codes) else "",
                "label": label,
                "cells": [self.cell(i, j) for j in range(self.n_cols)],
                "total": self.row_total(i),
            })
        return {
            "title": self.title, "k": self.k, "columns": list(self.col_labels), "rows": rows,
            "column_totals": [self.col_total(j) for j in range(self.n_cols)] if self.is_two_way else [],
            "total": self.total(), "suppressed_symbol": SYMBOL,
        }


def _primary(table: CountTable, k: int, zeros: bool) -> set[Key]:
    hidden = set()
    for key in table.keys():
        v = table.value(key)
        if (0 < v < k) or (zeros and v == 0):
            hidden.add(key)
    return hidden


def _cost(table: CountTable, key: Key) -> tuple[int, int, int]:
    """Cheapest complement first: a positive count before a zero (a hidden zero hides nothing),
    an inner cell before a margin, then the smallest."""
    v = table.value(key)
    return (1 if v == 0 else 0, 0 if key[0] == "cell" else 1, v)


def _lines(table: CountTable) -> list[list[Key]]:
    return [[*parts, total] for parts, total in table.equations()]


def _rref_determined(table: CountTable, hidden: Iterable[Key]) -> set[Key]:
    """The hidden numbers that the published equations determine exactly.

    Unknowns are the hidden numbers; each equation (parts - total = 0) restricted to them is a row.
    A hidden number is determined iff its unit vector lies in the row space: after reduction to
    row-echelon form it is a pivot whose row has no other non-zero entry among the unknowns."""
    unknowns = sorted(hidden, key=repr)
    index = {key: n for n, key in enumerate(unknowns)}
    matrix: list[list[Fraction]] = []
    for parts, total in table.equations():
        row = [Fraction(0)] * len(unknowns)
        touched = False
        for key in parts:
            if key in index:
                row[index[key]] += 1
                touched = True
        if total in index:
            row[index[total]] -= 1
            touched = True
        if touched:
            matrix.append(row)
    pivots: list[int] = []
    r = 0
    for c in range(len(unknowns)):
        pivot = next((i for i in range(r, len(matrix)) if matrix[i][c] != 0), None)
        if pivot is None:
            continue
        matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
        lead = matrix[r][c]
        matrix[r] = [x / lead for x in matrix[r]]
        for i in range(len(matrix)):
            if i != r and matrix[i][c] != 0:
                factor = matrix[i][c]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[r], strict=True)]
        pivots.append(c)
        r += 1
    determined = set()
    for row_index, c in enumerate(pivots):
        if all(x == 0 for n, x in enumerate(matrix[row_index]) if n != c):
            determined.add(unknowns[c])
    return determined


def recoverable(table: CountTable) -> set[Key]:
    """The attacker's check: hidden numbers that sums and differences of what is shown reveal."""
    return _rref_determined(table, table.suppressed)


def _complement_lines(table: CountTable, hidden: set[Key]) -> bool:
    """Every line with exactly one hidden number hides one more (its cheapest). True if changed."""
    changed = False
    for line in _lines(table):
        inside = [key for key in line if key in hidden]
        if len(inside) == 1:
            candidates = [key for key in line if key not in hidden]
            if candidates:
                hidden.add(min(candidates, key=lambda key: _cost(table, key)))
                changed = True
    return changed


def suppress(table: CountTable, k: int) -> CountTable:
    """The table as it may be shown: counts below ``k`` hidden, and enough complementary counts
    hidden that none of them can be recovered from the rest. Pure: returns a new table."""
    if k < 1:
        raise ValueError("k must be at least 1")
    primary = _primary(table, k, conf.suppress_zeros())
    hidden = set(primary)
    while True:
        while _complement_lines(table, hidden):
            pass
        determined = _rref_determined(table, hidden)
        if not determined:
            break
        # Hide the cheapest further number that makes the first determined one undetermined.
        target = min(determined, key=repr)
        candidates = sorted((key for key in table.keys() if key not in hidden), key=lambda key: _cost(table, key))
        for key in candidates:
            if target not in _rref_determined(table, hidden | {key}):
                hidden.add(key)
                break
        else:  # nothing helps (cannot happen with margins): hide everything
            hidden = set(table.keys())
    return replace(table, k=k, suppressed=frozenset(hidden), primary=frozenset(primary))


def share_table(title: str, labels: Sequence[str], numerators: Sequence[int], denominators: Sequence[int],
                *, met_label: str, not_met_label: str, codes: Sequence[str] = ()) -> CountTable:
    """A share as a two-column table (met, not met) whose row totals are the denominators."""
    counts = []
    for num, den in zip(numerators, denominators, strict=True):
        if num > den or num < 0:
            raise ValueError("a numerator must lie within its denominator")
        counts.append((num, den - num))
    return CountTable.two_way(title, labels, [met_label, not_met_label], counts, codes=codes)


def share_of(table: CountTable, i: int) -> float | None:
    """The share met in row ``i`` (percent), only when both the numerator and the denominator are
    shown; None otherwise (and for an empty group)."""
    num, den = table.cell(i, 0), table.row_total(i)
    if num is None or den is None or den == 0:
        return None
    return 100.0 * num / den


def share_total(table: CountTable) -> float | None:
    num, den = table.col_total(0), table.total()
    if num is None or den is None or den == 0:
        return None
    return 100.0 * num / den


def shown_mask(sizes: Sequence[int], k: int, labels: Sequence[str] | None = None) -> list[bool]:
    """For statistics that are not counts (a mean, a median): which groups may show theirs, given
    each group's size n. The sizes are a one-way table and get the same primary and secondary
    suppression, so a hidden group's n (and hence its statistic) cannot be derived from the others."""
    table = suppress(CountTable.one_way("", labels or [str(i) for i in range(len(sizes))], sizes), k)
    return [table.cell(i) is not None for i in range(len(sizes))]
