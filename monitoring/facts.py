"""The case figures the indicators read (``CaseFact``), refreshed in bulk SQL.

Why: a national dashboard over 200,000 cases and 5,000,000 service deliveries cannot ask, case by
case, "was a health service recorded?" within a second. One pass over the deliveries, grouped by
case, writes the first date of each integrated service; applications and assessments are summarised
the same way. Dashboards then join cases to these figures.

Freshness: ``facts_refresh`` runs from Celery (``monitoring.facts_refresh``; schedule it with celery
beat, e.g. every 10 minutes), before every periodic report, and whenever a dashboard finds the
figures older than ``SINTAS_MONITORING_FACTS_MAX_AGE_MINUTES`` or missing for new cases (in the
embedded default, without a broker, that refresh runs at once). Pages say when the figures were
last refreshed.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import connection, transaction
from django.db.models import DateField, Exists, ExpressionWrapper, F, Min, OuterRef, Subquery
from django.utils import timezone

from . import conf
from .models import FACT_DOMAINS, FACT_SERVICES, CaseFact

log = logging.getLogger(__name__)


def _first_dates_sql() -> str:
    """One grouped pass over the recorded deliveries: the first service, and the first of each
    integrated service, per case (UPDATE ... FROM and FILTER: PostgreSQL and SQLite >= 3.33)."""
    columns = ",\n".join(
        f"MIN(d.delivered_on) FILTER (WHERE s.code = '{code}') AS {code}_on" for code in FACT_SERVICES
    )
    sets = ", ".join(f"{code}_on = agg.{code}_on" for code in FACT_SERVICES)
    # Names and codes come from FACT_SERVICES (constants of this room), never from input.
    sql = f"""
        UPDATE monitoring_casefact SET first_service_on = agg.first_service_on, {sets}
        FROM (
            SELECT d.case_id,
                   MIN(d.delivered_on) FILTER (WHERE s.category <> 'act') AS first_service_on,
                   {columns}
            FROM care_servicedelivery d JOIN care_service s ON s.id = d.service_id
            WHERE d.status = 'recorded'
            GROUP BY d.case_id
        ) AS agg
        WHERE monitoring_casefact.case_id = agg.case_id
    """  # noqa: S608
    return sql


def _attributes_sql() -> str:
    """The case's non-identifying attributes (one pass over cases, survivors and organisations)."""
    first_type = ("c.exploitation_types ->> 0" if connection.vendor == "postgresql"
                  else "json_extract(c.exploitation_types, '$[0]')")
    sql = f"""
        UPDATE monitoring_casefact SET identified_on = src.identified_on, organisation_id = src.organisation_id,
            region_code = src.region_code, sex = src.sex, age_band = src.age_band, is_child = src.is_child,
            nationality = src.nationality, exploitation = src.exploitation, modus = src.modus, channel = src.channel
        FROM (
            SELECT c.id AS case_id, c.identified_on, c.lead_organisation_id AS organisation_id,
                   o.region_id AS region_code, s.sex, s.age_band, s.is_child_at_identification AS is_child,
                   s.nationality, COALESCE({first_type}, '') AS exploitation, c.modus, c.channel
            FROM cases_case c
            JOIN survivors_survivor s ON s.id = c.survivor_id
            JOIN accounts_organisation o ON o.id = c.lead_organisation_id
        ) AS src
        WHERE monitoring_casefact.case_id = src.case_id
    """  # noqa: S608 - no input: the only variable part is chosen above by database vendor
    return sql


def _rule(code: str) -> Any:
    from care.clocks import rules_active

    return next((r for r in rules_active() if r.code == code), None)


def _stop_filter(rule: Any) -> dict[str, Any]:
    from care.models import Service

    if rule.stop_service_codes:
        return {"service__code__in": list(rule.stop_service_codes)}
    return {"service__category__in": [Service.Category.INTEGRATED, Service.Category.RECOVERY]}


