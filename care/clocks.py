"""Legal time limits as running clocks.

A clock starts at an event (an application for services, the identification of a case with
urgent medical needs, the opening of a case), is due after the rule's duration, and stops at the
first recorded delivery of one of the rule's services. Rules are data (``TimeLimitRule``, loaded
from ``care/data/time_limits.json``), overridable field by field in ``settings.SINTAS_TIME_LIMITS``.

Counting, chosen so that a limit is never shown as met when it may not have been:
- a start that is a date (an application, the date of identification) counts from the start of
  that day in the lead organisation's time zone; a limit in days is then due at the end of the
  last day (applied on the 1st, 7 days: due by the end of the 8th);
- a start that is a moment (the case was opened) counts from that moment;
- a delivery with a time counts at that time; one without a time counts at the end of its day.

Every time is read from ``core.clock.now()``, so tests control it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Min
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from cases.models import Case
from core import clock as core_clock
from core.choices import UrgentNeed

from .models import Service, ServiceApplication, ServiceDelivery, TimeLimitRule


class State:
    RUNNING = "running"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"
    MET_LATE = "met_late"

    LABELS = {
        RUNNING: _("running"),
        DUE_SOON: _("due soon"),
        OVERDUE: _("overdue"),
        MET: _("met"),
        MET_LATE: _("met late"),
    }
    OPEN = frozenset({RUNNING, DUE_SOON, OVERDUE})


@dataclass(frozen=True)
class Rule:
    """A time-limit rule with the settings' overrides applied."""

    code: str
    name_id: str
    name_en: str
    legal_source: str
    start: str
    stop_service_codes: tuple[str, ...]
    duration_value: int
    duration_unit: str
    due_soon_hours: int
    exclude_channels: tuple[str, ...] = ()
    organisation_kinds: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id

    @property
    def duration(self) -> dt.timedelta:
        if self.duration_unit == TimeLimitRule.Unit.HOURS:
            return dt.timedelta(hours=self.duration_value)
        return dt.timedelta(days=self.duration_value)

    @property
    def duration_text(self) -> str:
        if self.duration_unit == TimeLimitRule.Unit.HOURS:
            return str(_("%(n)s hours") % {"n": self.duration_value})
        return str(_("%(n)s days") % {"n": self.duration_value})


@dataclass(frozen=True)
class Clock:
    rule: Rule
    case_id: Any
    key: str  # unique per case: the rule's code, plus the application's id for per-application rules
    started_at: dt.datetime
    due_at: dt.datetime
    met_at: dt.datetime | None
    state: str
    time_zone: str
    application_id: Any = None
    delivery_id: Any = None

    @property
    def state_label(self) -> str:
        return str(State.LABELS[self.state])

    @property
    def is_open(self) -> bool:
        return self.state in State.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.state == State.OVERDUE

    @property
    def due_local(self) -> dt.datetime:
        return self.due_at.astimezone(ZoneInfo(self.time_zone))


# --- rules -------------------------------------------------------------------------------------

_OVERRIDABLE = {
    "name_id", "name_en", "legal_source", "stop_service_codes", "duration_value", "duration_unit",
    "due_soon_hours", "exclude_channels", "organisation_kinds", "is_active",
}


# The rules change only when an administrator loads a new catalogue, yet every case file and
# work queue reads them: each process keeps them for RULES_CACHE_SECONDS (and forgets them at
# once when a rule is saved or deleted in this process; other processes follow within that time).
RULES_CACHE_SECONDS = 60.0
_rule_rows: tuple[float, list[TimeLimitRule]] | None = None


def rules_cache_clear(**_signal: Any) -> None:
    global _rule_rows
    _rule_rows = None


def _rule_rows_cached() -> list[TimeLimitRule]:
    global _rule_rows
    cached = _rule_rows
    now = time.monotonic()
    if cached is None or now - cached[0] > RULES_CACHE_SECONDS:
        cached = _rule_rows = (now, list(TimeLimitRule.objects.order_by("code")))
    return cached[1]


def rules_active() -> list[Rule]:
    """The active rules, with ``settings.SINTAS_TIME_LIMITS[code]`` overrides applied (at most one
    query: none while the rules are cached)."""
    overrides: dict[str, dict[str, Any]] = getattr(settings, "SINTAS_TIME_LIMITS", {}) or {}
    rules = []
    for row in _rule_rows_cached():
        values = {name: getattr(row, name) for name in _OVERRIDABLE}
        values.update({k: v for k, v in overrides.get(row.code, {}).items() if k in _OVERRIDABLE})
        if not values.pop("is_active"):
            continue
        for name in ("stop_service_codes", "exclude_channels", "organisation_kinds"):
            values[name] = tuple(values[name] or ())
        rules.append(Rule(code=row.code, start=row.start, **values))
    return rules


# --- counting ----------------------------------------------------------------------------------


def _day_start(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz)


