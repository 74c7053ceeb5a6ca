"""The aggregate tables a differentially private release can publish.

Every table's categories are fixed before the data is read (from Sintas' value lists, or the
years of the requested period), never taken from the data. ``sensitivity`` is how many inner
cells one survivor can add 1 to: 1 for a partition (each survivor in exactly one cell), the
number of rows for the exploitation table (each survivor is "yes" or "no" in every row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.choices import AgeBand, Sex

from . import ctdc


@dataclass(frozen=True)
class TableSpec:
    code: str
    title: Any  # lazy string
    two_way: bool
    sensitivity: Callable[[list[str]], int]
    rows: Callable[[dt.date, dt.date], list[tuple[str, str]]]  # (code, label)
    cols: Callable[[], list[tuple[str, str]]]
    cell: Callable[[dict[str, Any]], list[tuple[str, str]]]  # the (row, col) cells a case counts in


def _sex_rows(_s: dt.date, _e: dt.date) -> list[tuple[str, str]]:
    return [(v, str(label)) for v, label in Sex.choices]


def _age_rows(_s: dt.date, _e: dt.date) -> list[tuple[str, str]]:
    return [(v, str(label)) for v, label in AgeBand.choices]


def _age_cols() -> list[tuple[str, str]]:
    return _age_rows(dt.date.min, dt.date.min)


def _count_col() -> list[tuple[str, str]]:
    return [("n", _("count"))]


def _citizenship_rows(_s: dt.date, _e: dt.date) -> list[tuple[str, str]]:
    return [("IDN", _("Indonesian")), ("other", _("other nationality")), ("unknown", _("not recorded"))]


def _citizenship(row: dict[str, Any]) -> str:
    code = ctdc.country_to_ctdc(str(row.get("survivor__nationality") or ""))
    if code == ctdc.NULL:
        return "unknown"
    return "IDN" if code == "IDN" else "other"


def _year_rows(start: dt.date, end: dt.date) -> list[tuple[str, str]]:
    return [(str(y), str(y)) for y in range(start.year, end.year + 1)]


def _exploitation_rows(_s: dt.date, _e: dt.date) -> list[tuple[str, str]]:
    return [("isForcedLabour", _("forced labour")), ("isSexualExploit", _("sexual exploitation")),
            ("isOtherExploit", _("other exploitation"))]


def _yes_no() -> list[tuple[str, str]]:
    return [("yes", _("yes")), ("no", _("no or not recorded"))]


def _exploitation_cells(row: dict[str, Any]) -> list[tuple[str, str]]:
    record = ctdc.case_to_ctdc(row)
    return [(flag, "yes" if record[flag] == "1" else "no") for flag in ctdc.EXPLOIT_FLAGS]


def _one(value: Callable[[dict[str, Any]], str]) -> Callable[[dict[str, Any]], list[tuple[str, str]]]:
    return lambda row: [(value(row), "n")]


TABLES: dict[str, TableSpec] = {
    spec.code: spec
    for spec in [
        TableSpec("sex", gettext_lazy("Survivors identified, by sex"), False, lambda rows: 1, _sex_rows,
                  _count_col, _one(lambda r: r["survivor__sex"] or Sex.UNKNOWN)),
        TableSpec("age_band", gettext_lazy("Survivors identified, by age band"), False, lambda rows: 1, _age_rows,
                  _count_col, _one(lambda r: r["survivor__age_band"] or AgeBand.UNKNOWN)),
        TableSpec("sex_age", gettext_lazy("Survivors identified, by sex and age band"), True, lambda rows: 1,
                  _sex_rows, _age_cols,
                  lambda r: [(r["survivor__sex"] or Sex.UNKNOWN, r["survivor__age_band"] or AgeBand.UNKNOWN)]),
        TableSpec("citizenship", gettext_lazy("Survivors identified, by citizenship"), False, lambda rows: 1,
                  _citizenship_rows, _count_col, _one(_citizenship)),
        TableSpec("year", gettext_lazy("Survivors identified, by year of identification"), False, lambda rows: 1,
                  _year_rows, _count_col, _one(lambda r: str(r["identified_on"].year))),
        TableSpec("exploitation", gettext_lazy("Survivors identified, by type of exploitation (CTDC)"), True,
                  len, _exploitation_rows, _yes_no, _exploitation_cells),
    ]
}


def table_choices() -> list[tuple[str, str]]:
    return [(code, str(spec.title)) for code, spec in TABLES.items()]


@dataclass(frozen=True)
class TrueTable:
    spec: TableSpec
    rows: list[tuple[str, str]]
    cols: list[tuple[str, str]]
    counts: list[list[int]]

    @property
    def sensitivity(self) -> int:
        return self.spec.sensitivity([code for code, _label in self.rows])

    def flat(self) -> list[int]:
        return [c for row in self.counts for c in row]


def true_table(code: str, cases: list[dict[str, Any]], start: dt.date, end: dt.date) -> TrueTable:
    """The exact counts (never shown: they go to the DP mechanism only)."""
    spec = TABLES[code]
    rows, cols = spec.rows(start, end), spec.cols()
    r_index = {c: i for i, (c, _l) in enumerate(rows)}
    c_index = {c: j for j, (c, _l) in enumerate(cols)}
    counts = [[0] * len(cols) for _r in rows]
    for case in cases:
        for r, c in spec.cell(case):
            if r in r_index and c in c_index:
                counts[r_index[r]][c_index[c]] += 1
    return TrueTable(spec=spec, rows=rows, cols=cols, counts=counts)