def limit_days(rule: Any) -> int:
    """A limit in whole days. Hours are counted conservatively: a service without a time on the last,
    partial day counts as late (the case file's clock has the exact moment)."""
    from care.models import TimeLimitRule

    if rule.duration_unit == TimeLimitRule.Unit.DAYS:
        return int(rule.duration_value)
    return max(0, int(rule.duration_value) // 24 - 1)


def _within(rule: Any, start_ref: str) -> Exists:
    from care.models import ServiceDelivery

    due = ExpressionWrapper(OuterRef(start_ref) + dt.timedelta(days=limit_days(rule)), output_field=DateField())
    return Exists(ServiceDelivery.objects.filter(
        case_id=OuterRef("case_id"), status=ServiceDelivery.Status.RECORDED,
        delivered_on__gte=OuterRef(start_ref), delivered_on__lte=due, **_stop_filter(rule)))


def _applies(rule: Any) -> Any:
    from cases.models import Case

    qs = Case.objects.all()
    if rule.exclude_channels:
        qs = qs.exclude(channel__in=list(rule.exclude_channels))
    if rule.organisation_kinds:
        qs = qs.filter(lead_organisation__kind__in=list(rule.organisation_kinds))
    return qs.values("pk")


def facts_refresh() -> int:
    """Recompute every case's figures. Returns the number of cases."""
    from care.models import ServiceApplication
    from cases.models import Case
    from recovery.models import Assessment, AssessmentKind, DomainScore, Instrument

    now = timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO monitoring_casefact (case_id, refreshed_at, region_code, sex, age_band, nationality, "
                "exploitation, modus, channel) SELECT c.id, %s, '', '', '', '', '', '', '' FROM cases_case c "
                "WHERE NOT EXISTS (SELECT 1 FROM monitoring_casefact f WHERE f.case_id = c.id)", [now])
            cursor.execute("DELETE FROM monitoring_casefact WHERE NOT EXISTS "
                           "(SELECT 1 FROM cases_case c WHERE c.id = monitoring_casefact.case_id)")
            cursor.execute(_attributes_sql())
            cursor.execute(_first_dates_sql())
        facts = CaseFact.objects.all()
        first_app = ServiceApplication.objects.filter(case_id=OuterRef("case_id")).order_by().values(
            "case_id").annotate(m=Min("applied_on")).values("m")
        facts.update(application_on=Subquery(first_app, output_field=DateField()), application_met=None,
                     first_aid_met=None, police_met=None, refreshed_at=now)
        rule = _rule("services_after_application")
        if rule is not None:
            facts.filter(application_on__isnull=False, case_id__in=_applies(rule)).update(
                application_met=_within(rule, "application_on"))
        rule = _rule("first_aid_urgent")
        if rule is not None:
            urgent = Case.objects.filter(urgent_needs__icontains='"medical"').values("pk")
            facts.filter(case_id__in=urgent).filter(case_id__in=_applies(rule)).update(
                first_aid_met=_within(rule, "identified_on"))
        rule = _rule("police_report_forwarding")
        if rule is not None:
            facts.filter(case_id__in=_applies(rule)).update(police_met=_within(rule, "identified_on"))
        _recovery(facts, Assessment, AssessmentKind, DomainScore, Instrument)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if connection.in_atomic_block:
                cursor.execute("ANALYZE monitoring_casefact")
            else:
                # The refresh updates every row several times: rewrite the table so dashboards scan
                # one version of each row (a short exclusive lock; the table is small).
                cursor.execute("VACUUM (FULL, ANALYZE) monitoring_casefact")
    return CaseFact.objects.count()


def _recovery(facts: Any, Assessment: Any, AssessmentKind: Any, DomainScore: Any, Instrument: Any) -> None:  # noqa: N803
    from django.db.models import FloatField, UUIDField

    holistic = Assessment.objects.filter(status=Assessment.Status.COMPLETED, instrument__kind=Instrument.Kind.HOLISTIC)
    facts = facts.filter(case_id__in=holistic.values("case_id"))
    baseline = holistic.filter(case_id=OuterRef("case_id"), kind=AssessmentKind.BASELINE).order_by(
        "assessed_on", "created_at")
    latest = holistic.filter(case_id=OuterRef("case_id")).exclude(kind=AssessmentKind.BASELINE).order_by(
        "-assessed_on", "-created_at")
    facts.update(baseline_assessment_id=Subquery(baseline.values("pk")[:1], output_field=UUIDField()),
                 latest_assessment_id=Subquery(latest.values("pk")[:1], output_field=UUIDField()),
                 latest_on=Subquery(latest.values("assessed_on")[:1], output_field=DateField()))

    def score(ref: str, domain: str) -> Subquery:
        return Subquery(DomainScore.objects.filter(assessment_id=OuterRef(ref), domain=domain).values("score")[:1],
                        output_field=FloatField())

    updates: dict[str, Any] = {}
    for domain in FACT_DOMAINS:
        updates[f"base_{domain}"] = score("baseline_assessment_id", domain)
        updates[f"last_{domain}"] = score("latest_assessment_id", domain)
    facts.update(**updates)
    # Means of the recorded domains (a domain may be unanswered).
    facts.filter(latest_on__isnull=False).update(
        baseline_mean=_mean([f"base_{d}" for d in FACT_DOMAINS]),
        latest_mean=_mean([f"last_{d}" for d in FACT_DOMAINS]))


def _mean(names: list[str]) -> Any:
    """Mean of the non-null values of several columns, in SQL on SQLite and PostgreSQL."""
    from django.db.models import Case as If
    from django.db.models import FloatField, Func, Value, When
    from django.db.models.functions import Coalesce

    total: Any = Value(0.0)
    count: Any = Value(0.0)
    for name in names:
        total = total + Coalesce(F(name), Value(0.0))
        count = count + If(When(**{f"{name}__isnull": False}, then=Value(1.0)), default=Value(0.0),
                           output_field=FloatField())
    return ExpressionWrapper(total / Func(count, Value(0.0), function="NULLIF", output_field=FloatField()),
                             output_field=FloatField())


def facts_stale() -> bool:
    """Figures missing for some case, or older than the configured age."""
    from cases.models import Case

    newest = facts_refreshed_at()
    if newest is None:
        return Case.objects.exists()
    if timezone.now() - newest > dt.timedelta(minutes=conf.facts_max_age_minutes()):
        return True
    # A case opened since (cases.opened_at is indexed: no count of the whole table).
    return Case.objects.filter(opened_at__gt=newest).exists()


def facts_refreshed_at() -> dt.datetime | None:
    """Every refresh stamps every row, so any row tells when (one row read, not a scan)."""
    result: dt.datetime | None = CaseFact.objects.order_by().values_list("refreshed_at", flat=True).first()
    return result


def facts_ensure_fresh() -> None:
    """Queue a refresh when the figures are stale (runs at once in the embedded default)."""
    if facts_stale():
        from .tasks import facts_refresh_task

        try:
            facts_refresh_task.delay()
        except Exception:  # noqa: BLE001 - a dashboard still shows the figures it has
            log.exception("could not queue a refresh of the monitoring figures")