def _due_from_date(rule: Rule, day: dt.date, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    started = _day_start(day, tz)
    if rule.duration_unit == TimeLimitRule.Unit.DAYS:
        return started, _day_start(day + dt.timedelta(days=rule.duration_value + 1), tz)
    return started, started + rule.duration


def _delivery_moment(day: dt.date, at: dt.datetime | None, tz: ZoneInfo) -> dt.datetime:
    if at is None:
        return _day_start(day + dt.timedelta(days=1), tz)
    return at


def _state(now: dt.datetime, due_at: dt.datetime, met_at: dt.datetime | None, rule: Rule) -> str:
    if met_at is not None:
        return State.MET if met_at <= due_at else State.MET_LATE
    if now >= due_at:
        return State.OVERDUE
    if now >= due_at - dt.timedelta(hours=rule.due_soon_hours):
        return State.DUE_SOON
    return State.RUNNING


@dataclass
class _Delivery:
    day: dt.date
    moment: dt.datetime
    service_code: str
    category: str


@dataclass
class _CaseData:
    deliveries: list[_Delivery] = field(default_factory=list)
    applications: list[tuple[Any, dt.date]] = field(default_factory=list)


def _stops(rule: Rule, d: _Delivery) -> bool:
    if rule.stop_service_codes:
        return d.service_code in rule.stop_service_codes
    return d.category != Service.Category.ACT


def _first_stop(rule: Rule, deliveries: list[_Delivery], since: dt.date) -> _Delivery | None:
    found = [d for d in deliveries if d.day >= since and _stops(rule, d)]
    return min(found, key=lambda d: d.moment) if found else None


def _applies(rule: Rule, case: Any, org_kind: str | None) -> bool:
    if rule.exclude_channels and case.channel in rule.exclude_channels:
        return False
    return not (rule.organisation_kinds and org_kind not in rule.organisation_kinds)


def _clocks(case: Any, rules: list[Rule], data: _CaseData, tz_name: str, org_kind: str | None,
            now: dt.datetime) -> list[Clock]:
    tz = ZoneInfo(tz_name)
    clocks: list[Clock] = []
    for rule in rules:
        if not _applies(rule, case, org_kind):
            continue
        starts: list[tuple[str, Any, dt.datetime, dt.datetime, dt.date]] = []
        if rule.start == TimeLimitRule.Start.APPLICATION:
            for app_id, applied_on in data.applications:
                started, due = _due_from_date(rule, applied_on, tz)
                starts.append((f"{rule.code}:{app_id}", app_id, started, due, applied_on))
        elif rule.start == TimeLimitRule.Start.CASE_IDENTIFIED_URGENT_MEDICAL:
            if UrgentNeed.MEDICAL in (case.urgent_needs or []) and case.identified_on:
                started, due = _due_from_date(rule, case.identified_on, tz)
                starts.append((rule.code, None, started, due, case.identified_on))
        elif rule.start == TimeLimitRule.Start.CASE_OPENED:
            started = case.opened_at
            # A report forwarded before the case was opened in Sintas (on or after identification) counts.
            since = min(case.identified_on or started.astimezone(tz).date(), started.astimezone(tz).date())
            starts.append((rule.code, None, started, started + rule.duration, since))
        for key, app_id, started, due, since in starts:
            stop = _first_stop(rule, data.deliveries, since)
            met_at = stop.moment if stop else None
            clocks.append(Clock(
                rule=rule, case_id=case.pk, key=key, started_at=started, due_at=due, met_at=met_at,
                state=_state(now, due, met_at, rule), time_zone=tz_name, application_id=app_id,
            ))
    return sorted(clocks, key=lambda c: (c.state not in State.OPEN, c.due_at))


def clocks_for_cases(cases: Iterable[Any], *, rules: list[Rule] | None = None,
                     now: dt.datetime | None = None) -> dict[Any, list[Clock]]:
    """Every case's clocks, in a fixed number of queries (rules, organisations, applications,
    deliveries) however many cases and deliveries there are."""
    cases = list(cases)
    if not cases:
        return {}
    now = now or core_clock.now()
    rules = rules_active() if rules is None else rules
    if not rules:
        return {c.pk: [] for c in cases}
    if all(Case.lead_organisation.is_cached(c) for c in cases):
        orgs = {c.lead_organisation_id: (c.lead_organisation.time_zone, c.lead_organisation.kind) for c in cases}
    else:
        orgs = {
            pk: (tz, kind) for pk, tz, kind in Organisation.objects.filter(
                pk__in={c.lead_organisation_id for c in cases}).values_list("pk", "time_zone", "kind")
        }
    ids = [c.pk for c in cases]
    data: dict[Any, _CaseData] = defaultdict(_CaseData)
    if any(r.start == TimeLimitRule.Start.APPLICATION for r in rules):
        for app_id, case_id, applied_on in (
            ServiceApplication.objects.filter(case_id__in=ids).order_by("applied_on", "created_at")
            .values_list("pk", "case_id", "applied_on")
        ):
            data[case_id].applications.append((app_id, applied_on))
    # One row per case, service and day (not per delivery): the first delivery of a day is enough.
    rows = (
        ServiceDelivery.objects.filter(case_id__in=ids, status=ServiceDelivery.Status.RECORDED)
        .values("case_id", "service__code", "service__category", "delivered_on")
        .annotate(first_at=Min("delivered_at"))
        .order_by()
    )
    tz_by_case = {c.pk: orgs.get(c.lead_organisation_id, (settings.TIME_ZONE, None))[0] for c in cases}
    for row in rows:
        tz = ZoneInfo(tz_by_case[row["case_id"]])
        data[row["case_id"]].deliveries.append(_Delivery(
            day=row["delivered_on"], moment=_delivery_moment(row["delivered_on"], row["first_at"], tz),
            service_code=row["service__code"], category=row["service__category"],
        ))
    result = {}
    for case in cases:
        tz_name, kind = orgs.get(case.lead_organisation_id, (settings.TIME_ZONE, None))
        result[case.pk] = _clocks(case, rules, data[case.pk], tz_name, kind, now)
    return result


def clocks_for_case(case: Any, *, rules: list[Rule] | None = None, now: dt.datetime | None = None) -> list[Clock]:
    """The case's clocks: open ones first (soonest due first), then the met ones."""
    return clocks_for_cases([case], rules=rules, now=now)[case.pk]


def rule_with(rule: Rule, **changes: Any) -> Rule:
    """A copy of a rule with some fields changed (for tests and previews)."""
    return replace(rule, **changes)
