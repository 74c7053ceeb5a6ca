"""The indicator registry and engine.

An indicator is one small definition (``Indicator``): what it counts (a population of cases for the
period and scope), what its numerator is (for a share) or which value it summarises (for a
median), how the period applies, which disaggregations make sense, and the law or policy it comes
from. Rooms add theirs with ``register`` in their ``AppConfig.ready()``; the engine (``compute``)
turns a definition into aggregate SQL (one grouped query per indicator and period, never a loop
over rows) and every result into a disclosure-controlled table (``monitoring.disclosure``).

The unit is the case (one survivor's identification and the services that follow it). A ``SUM``
indicator adds up an amount per case (rupiah: restitution ordered), and with a ``part`` (what of
it was paid) shows the share of the amount; its groups are disclosure-controlled by their number
of cases, and an amount is shown only where that count is.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Count, DecimalField, F, FloatField, Func, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, Substr
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import Organisation
from core import clock
from core.choices import AgeBand, ExploitationType, Modus, Sex
from core.models import Region
from monitoring import disclosure
from monitoring.disclosure import CountTable
from monitoring.models import CaseFact
from survivors import lawful_use

COUNT = "count"
SHARE = "share"
MEDIAN = "median"
SUM = "sum"


@dataclass(frozen=True)
class Params:
    """What a computation covers: the period (inclusive dates), and a scope: one organisation, a
    region (a Kemendagri code prefix: "53" a province, "53.71" a kabupaten/kota), or everything."""

    start: dt.date
    end: dt.date
    organisation_id: int | None = None
    region: str | None = None
    audience: str = disclosure.INTERNAL

    @property
    def k(self) -> int:
        return disclosure.threshold(self.audience)

    def previous(self) -> Params:
        """The period of the same length just before this one."""
        days = (self.end - self.start).days + 1
        end = self.start - dt.timedelta(days=1)
        return Params(start=end - dt.timedelta(days=days - 1), end=end, organisation_id=self.organisation_id,
                      region=self.region, audience=self.audience)


def cases_in_scope(params: Params) -> QuerySet[Any]:
    """Every case of the scope (any period), as its figures (``monitoring.models.CaseFact``: one row
    per case, primary key the case's id, so ``OuterRef("pk")`` names the case). Region: the region
    of the lead organisation, where the case is handled (that region's task force monitors it)."""
    # Consent where data leaves (survivors.lawful_use): one subquery, or none by default.
    exit = lawful_use.Exit.PUBLIC_RELEASE if params.audience == disclosure.PUBLIC else lawful_use.Exit.INTERNAL_FIGURES
    qs = CaseFact.objects.filter(lawful_use.included_q(exit, on=clock.today(), survivor="case__survivor_id"))
    if params.organisation_id is not None:
        qs = qs.filter(organisation_id=params.organisation_id)
    if params.region:
        qs = qs.filter(region_code__startswith=params.region)
    return qs


# --- disaggregations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Disaggregation:
    code: str
    label: Any
    expression: Callable[[], Any]  # an expression on Case giving the group's code
    labels: Callable[[Sequence[Any]], dict[Any, str]]  # group codes -> labels (one query at most)
    fixed: Callable[[], list[Any]] | None = None  # every group, in order, when the list is fixed


def _choice_labels(choices: Any) -> Callable[[Sequence[Any]], dict[Any, str]]:
    def labels(codes: Sequence[Any]) -> dict[Any, str]:
        found = {value: str(label) for value, label in choices.choices}
        return {code: found.get(code, str(code)) for code in codes}
    return labels


def _region_labels(codes: Sequence[Any]) -> dict[Any, str]:
    names = dict(Region.objects.filter(code__in=[c for c in codes if c]).values_list("code", "name"))
    return {code: names.get(code, str(code)) for code in codes}


def _organisation_labels(codes: Sequence[Any]) -> dict[Any, str]:
    names = dict(Organisation.objects.filter(pk__in=[c for c in codes if c]).values_list("pk", "name"))
    return {code: names.get(code, str(code)) for code in codes}


def _country_labels(codes: Sequence[Any]) -> dict[Any, str]:
    return {code: str(countries.name(code) or code) for code in codes}


def _child_labels(codes: Sequence[Any]) -> dict[Any, str]:
    return {code: str(_("child") if code else _("adult")) for code in codes}


def _disaggregations() -> dict[str, Disaggregation]:
    items = [
        Disaggregation("sex", _("sex"), lambda: F("sex"), _choice_labels(Sex),
                       lambda: [c for c, _l in Sex.choices]),
        Disaggregation("age_band", _("age band"), lambda: F("age_band"), _choice_labels(AgeBand),
                       lambda: [c for c, _l in AgeBand.choices]),
        Disaggregation("child", _("child or adult"), lambda: F("is_child"), _child_labels, lambda: [True, False]),
        Disaggregation("province", _("province"), lambda: Substr("region_code", 1, 2), _region_labels),
        Disaggregation("regency", _("regency or city"), lambda: Substr("region_code", 1, 5), _region_labels),
        Disaggregation("nationality", _("nationality"), lambda: F("nationality"), _country_labels),
        # A case may record several types; it is counted under the first one recorded, so the groups
        # add up to the total (and secondary suppression can rely on it).
        Disaggregation("exploitation", _("type of exploitation"), lambda: F("exploitation"),
                       _choice_labels(ExploitationType)),
        Disaggregation("modus", _("modus"), lambda: F("modus"), _choice_labels(Modus)),
        Disaggregation("organisation", _("organisation"), lambda: F("organisation_id"), _organisation_labels),
    ]
    return {d.code: d for d in items}


DISAGGREGATIONS_ALL = ("sex", "age_band", "child", "province", "regency", "nationality", "exploitation",
                       "modus", "organisation")


def disaggregations() -> dict[str, Disaggregation]:
    return _disaggregations()


# --- the registry --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """One indicator. ``population(params)`` gives the cases counted (the denominator for a share);
    ``numerator`` a Q on those cases (shares); ``value`` an integer expression to summarise
    (medians) or an amount per case to add up (sums, with ``part``: the amount of it that counts as
    met, so the figure is the share of the amount). ``period`` says in words how the period
    applies; ``source`` the law or policy."""

    code: str
    title: Any
    kind: str
    population: Callable[[Params], QuerySet[Any]]
    source: Any
    period: Any
    numerator: Callable[[Params], Q] | None = None
    value: Callable[[Params], Any] | None = None
    # Narrows the population (a Q on it): indicators with the same ``population`` function are
    # computed together in one grouped query (``compute_many``), each with its own filter.
    population_filter: Callable[[Params], Q] | None = None
    part: Callable[[Params], Any] | None = None
    unit: Any = ""
    group: Any = ""
    disaggregations: tuple[str, ...] = DISAGGREGATIONS_ALL
    met_label: Any = _("yes")
    not_met_label: Any = _("no")
    higher_is_better: bool = True
    order: int = 100
    available: Callable[[], bool] = field(default=lambda: True)


_REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    """Add an indicator (idempotent by code: registering the same code again replaces it)."""
    if indicator.kind not in (COUNT, SHARE, MEDIAN, SUM):
        raise ValueError(f"unknown indicator kind {indicator.kind!r}")
    if indicator.kind == SHARE and indicator.numerator is None:
        raise ValueError("a share needs a numerator")
    if indicator.kind in (MEDIAN, SUM) and indicator.value is None:
        raise ValueError(f"a {indicator.kind} needs a value")
    if indicator.part is not None and indicator.kind != SUM:
        raise ValueError("only a sum has a part")
    _REGISTRY[indicator.code] = indicator
    return indicator


def registry() -> list[Indicator]:
    return sorted((i for i in _REGISTRY.values() if i.available()), key=lambda i: (i.order, i.code))


def get(code: str) -> Indicator:
    indicator = _REGISTRY.get(code)
    if indicator is None or not indicator.available():
        raise KeyError(code)
    return indicator


# --- the engine ------------------------------------------------------------------------------------


class Median(Aggregate):
    """The median (PostgreSQL's percentile_cont); SQLite computes it in Python instead."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class DaysBetween(Func):
    """Whole days from ``start`` to ``end`` (two dates), in SQL on SQLite and PostgreSQL."""

    output_field = IntegerField()
    arity = 2

    def as_sql(self, compiler: Any, conn: Any, **extra: Any) -> Any:  # type: ignore[override]
        end, start = self.source_expressions
        end_sql, end_params = compiler.compile(end)
        start_sql, start_params = compiler.compile(start)
        if conn.vendor == "postgresql":
            return f"(({end_sql})::date - ({start_sql})::date)", [*end_params, *start_params]
        return (f"CAST(julianday({end_sql}) - julianday({start_sql}) AS INTEGER)",
                [*end_params, *start_params])


@dataclass
class Result:
    """An indicator computed for a period, disaggregated, and passed through disclosure control."""

    indicator: Indicator
    params: Params
    breakdown: str | None
    table: CountTable  # counts (COUNT), met/not met with denominators (SHARE), group sizes (MEDIAN)
    medians: list[float | None] = field(default_factory=list)  # MEDIAN: per row, None where hidden
    median_total: float | None = None
    sums: list[tuple[Decimal, Decimal] | None] = field(default_factory=list)  # SUM: (amount, part) per row
    sum_total: tuple[Decimal, Decimal] | None = None

    @property
    def is_amount_share(self) -> bool:
        """A sum with a part: its figure is the share of the amount, in percent."""
        return self.indicator.kind == SUM and self.indicator.part is not None

    def _sum_value(self, found: tuple[Decimal, Decimal] | None) -> float | None:
        if found is None:
            return None
        amount, part = found
        if self.indicator.part is None:
            return float(amount)
        return float(part * 100 / amount) if amount else None

    @property
    def headline(self) -> float | None:
        """The one number for the whole scope: a count, a percentage or a median (None: hidden)."""
        if self.indicator.kind == COUNT:
            return self.table.total()
        if self.indicator.kind == SHARE:
            return disclosure.share_total(self.table)
        if self.indicator.kind == SUM:
            return self._sum_value(self.sum_total)
        return self.median_total

    def row_value(self, i: int) -> float | None:
        if self.indicator.kind == COUNT:
            return self.table.cell(i)
        if self.indicator.kind == SHARE:
            return disclosure.share_of(self.table, i)
        if self.indicator.kind == SUM:
            return self._sum_value(self.sums[i] if i < len(self.sums) else None)
        return self.medians[i] if i < len(self.medians) else None

    @property
    def denominator(self) -> int | None:
        if self.indicator.kind == COUNT:
            return None
        return self.table.total()


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def compute(indicator: Indicator, params: Params, breakdown: str | None = None) -> Result:
    """The indicator for ``params``, grouped by ``breakdown`` (a disaggregation code, or None for
    the whole scope only), with small cells suppressed at the audience's k."""
    if params.end < params.start:
        raise ValueError("period ends before it starts")
    dims = disaggregations()
    dim = dims.get(breakdown) if breakdown else None
    if breakdown and (dim is None or breakdown not in indicator.disaggregations):
        raise ValueError(f"unknown disaggregation {breakdown!r} for {indicator.code}")
    qs = indicator.population(params).order_by()
    group_expr = dim.expression() if dim else Value("all")
    qs = qs.annotate(_group=group_expr)
    k = params.k

    if indicator.kind == MEDIAN and db_is_postgres():
        assert indicator.value is not None
        grouped = list(qs.annotate(_value=indicator.value(params)).filter(_value__isnull=False).values("_group")
                       .annotate(n=Count("pk"), median=Median("_value")))
        overall = qs.annotate(_value=indicator.value(params)).filter(_value__isnull=False).aggregate(
            median=Median("_value"))["median"]
        pg_found = {row["_group"]: (row["n"], row["median"]) for row in grouped}
        codes = _ordered_codes(dim, [g for g, (n, _m) in pg_found.items() if n > 0])
        labels = _labels(dim, codes)
        table = disclosure.suppress(CountTable.one_way(
            indicator.title, [labels[c] for c in codes], [pg_found.get(c, (0, None))[0] for c in codes],
            codes=[_code_str(c) for c in codes], count_label=str(_("number of cases"))), k)
        medians = [float(pg_found[c][1]) if table.cell(i) is not None and c in pg_found
                   and pg_found[c][1] is not None else None for i, c in enumerate(codes)]
        total = float(overall) if overall is not None and table.total() is not None else None
        return Result(indicator, params, breakdown, table, medians, total)

    if indicator.kind == MEDIAN:
        assert indicator.value is not None
        rows = list(qs.annotate(_value=indicator.value(params)).filter(_value__isnull=False)
                    .values_list("_group", "_value"))
        by_group: dict[Any, list[int]] = {}
        for group, value in rows:
            by_group.setdefault(group, []).append(int(value))
        codes = _ordered_codes(dim, list(by_group))
        labels = _labels(dim, codes)
        sizes = [len(by_group.get(c, [])) for c in codes]
        table = disclosure.suppress(CountTable.one_way(indicator.title, [labels[c] for c in codes], sizes,
                                                       codes=[_code_str(c) for c in codes],
                                                       count_label=str(_("number of cases"))), k)
        medians = [_median(by_group.get(c, [])) if table.cell(i) is not None else None
                   for i, c in enumerate(codes)]
        all_values = [v for _g, v in rows]
        total = _median(all_values) if table.total() is not None and all_values else None
        return Result(indicator, params, breakdown, table, medians, total)

    if indicator.kind == SUM:
        return _sum_result(indicator, params, breakdown, dim, qs)

    found = _grouped(qs, [indicator], params)[0]
    return _result(indicator, params, breakdown, dim, found)


def _sum_result(indicator: Indicator, params: Params, breakdown: str | None, dim: Disaggregation | None,
                qs: QuerySet[Any]) -> Result:
    """A SUM: per group the number of cases with an amount, the amount and its part, in one grouped
    query. Groups are suppressed by their number of cases; an amount shows only where its count does."""
    assert indicator.value is not None
    if indicator.population_filter is not None:
        qs = qs.filter(indicator.population_filter(params))
    part = indicator.part(params) if indicator.part is not None else Value(0)
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=0))
    rows = list(qs.annotate(_value=indicator.value(params), _part=part).filter(_value__gt=0).values("_group")
                .annotate(n=Count("pk"), amount=Coalesce(Sum("_value"), zero), paid=Coalesce(Sum("_part"), zero)))
    found = {row["_group"]: (row["n"], Decimal(row["amount"]), Decimal(row["paid"])) for row in rows}
    codes = _ordered_codes(dim, [g for g, (n, _a, _p) in found.items() if n > 0])
    labels = _labels(dim, codes)
    table = disclosure.suppress(CountTable.one_way(
        indicator.title, [labels[c] for c in codes], [found.get(c, (0, None, None))[0] for c in codes],
        codes=[_code_str(c) for c in codes], count_label=str(_("number of cases"))), params.k)
    sums: list[tuple[Decimal, Decimal] | None] = [
        (found[c][1], found[c][2]) if c in found and table.cell(i) is not None else None
        for i, c in enumerate(codes)]
    total = None
    if table.total() is not None:
        total = (sum((a for _n, a, _p in found.values()), Decimal(0)),
                 sum((p for _n, _a, p in found.values()), Decimal(0)))
    return Result(indicator, params, breakdown, table, sums=sums, sum_total=total)


def _aggregates(indicator: Indicator, params: Params, n: int) -> dict[str, Any]:
    narrow = indicator.population_filter(params) if indicator.population_filter else None
    aggs: dict[str, Any] = {f"n{n}": Count("pk", filter=narrow) if narrow is not None else Count("pk")}
    if indicator.kind == SHARE:
        assert indicator.numerator is not None
        met = indicator.numerator(params) if narrow is None else narrow & indicator.numerator(params)
        aggs[f"m{n}"] = Count("pk", filter=met)
    return aggs


def _grouped(qs: QuerySet[Any], indicators: Sequence[Indicator], params: Params) -> list[dict[Any, tuple[int, int]]]:
    """One grouped query for several count and share indicators over the same population:
    per indicator, {group: (met, n)} (met = n for a count)."""
    aggs: dict[str, Any] = {}
    for n, indicator in enumerate(indicators):
        aggs.update(_aggregates(indicator, params, n))
    rows = list(qs.values("_group").annotate(**aggs))
    out = []
    for n in range(len(indicators)):
        found = {}
        for row in rows:
            total = row[f"n{n}"]
            found[row["_group"]] = (row.get(f"m{n}", total), total)
        out.append(found)
    return out


def _result(indicator: Indicator, params: Params, breakdown: str | None, dim: Disaggregation | None,
            found: dict[Any, tuple[int, int]]) -> Result:
    k = params.k
    if dim is not None and dim.fixed is None:
        found = {group: value for group, value in found.items() if value[1] > 0}
    if indicator.kind == SHARE:
        codes = _ordered_codes(dim, list(found))
        labels = _labels(dim, codes)
        table = disclosure.share_table(
            indicator.title, [labels[c] for c in codes], [found.get(c, (0, 0))[0] for c in codes],
            [found.get(c, (0, 0))[1] for c in codes], met_label=str(indicator.met_label),
            not_met_label=str(indicator.not_met_label), codes=[_code_str(c) for c in codes])
        return Result(indicator, params, breakdown, disclosure.suppress(table, k))

    found_n = {group: n for group, (_met, n) in found.items()}
    codes = _ordered_codes(dim, list(found_n))
    labels = _labels(dim, codes)
    table = CountTable.one_way(indicator.title, [labels[c] for c in codes], [found_n.get(c, 0) for c in codes],
                               codes=[_code_str(c) for c in codes], count_label=str(indicator.unit or _("count")))
    return Result(indicator, params, breakdown, disclosure.suppress(table, k))


def compute_many(indicators: Sequence[Indicator], params: Params, breakdown: str | None = None) -> list[Result]:
    """Several indicators at once: those sharing a population function (counts and shares) in one
    grouped query each; the rest one by one. Same results as ``compute``, in the given order."""
    if params.end < params.start:
        raise ValueError("period ends before it starts")
    dims = disaggregations()
    results: dict[str, Result] = {}
    batches: dict[tuple[Any, str | None], list[Indicator]] = {}
    for indicator in indicators:
        dim_code = breakdown if breakdown in indicator.disaggregations else None
        if indicator.kind in (MEDIAN, SUM):
            results[indicator.code] = compute(indicator, params, dim_code)
        else:
            batches.setdefault((indicator.population, dim_code), []).append(indicator)
    for (population, dim_code), members in batches.items():
        dim = dims.get(dim_code) if dim_code else None
        qs = population(params).order_by().annotate(_group=dim.expression() if dim else Value("all"))
        for indicator, found in zip(members, _grouped(qs, members, params), strict=True):
            results[indicator.code] = _result(indicator, params, dim_code, dim, found)
    return [results[i.code] for i in indicators]


def _code_str(code: Any) -> str:
    if code is None or code == "":
        return ""
    if isinstance(code, bool):
        return "child" if code else "adult"
    return str(code)


def _ordered_codes(dim: Disaggregation | None, found: list[Any]) -> list[Any]:
    if dim is None:
        return ["all"] if found or True else []
    if dim.fixed is not None:
        fixed = dim.fixed()
        return fixed + [c for c in found if c not in fixed]
    return sorted(found, key=lambda c: (c is None or c == "", str(c)))


def _labels(dim: Disaggregation | None, codes: list[Any]) -> dict[Any, str]:
    if dim is None:
        return {"all": str(_("all"))}
    labels = dim.labels([c for c in codes if c is not None and c != ""])
    for code in codes:
        if code is None or code == "":
            labels[code] = str(_("not recorded"))
    return labels


def db_is_postgres() -> bool:
    return connection.vendor == "postgresql"


__all__ = [
    "COUNT", "MEDIAN", "SHARE", "SUM", "DaysBetween", "Disaggregation", "Indicator", "Params", "Result", "Cast",
    "Coalesce", "cases_in_scope", "compute", "disaggregations", "get", "register", "registry",
]
