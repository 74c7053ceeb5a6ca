"""The case figures the indicators read (``CaseFact``), refreshed incrementally in bulk SQL.

Why: a national dashboard over 200,000 cases and 5,000,000 service deliveries cannot ask, case by
case, "was a health service recorded?" within a second. One pass over the deliveries, grouped by
case, writes the first date of each integrated service; applications and assessments are summarised
the same way. Dashboards then join cases to these figures.

Which cases are recomputed: every service writes its change history (``audit.ChangeRecord``) in the
same transaction as the change, and that record marks the case (``DirtyCase``, see
``change_recorded``), so a committed change cannot be missed; a case without figures (new, or
written outside the services) is recomputed too. When the time-limit rules, the service catalogue or
the instruments change (``_fingerprint``), every case is. ``facts_refresh(full=True)`` (``manage.py
refresh_facts --full``) rebuilds every case; it writes the same rows as the incremental refresh.

How: the cases' figures are computed in a scratch table (``CaseFactStage``) and merged into
``CaseFact``, writing only rows that differ: dashboards read complete rows all along, and a refresh
that changes nothing writes nothing. One refresh at a time (a PostgreSQL advisory lock across
processes, a lock within the process); a second one skips.

Freshness: dashboards never refresh inside a request. They show the figures they have with their
"as of" time and, when those are older than ``SINTAS_MONITORING_FACTS_MAX_AGE_MINUTES`` or miss a
newly opened case, schedule a refresh (``facts_refresh_soon``): a Celery task when a broker is
configured, otherwise a job that starts once the response has been sent. Celery beat runs
``monitoring.facts_refresh`` every 10 minutes and a full rebuild nightly (sintas/settings.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.db.models import Case as If
from django.db.models import (
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    UUIDField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import HttpResponseBase

from accounts.models import Organisation
from care.clocks import rules_active
from care.models import Service, ServiceApplication, ServiceDelivery, TimeLimitRule
from cases.models import Case
from core import clock
from recovery.models import Assessment, AssessmentKind, DomainScore, Instrument

from . import conf
from .models import FACT_DOMAINS, FACT_SERVICES, CaseFact, CaseFactStage, DirtyCase, FactsRefresh

log = logging.getLogger(__name__)

FACTS = CaseFact._meta.db_table
STAGE = CaseFactStage._meta.db_table
DIRTY = DirtyCase._meta.db_table
# Every figure column (the same in both tables), in model order.
FIGURES = [f.column for f in CaseFactStage._meta.concrete_fields if f.column != "case_id"]
ATTRIBUTES = ["case_id", "identified_on", "organisation_id", "region_code", "sex", "age_band", "is_child",
              "nationality", "exploitation", "modus", "channel"]
RULE_CODES = ("services_after_application", "first_aid_urgent", "police_report_forwarding")
# Bump when the way figures are computed changes: the next refresh then rebuilds every case.
FORMULA_VERSION = 2
# The advisory lock's key: any constant 64-bit integer unique to this refresh.
LOCK_KEY = int.from_bytes(hashlib.sha256(b"sintas.monitoring.facts_refresh").digest()[:8], "big", signed=True)
QUEUED_KEY = "sintas:monitoring:facts-refresh-queued"


@dataclasses.dataclass(frozen=True)
class Refresh:
    """What one call of ``facts_refresh`` did."""

    ran: bool  # False: another refresh was running, this one skipped
    full: bool = False
    cases: int = 0  # cases recomputed
    written: int = 0  # rows of CaseFact inserted, changed or deleted
    seconds: float = 0.0


# --- marking changed cases ---------------------------------------------------------------------------


def cases_mark(case_ids: Iterable[Any]) -> int:
    """Mark cases for the next refresh (inside the caller's transaction). Returns how many."""
    rows = [DirtyCase(case_id=case_id) for case_id in {str(c) for c in case_ids if c}]
    DirtyCase.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def change_recorded(sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    """``post_save`` of ``audit.ChangeRecord`` (connected in ``MonitoringConfig.ready``).

    Every write goes through a service that records its change in the same transaction, so the
    mark commits (or rolls back) with the change. A change without a case names the records whose
    attributes the figures copy: a survivor (sex, age band) or an organisation (region, kind)."""
    if raw or not created:
        return
    if instance.case_id:
        cases_mark([instance.case_id])
    elif instance.model == "survivors.survivor":
        try:
            survivor_id = uuid.UUID(str(instance.object_id))
        except ValueError:
            return
        cases_mark(Case.objects.filter(survivor_id=survivor_id).values_list("pk", flat=True))
    elif instance.model == "accounts.organisation" and set(instance.changes or {}) & {"region", "kind"}:
        if str(instance.object_id).isdigit():
            cases_mark(Case.objects.filter(lead_organisation_id=int(instance.object_id)).values_list("pk", flat=True))


# --- computing the figures of the staged cases -------------------------------------------------------


def _attributes_select(where: str) -> str:
    """The case's non-identifying attributes, one row per case (``where`` filters ``c``, the cases)."""
    first_type = ("c.exploitation_types ->> 0" if connection.vendor == "postgresql"
                  else "json_extract(c.exploitation_types, '$[0]')")
    sql = f"""
        SELECT c.id, c.identified_on, c.lead_organisation_id, COALESCE(o.region_id, ''), COALESCE(s.sex, ''),
               COALESCE(s.age_band, ''), s.is_child_at_identification, COALESCE(s.nationality, ''),
               COALESCE({first_type}, ''), COALESCE(c.modus, ''), COALESCE(c.channel, '')
        FROM cases_case c
        LEFT JOIN survivors_survivor s ON s.id = c.survivor_id
        LEFT JOIN accounts_organisation o ON o.id = c.lead_organisation_id
        WHERE {where}
    """  # noqa: S608 - no input: the variable parts are chosen in this module
    return sql


def _first_dates_sql(*, per_case: bool) -> str:
    """One pass over the staged cases' recorded deliveries: the first service, and the first of each
    integrated service, per case (UPDATE ... FROM and FILTER: PostgreSQL and SQLite >= 3.33).

    ``per_case`` (PostgreSQL, a few changed cases): a LATERAL join reads each case's deliveries
    through its index, whatever the planner estimates; a grouped pass over all deliveries would
    scan millions of rows for a thousand cases."""
    columns = ",\n".join(
        f"MIN(d.delivered_on) FILTER (WHERE s.code = '{code}') AS {code}_on" for code in FACT_SERVICES
    )
    sets = ", ".join(f"{code}_on = agg.{code}_on" for code in FACT_SERVICES)
    first = "MIN(d.delivered_on) FILTER (WHERE s.category <> 'act') AS first_service_on"
    deliveries = "care_servicedelivery d JOIN care_service s ON s.id = d.service_id"
    if per_case:
        source = f"""
            SELECT g.case_id, x.* FROM {STAGE} g CROSS JOIN LATERAL (
                SELECT {first}, {columns} FROM {deliveries}
                WHERE d.case_id = g.case_id AND d.status = 'recorded'
            ) AS x"""  # noqa: S608
    else:
        source = f"""
            SELECT d.case_id, {first}, {columns} FROM {deliveries}
            WHERE d.status = 'recorded' AND d.case_id IN (SELECT case_id FROM {STAGE})
            GROUP BY d.case_id"""  # noqa: S608
    # Names and codes come from FACT_SERVICES (constants of this room), never from input.
    sql = f"""
        UPDATE {STAGE} SET first_service_on = agg.first_service_on, {sets}
        FROM ({source}) AS agg
        WHERE {STAGE}.case_id = agg.case_id
    """  # noqa: S608
    return sql


def _rule(code: str) -> Any:
    return next((r for r in rules_active() if r.code == code), None)


def _stop_filter(rule: Any) -> dict[str, Any]:
    if rule.stop_service_codes:
        return {"service__code__in": list(rule.stop_service_codes)}
    return {"service__category__in": [Service.Category.INTEGRATED, Service.Category.RECOVERY]}


def limit_days(rule: Any) -> int:
    """A limit in whole days. Hours are counted conservatively: a service without a time on the last,
    partial day counts as late (the case file's clock has the exact moment)."""
    if rule.duration_unit == TimeLimitRule.Unit.DAYS:
        return int(rule.duration_value)
    return max(0, int(rule.duration_value) // 24 - 1)


def _within(rule: Any, start_ref: str) -> Exists:
    due = ExpressionWrapper(OuterRef(start_ref) + dt.timedelta(days=limit_days(rule)), output_field=DateField())
    return Exists(ServiceDelivery.objects.filter(
        case_id=OuterRef("case_id"), status=ServiceDelivery.Status.RECORDED,
        delivered_on__gte=OuterRef(start_ref), delivered_on__lte=due, **_stop_filter(rule)))


def _applies(rule: Any) -> Q:
    """The staged cases a rule applies to, from their copied attributes (channel, lead organisation)."""
    applies = Q()
    if rule.exclude_channels:
        applies &= ~Q(channel__in=list(rule.exclude_channels))
    if rule.organisation_kinds:
        applies &= Q(organisation_id__in=Organisation.objects.filter(
            kind__in=list(rule.organisation_kinds)).values("pk"))
    return applies


def _compute(*, full: bool) -> None:
    """Fill in the staged cases' figures (their attributes are already there). Conditions on other
    tables are written as per-row subqueries in SET (index lookups for each staged case), never as
    joins in WHERE, which the planner may answer by scanning a whole table for a few cases."""
    with connection.cursor() as cursor:
        cursor.execute(_first_dates_sql(per_case=connection.vendor == "postgresql" and not full))
    staged = CaseFactStage.objects.all()
    first_app = ServiceApplication.objects.filter(case_id=OuterRef("case_id")).order_by().values(
        "case_id").annotate(m=Min("applied_on")).values("m")
    staged.update(application_on=Subquery(first_app, output_field=DateField()))
    rule = _rule("services_after_application")
    if rule is not None:
        staged.filter(_applies(rule), application_on__isnull=False).update(
            application_met=_within(rule, "application_on"))
    rule = _rule("first_aid_urgent")
    if rule is not None:
        urgent = Exists(Case.objects.filter(pk=OuterRef("case_id"), urgent_needs__icontains='"medical"'))
        staged.filter(_applies(rule)).update(first_aid_met=If(When(urgent, then=_within(rule, "identified_on")),
                                                              default=None))
    rule = _rule("police_report_forwarding")
    if rule is not None:
        staged.filter(_applies(rule)).update(police_met=_within(rule, "identified_on"))
    _recovery(staged)


def _recovery(staged: QuerySet[CaseFactStage]) -> None:
    holistic = Assessment.objects.filter(status=Assessment.Status.COMPLETED, instrument__kind=Instrument.Kind.HOLISTIC)
    staged = staged.filter(case_id__in=holistic.values("case_id"))  # a semi-join: assessments are few
    baseline = holistic.filter(case_id=OuterRef("case_id"), kind=AssessmentKind.BASELINE).order_by(
        "assessed_on", "created_at")
    latest = holistic.filter(case_id=OuterRef("case_id")).exclude(kind=AssessmentKind.BASELINE).order_by(
        "-assessed_on", "-created_at")
    staged.update(baseline_assessment_id=Subquery(baseline.values("pk")[:1], output_field=UUIDField()),
                  latest_assessment_id=Subquery(latest.values("pk")[:1], output_field=UUIDField()),
                  latest_on=Subquery(latest.values("assessed_on")[:1], output_field=DateField()))

    def score(ref: str, domain: str) -> Subquery:
        return Subquery(DomainScore.objects.filter(assessment_id=OuterRef(ref), domain=domain).values("score")[:1],
                        output_field=FloatField())

    updates: dict[str, Any] = {}
    for domain in FACT_DOMAINS:
        updates[f"base_{domain}"] = score("baseline_assessment_id", domain)
        updates[f"last_{domain}"] = score("latest_assessment_id", domain)
    staged.update(**updates)
    # Means of the recorded domains (a domain may be unanswered).
    staged.filter(latest_on__isnull=False).update(
        baseline_mean=_mean([f"base_{d}" for d in FACT_DOMAINS]),
        latest_mean=_mean([f"last_{d}" for d in FACT_DOMAINS]))


def _mean(names: list[str]) -> Any:
    """Mean of the non-null values of several columns, in SQL on SQLite and PostgreSQL."""
    total: Any = Value(0.0)
    count: Any = Value(0.0)
    for name in names:
        total = total + Coalesce(F(name), Value(0.0))
        count = count + If(When(**{f"{name}__isnull": False}, then=Value(1.0)), default=Value(0.0),
                           output_field=FloatField())
    return ExpressionWrapper(total / Func(count, Value(0.0), function="NULLIF", output_field=FloatField()),
                             output_field=FloatField())


# --- the refresh ---------------------------------------------------------------------------------------


def _fingerprint() -> str:
    """What the figures depend on besides the case records: when any of it changes (a corrected time
    limit, a service moved to another category), past figures change too, so every case is rebuilt."""
    rules = sorted((r.code, r.start, list(r.stop_service_codes), r.duration_value, r.duration_unit,
                    list(r.exclude_channels), list(r.organisation_kinds))
                   for r in rules_active() if r.code in RULE_CODES)
    parts = {
        "formula": FORMULA_VERSION, "rules": rules,
        "services": list(Service.objects.order_by("pk").values_list("pk", "code", "category")),
        "instruments": list(Instrument.objects.order_by("pk").values_list("pk", "kind")),
    }
    return hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()


def _db_lock() -> bool:
    """Across processes: one refresh at a time on PostgreSQL (a session lock, released by
    ``_db_unlock`` or when the connection ends; not tied to a transaction, so it is released even
    when the refresh runs inside a caller's transaction). On SQLite the refresh's transaction holds
    the database's write lock (BEGIN IMMEDIATE), which serialises refreshes by itself."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        row = cursor.fetchone()
    return bool(row and row[0])


def _db_unlock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def _stage_clear(cursor: Any) -> None:
    if connection.vendor == "postgresql":
        cursor.execute(f"TRUNCATE {STAGE}")
    else:
        cursor.execute(f"DELETE FROM {STAGE}")  # noqa: S608 - a constant table name


def _stage(*, full: bool) -> None:
    """Put the cases to recompute, with their attributes, in the scratch table and take their marks.

    The marks are taken before any figure is read: a change committed before its mark was taken is
    seen by the reads that follow (each statement sees what was committed when it began); a mark
    committed later stays for the next refresh."""
    columns = ", ".join(ATTRIBUTES)
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        _stage_clear(cursor)  # empty unless a refresh was interrupted
        if full:
            cursor.execute(f"DELETE FROM {DIRTY}")  # noqa: S608
            cursor.execute(f"INSERT INTO {STAGE} ({columns}) {_attributes_select('1 = 1')}")  # noqa: S608
        else:
            if postgresql:
                # Takes exactly the committed marks it deletes, in one statement.
                cursor.execute(f"WITH taken AS (DELETE FROM {DIRTY} RETURNING case_id) "  # noqa: S608
                               f"INSERT INTO {STAGE} ({columns}) "
                               f"{_attributes_select('c.id IN (SELECT case_id FROM taken)')}")
            else:
                # SQLite: this transaction holds the write lock, so no mark commits between the two.
                marked = f"c.id IN (SELECT case_id FROM {DIRTY})"  # noqa: S608
                cursor.execute(f"INSERT INTO {STAGE} ({columns}) {_attributes_select(marked)}")
                cursor.execute(f"DELETE FROM {DIRTY}")  # noqa: S608
            # Cases without figures: opened since, or written without the services.
            missing = (f"NOT EXISTS (SELECT 1 FROM {FACTS} f WHERE f.case_id = c.id) "  # noqa: S608
                       f"AND NOT EXISTS (SELECT 1 FROM {STAGE} g WHERE g.case_id = c.id)")
            cursor.execute(f"INSERT INTO {STAGE} ({columns}) {_attributes_select(missing)}")  # noqa: S608
        if postgresql:
            cursor.execute(f"ANALYZE {STAGE}")  # the planner's row estimate for the passes that follow


def _merge(now: dt.datetime, *, full: bool) -> int:
    """Write the staged figures into ``CaseFact``: only rows that differ, rows of new cases, and (full
    rebuild) no row of a case that no longer exists. Returns the rows written."""
    postgresql = connection.vendor == "postgresql"
    sets = ", ".join(f"{c} = s.{c}" for c in FIGURES)
    if postgresql:
        differs = (f"({', '.join(f'{FACTS}.{c}' for c in FIGURES)}) IS DISTINCT FROM "
                   f"({', '.join(f's.{c}' for c in FIGURES)})")
    else:
        differs = " OR ".join(f"{FACTS}.{c} IS NOT s.{c}" for c in FIGURES)
    columns = ", ".join(FIGURES)
    written: int = 0
    with connection.cursor() as cursor:
        if full:
            cursor.execute(f"DELETE FROM {FACTS} WHERE NOT EXISTS "  # noqa: S608
                           f"(SELECT 1 FROM {STAGE} s WHERE s.case_id = {FACTS}.case_id)")
            written += max(cursor.rowcount, 0)
        cursor.execute(f"UPDATE {FACTS} SET {sets}, refreshed_at = %s FROM {STAGE} AS s "  # noqa: S608
                       f"WHERE {FACTS}.case_id = s.case_id AND ({differs})", [now])
        written += max(cursor.rowcount, 0)
        cursor.execute(f"INSERT INTO {FACTS} (case_id, {columns}, refreshed_at) "  # noqa: S608
                       f"SELECT s.case_id, {', '.join(f's.{c}' for c in FIGURES)}, %s FROM {STAGE} s "
                       f"WHERE NOT EXISTS (SELECT 1 FROM {FACTS} f WHERE f.case_id = s.case_id)", [now])
        written += max(cursor.rowcount, 0)
    return written


# Within this process: the after-response job and a command never run side by side.
_running = threading.Lock()


def facts_refresh(*, full: bool = False) -> Refresh:
    """Recompute the figures of the changed cases (``full``: of every case), in one transaction.
    Skips, returning ``Refresh(ran=False)``, when another refresh is running."""
    if not _running.acquire(blocking=False):
        return Refresh(ran=False)
    try:
        return _refresh(full=full)
    finally:
        _running.release()


def _refresh(*, full: bool) -> Refresh:
    if not _db_lock():
        log.info("a refresh of the monitoring figures is already running; skipped")
        return Refresh(ran=False)
    try:
        return _refresh_locked(full=full)
    finally:
        _db_unlock()


def _refresh_locked(*, full: bool) -> Refresh:
    t0 = time.monotonic()
    started = clock.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Compiling the passes' plans (JIT) costs more than running them for a few cases; and
                # a background job keeps to one core (no parallel workers), leaving the others to
                # the dashboards it must not slow down.
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        state = FactsRefresh.objects.filter(pk=1).first()
        fingerprint = _fingerprint()
        full = full or state is None or state.fingerprint != fingerprint
        _stage(full=full)
        _compute(full=full)
        cases = CaseFactStage.objects.count()
        written = _merge(started, full=full)
        with connection.cursor() as cursor:
            _stage_clear(cursor)
            if full and connection.vendor == "postgresql":
                # Statistics for the dashboards' plans; no VACUUM FULL (its exclusive lock would stop
                # every dashboard): a refresh writes only changed rows, autovacuum keeps up with that.
                cursor.execute(f"ANALYZE {FACTS}")
        seconds = time.monotonic() - t0
        FactsRefresh.objects.update_or_create(pk=1, defaults={
            "as_of": started, "finished_at": clock.now(), "full": full,
            "full_at": started if full else (state.full_at if state else None),
            "cases": cases, "written": written, "seconds": round(seconds, 3), "fingerprint": fingerprint})
    log.info("monitoring figures refreshed (%s): %d cases, %d rows written, %.2f s",
             "full" if full else "incremental", cases, written, seconds)
    return Refresh(ran=True, full=full, cases=cases, written=written, seconds=seconds)


# --- freshness and scheduling ------------------------------------------------------------------------


def facts_state() -> FactsRefresh | None:
    return FactsRefresh.objects.filter(pk=1).first()


def facts_refreshed_at() -> dt.datetime | None:
    """When the figures shown were taken (the start of the last refresh): one row read."""
    state = facts_state()
    return state.as_of if state else None


def facts_stale() -> bool:
    """Figures never computed, older than the configured age, or missing a case opened since."""
    as_of = facts_refreshed_at()
    if as_of is None:
        return Case.objects.exists()
    if clock.now() - as_of > dt.timedelta(minutes=conf.facts_max_age_minutes()):
        return True
    # A case opened since (cases.opened_at is indexed: no count of the whole table).
    return Case.objects.filter(opened_at__gt=as_of).exists()


def _eager() -> bool:
    return bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False))


def facts_refresh_soon(response: HttpResponseBase, *, queue: Callable[[], object]) -> str:
    """Schedule a refresh when the figures are stale (see ``facts_refresh_schedule``). Returns
    "fresh", "queued" or "after_response"."""
    if not facts_stale():
        return "fresh"
    return facts_refresh_schedule(response, queue=queue)


def facts_refresh_schedule(response: HttpResponseBase, *, queue: Callable[[], object]) -> str:
    """Schedule a refresh; never run it before ``response`` has been sent.

    With a broker: ``queue()`` sends one Celery task (a second is not queued while one waits);
    ``monitoring.tasks`` passes it in, so this module never imports the tasks above it. Without one
    (the embedded default, where ``.delay()`` would run it here and now): a job hooked on the
    response's close, which the server calls once the response has been sent."""
    if not _eager():
        if cache.add(QUEUED_KEY, "1", timeout=conf.facts_max_age_minutes() * 60):
            try:
                queue()
            except Exception:  # noqa: BLE001 - a dashboard still shows the figures it has
                cache.delete(QUEUED_KEY)
                log.exception("could not queue a refresh of the monitoring figures")
        return "queued"
    response._resource_closers.append(_after_response)  # type: ignore[attr-defined]
    return "after_response"


_thread_guard = threading.Lock()
_thread: threading.Thread | None = None


def _after_response() -> None:
    """Runs when the response has been sent. Normally in a background thread with its own database
    connection, so the server's worker is free at once and a long rebuild cannot run into its
    timeout. When the request's connection is still inside a transaction (the test suite wraps each
    test in one), another connection could not see its data: the job then runs here, on it."""
    if _request_in_transaction():
        _refresh_logged()
        return
    global _thread
    with _thread_guard:
        if _thread is not None and _thread.is_alive():
            return  # at most one at a time
        _thread = threading.Thread(target=_refresh_in_thread, name="sintas-facts-refresh", daemon=True)
        _thread.start()


def _request_in_transaction() -> bool:
    return bool(connection.in_atomic_block)


def _refresh_in_thread() -> None:
    try:
        _refresh_logged()
    finally:
        connections.close_all()  # this thread's own connections


def _refresh_logged() -> None:
    try:
        facts_refresh(full=False)
    except Exception:  # noqa: BLE001 - the dashboard was served; the next one schedules again
        log.exception("refreshing the monitoring figures failed")


def refresh_thread() -> threading.Thread | None:
    """The after-response refresh thread last started in this process (tests and benchmarks join it)."""
    return _thread
