"""A dashboard: every registered indicator for a scope and period, disaggregated, compared with the
previous period, with programme effectiveness; and the same content as rows for CSV, Excel and the
periodic report, so a download holds exactly what the page shows (suppressed cells stay suppressed)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, DecimalField, F, Q, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import conf, disclosure
from .charts import bar_chart
from .indicators import COUNT, MEDIAN, SHARE, SUM, Indicator, Params, Result, compute_many, disaggregations, registry
from .indicators.builtin import COVERAGE_SERVICES, reassessed

EFFECTIVENESS_NOTE = gettext_lazy(
    "Descriptive, not causal: survivors who received a service differ from those who did not in many "
    "ways (needs, age, time in care, the organisation that helped them). A larger improvement in one "
    "group does not show that the service caused it."
)


def format_value(indicator: Indicator, value: float | None) -> str:
    if value is None:
        return disclosure.SYMBOL
    if indicator.kind == SHARE:
        return f"{number_format(value, 1)}%"
    if indicator.kind == MEDIAN:
        return _("%(n)s days") % {"n": number_format(value, 1 if value % 1 else 0)}
    if indicator.kind == SUM:
        return f"{number_format(value, 1)}%" if indicator.part is not None else rupiah(value)
    return number_format(value, 0)


def rupiah(value: Any) -> str:
    return f"Rp {number_format(value, 0, force_grouping=True)}"


def _percent_like(indicator: Indicator) -> bool:
    return indicator.kind == SHARE or (indicator.kind == SUM and indicator.part is not None)


@dataclass
class IndicatorBlock:
    indicator: Indicator
    current: Result
    previous: Result
    chart: str = ""

    @property
    def headline(self) -> str:
        if self.indicator.kind != COUNT and self.current.table.total() == 0:
            return "–"
        return format_value(self.indicator, self.current.headline)

    @property
    def previous_headline(self) -> str:
        if self.indicator.kind != COUNT and self.previous.table.total() == 0:
            return "–"
        return format_value(self.indicator, self.previous.headline)

    @property
    def change(self) -> str:
        now, before = self.current.headline, self.previous.headline
        if now is None or before is None:
            return ""
        diff = now - before
        if _percent_like(self.indicator):
            return f"{'+' if diff >= 0 else ''}{number_format(diff, 1)} {_('points')}"
        return f"{'+' if diff >= 0 else ''}{number_format(diff, 1 if diff % 1 else 0)}"

    def rows(self) -> list[dict[str, Any]]:
        """Per group: label, the value as shown, and the parts (met / denominator or n)."""
        table = self.current.table
        out = []
        for i, label in enumerate(table.row_labels):
            row: dict[str, Any] = {"label": label, "value": format_value(self.indicator, self.current.row_value(i))}
            if self.indicator.kind != COUNT and table.row_total(i) == 0:
                row["value"] = "–"  # nobody in the group: nothing to measure (not hidden)
            if self.indicator.kind == SHARE:
                row["parts"] = [table.display(("cell", i, 0)), table.display(("row", i))]
            elif self.indicator.kind == SUM:
                row["parts"] = self._sum_parts(self.current.sums[i] if i < len(self.current.sums) else None,
                                               table.display(("cell", i, 0)))
            else:
                row["parts"] = [table.display(("cell", i, 0))]
            out.append(row)
        return out

    def _sum_parts(self, found: Any, cases: str) -> list[str]:
        amounts = [disclosure.SYMBOL, disclosure.SYMBOL] if found is None else [rupiah(found[1]), rupiah(found[0])]
        return [*amounts, cases] if self.indicator.part is not None else [amounts[1], cases]

    def part_labels(self) -> list[str]:
        if self.indicator.kind == SHARE:
            return [str(self.indicator.met_label), _("total")]
        if self.indicator.kind == SUM:
            labels = [str(self.indicator.unit or _("amount")), _("number of cases")]
            return [str(self.indicator.met_label), *labels] if self.indicator.part is not None else labels
        if self.indicator.kind == MEDIAN:
            return [_("number of cases")]
        return [str(self.indicator.unit or _("count"))]

    def total_parts(self) -> list[str]:
        table = self.current.table
        if self.indicator.kind == SHARE:
            return [table.display(("col", 0)), table.display(disclosure.GRAND)]
        if self.indicator.kind == SUM:
            return self._sum_parts(self.current.sum_total, table.display(disclosure.GRAND))
        return [table.display(disclosure.GRAND)]


@dataclass
class EffectRow:
    label: str
    n: int | None
    mean: float | None
    low: float | None
    high: float | None

    def display(self) -> list[str]:
        if self.mean is None:
            return [self.label, disclosure.SYMBOL if self.n is None else str(self.n), disclosure.SYMBOL, disclosure.SYMBOL]
        ci = (f"{number_format(self.low, 2)} – {number_format(self.high, 2)}"
              if self.low is not None and self.high is not None else "–")
        return [self.label, str(self.n), f"{'+' if self.mean >= 0 else ''}{number_format(self.mean, 2)}", ci]


@dataclass
class EffectTable:
    title: str
    rows: list[EffectRow]


@dataclass
class Dashboard:
    level: str
    scope_label: str
    params: Params
    breakdown: str
    blocks: list[IndicatorBlock]
    effectiveness: list[EffectTable] = field(default_factory=list)
    reference: list[dict[str, Any]] = field(default_factory=list)

    @property
    def k(self) -> int:
        return self.params.k

    @property
    def legend(self) -> str:
        return str(disclosure.LEGEND) % {"k": self.k}

    @property
    def breakdown_label(self) -> str:
        return str(disaggregations()[self.breakdown].label)

    def groups(self) -> list[tuple[Any, list[IndicatorBlock]]]:
        grouped: list[tuple[Any, list[IndicatorBlock]]] = []
        for block in self.blocks:
            if grouped and str(grouped[-1][0]) == str(block.indicator.group):
                grouped[-1][1].append(block)
            else:
                grouped.append((block.indicator.group, [block]))
        return grouped

    def as_rows(self) -> list[list[str]]:
        """Everything shown, as rows of strings (CSV, Excel, the report): nothing more."""
        p = self.params
        rows: list[list[str]] = [
            [_("Sintas monitoring dashboard"), self.scope_label],
            [_("Period"), p.start.isoformat(), p.end.isoformat()],
            [_("Previous period"), p.previous().start.isoformat(), p.previous().end.isoformat()],
            [_("Broken down by"), self.breakdown_label],
            [self.legend],
            [],
        ]
        for block in self.blocks:
            rows.append([str(block.indicator.title)])
            rows.append([_("This period"), block.headline, _("Previous period"), block.previous_headline])
            rows.append([_("Counted"), str(block.indicator.period), _("Source"), str(block.indicator.source)])
            rows.append([self.breakdown_label, _("value"), *block.part_labels()])
            for row in block.rows():
                rows.append([row["label"], row["value"], *row["parts"]])
            rows.append([_("total"), block.headline, *block.total_parts()])
            rows.append([])
        if self.reference:
            rows.append([_("Global reference")])
            for item in self.reference:
                rows.append([str(item.get("label", "")), str(item.get("value", ""))])
                rows.extend(item.get("rows", [])[1:] if item.get("rows") else [])
            rows.append([_("Source: Counter-Trafficking Data Collaborative (CTDC). Global figures, not Indonesian "
                           "cases; shown beside Indonesian figures for reference.")])
            rows.append([])
        for table in self.effectiveness:
            rows.append([table.title])
            rows.append([_("group"), _("n"), _("mean change"), _("95%% confidence interval") % {}])
            rows.extend(r.display() for r in table.rows)
            rows.append([str(EFFECTIVENESS_NOTE)])
            rows.append([])
        return rows


def dashboard_build(*, level: str, scope_label: str, params: Params, breakdown: str,
                    with_charts: bool = True, with_effectiveness: bool = True) -> Dashboard:
    blocks = []
    indicators = registry()
    currents = compute_many(indicators, params, breakdown)
    previouses = compute_many(indicators, params.previous(), None)
    for indicator, current, previous in zip(indicators, currents, previouses, strict=True):
        block = IndicatorBlock(indicator, current, previous)
        if with_charts:
            block.chart = bar_chart(block)
        blocks.append(block)
    board = Dashboard(level=level, scope_label=scope_label, params=params, breakdown=breakdown, blocks=blocks)
    if with_effectiveness:
        board.effectiveness = effectiveness_tables(params, level=level)
    if level == "national":
        board.reference = ctdc_reference()
    return board


# --- programme effectiveness -------------------------------------------------------------------------


def _effect_population(params: Params) -> Any:
    return reassessed(params).filter(baseline_mean__isnull=False, latest_mean__isnull=False).annotate(
        _change=F("latest_mean") - F("baseline_mean"))


def _sd(n: int, mean: Any, sum_sq: Any) -> float | None:
    """Sample standard deviation from n, the mean and the sum of squares (the same SQL on SQLite and
    PostgreSQL; SQLite's STDDEV_SAMP fails on a group of one)."""
    if n < 2 or mean is None or sum_sq is None:
        return None
    variance = (float(sum_sq) - n * float(mean) ** 2) / (n - 1)
    return math.sqrt(max(variance, 0.0))


def _effect_row(label: str, n: int, mean: Any, sum_sq: Any, shown: bool) -> EffectRow:
    if not shown or not n:
        return EffectRow(label, n if shown else None, None, None, None)
    mean_f = float(mean)
    sd = _sd(n, mean, sum_sq)
    if sd is not None:
        half = conf.ci_z() * float(sd) / math.sqrt(n)
        return EffectRow(label, n, mean_f, mean_f - half, mean_f + half)
    return EffectRow(label, n, mean_f, None, None)


def effectiveness_tables(params: Params, *, level: str) -> list[EffectTable]:
    """Mean change of the mean domain score (baseline -> latest) with n and a 95% confidence
    interval, by service received, by organisation and by region. Groups below k are hidden (and
    their complements, so a hidden group cannot be derived from the total)."""
    k = params.k
    qs = _effect_population(params).order_by()
    tables = []
    # By service received: groups overlap (a survivor gets several services), so each is checked
    # against the whole as a share (received / not received): neither part may be small.
    square = F("_change") * F("_change")
    aggregates: dict[str, Any] = {"n": Count("pk"), "mean": Avg("_change"), "sd": Sum(square)}
    for code, _title, _source in COVERAGE_SERVICES:
        received = Q(**{f"{code}_on__lte": params.end})
        aggregates[f"n_{code}"] = Count("pk", filter=received)
        aggregates[f"mean_{code}"] = Avg("_change", filter=received)
        aggregates[f"sd_{code}"] = Sum(square, filter=received)
    totals = qs.aggregate(**aggregates)
    overall_n = totals["n"] or 0
    overall_shown = overall_n >= k
    rows = [_effect_row(str(_("all reassessed survivors")), overall_n, totals["mean"], totals["sd"], overall_shown)]
    for code, title, _source in COVERAGE_SERVICES:
        n = totals[f"n_{code}"] or 0
        share = disclosure.suppress(disclosure.share_table("", [code], [n], [overall_n], met_label="", not_met_label=""), k)
        label = str(title).split(":", 1)[-1].strip()
        rows.append(_effect_row(label, n, totals[f"mean_{code}"], totals[f"sd_{code}"],
                                share.cell(0, 0) is not None and n > 0))
    tables.append(EffectTable(str(_("Mean change by service received")), rows))

    by_group: list[tuple[str, str]] = [("organisation", str(_("Mean change by organisation"))),
                                       ("province", str(_("Mean change by province")))]
    for dim_code, group_title in by_group:
        if level == "organisation":
            break
        dim = disaggregations()[dim_code]
        expression = dim.expression()
        grouped = list(qs.annotate(_g=expression).values("_g").annotate(
            n=Count("pk"), mean=Avg("_change"), sd=Sum(square)).order_by("_g"))
        labels = dim.labels([g["_g"] for g in grouped])
        mask = disclosure.shown_mask([g["n"] for g in grouped], k)
        tables.append(EffectTable(group_title, [_effect_row(labels.get(g["_g"], str(g["_g"])), g["n"], g["mean"], g["sd"], shown)
                                          for g, shown in zip(grouped, mask, strict=True)]))
    return tables


# --- global reference (CTDC, from the releases room) ---------------------------------------------------


# The global reference comes from ``releases``, which sits above this room (it publishes through
# monitoring's disclosure control): it registers its summary here in ReleasesConfig.ready().
_REFERENCE_SOURCES: list[Callable[[], Any]] = []


def reference_source_register(source: Callable[[], Any]) -> Callable[[], Any]:
    """Register the reader of the national dashboard's global reference (the CTDC summary)."""
    if source not in _REFERENCE_SOURCES:
        _REFERENCE_SOURCES.append(source)
    return source


def ctdc_reference() -> list[dict[str, Any]]:
    """The releases room's CTDC summary, when it is registered and holds data; otherwise nothing."""
    if not _REFERENCE_SOURCES:
        return []
    try:
        summary = _REFERENCE_SOURCES[0]()
    except Exception:  # noqa: BLE001 - a reference must never break the national dashboard
        return []
    if not summary:
        return []
    if isinstance(summary, dict) and "tables" in summary:
        # The releases room's shape: attribution, total, and disclosure-controlled CountTables.
        items: list[dict[str, Any]] = []
        if summary.get("total") is not None:
            items.append({"label": str(_("records in the global data set")), "value": str(summary["total"])})
        for table in dict(summary.get("tables") or {}).values():
            if isinstance(table, disclosure.CountTable) and table.is_controlled:
                items.append({"label": table.title, "value": "", "rows": table.as_rows()})
        if summary.get("attribution"):
            items.append({"label": str(_("Attribution")), "value": str(summary["attribution"])})
        return items
    if isinstance(summary, dict):
        return [{"label": str(key), "value": str(value)} for key, value in summary.items()]
    return [item if isinstance(item, dict) else {"label": str(item), "value": ""} for item in summary]


__all__ = ["COUNT", "DecimalField", "Dashboard", "dashboard_build", "effectiveness_tables", "format_value"]
