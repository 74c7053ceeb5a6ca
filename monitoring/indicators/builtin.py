"""The first indicators (issue 5). Registered by ``MonitoringConfig.ready()``.

Period logic, in words (docs/monitoring.md repeats it for readers of the reports):
- survivors identified, service coverage, median days to first service: the cases **identified**
  in the period (a cohort); coverage counts services recorded up to the end of the period;
- time limits: the clocks that **started** in the period (an application, an identification with
  urgent medical needs, the opening of a case), met when the first qualifying service was recorded
  by the due date;
- improved domain scores: cases **reassessed** in the period, baseline against the latest
  assessment up to the end of the period;
- restored at closure: cases **closed** in the period;
- re-trafficking signals: cases closed in the 24 months before the end of the period, with a signal
  (a high re-trafficking risk at a follow-up, or a reopening) in the period;
- overdue work: cases with a follow-up visit still not done after its due date at the end of the period.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import DateField, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import clock
from core.choices import Domain
from referrals.models import Referral
from reintegration.models import Closure, ClosureReason, FollowUp, FollowUpStatus, RiskLevel

from .. import conf
from . import COUNT, MEDIAN, SHARE, DaysBetween, Indicator, Params, cases_in_scope, register

# The integrated services of PP 9/2008 in the shape of the SPM coverage indicators (Permen PP-PA
# 01/2010): the percentage of survivors who received each. Targets [verify] are in DOMAIN.md.
COVERAGE_SERVICES = [
    ("health_rehabilitation", _("Coverage: health rehabilitation"), "UU 21/2007 Pasal 51; PP 9/2008; SPM (Permen PP-PA 01/2010)"),
    ("social_rehabilitation", _("Coverage: social rehabilitation"), "UU 21/2007 Pasal 51; PP 9/2008; SPM (Permen PP-PA 01/2010)"),
    ("legal_aid", _("Coverage: legal aid"), "PP 9/2008; SPM (Permen PP-PA 01/2010)"),
    ("repatriation", _("Coverage: repatriation"), "UU 21/2007 Pasal 51 and 54; PP 9/2008; SPM (Permen PP-PA 01/2010)"),
    ("social_reintegration", _("Coverage: social reintegration"), "UU 21/2007 Pasal 51; PP 9/2008; SPM (Permen PP-PA 01/2010)"),
]


def identified(params: Params) -> QuerySet[Any]:
    return cases_in_scope(params).filter(identified_on__gte=params.start, identified_on__lte=params.end)


# Service, time-limit and recovery figures come from the case figures (monitoring.facts), refreshed
# in bulk: a join, never a scan of the deliveries per case.
FACT = ""


def _coverage_numerator(code: str) -> Any:
    def numerator(params: Params) -> Q:
        return Q(**{f"{FACT}{code}_on__lte": params.end})
    return numerator


def served(params: Params) -> QuerySet[Any]:
    return identified(params).filter(**{f"{FACT}first_service_on__lte": params.end})


def _first_service_days(params: Params) -> Any:
    return DaysBetween(F(f"{FACT}first_service_on"), F("identified_on"))


# --- legal time limits ------------------------------------------------------------------------------


def application_population(params: Params) -> QuerySet[Any]:
    return cases_in_scope(params).filter(**{f"{FACT}application_on__gte": params.start,
                                            f"{FACT}application_on__lte": params.end,
                                            f"{FACT}application_met__isnull": False})


def _applies(column: str) -> Any:
    def narrow(params: Params) -> Q:
        return Q(**{f"{column}__isnull": False})
    return narrow


def _met(column: str) -> Any:
    def numerator(params: Params) -> Q:
        return Q(**{f"{FACT}{column}": True})
    return numerator


# --- recovery ----------------------------------------------------------------------------------------


def reassessed(params: Params) -> QuerySet[Any]:
    """Cases whose most recent reassessment (holistic, after a baseline) falls in the period: a case
    reassessed again later counts in the later period."""
    return cases_in_scope(params).filter(**{f"{FACT}latest_on__gte": params.start, f"{FACT}latest_on__lte": params.end})


def _improved_filter(domain: str) -> Any:
    def narrow(params: Params) -> Q:
        return Q(**{f"{FACT}base_{domain}__isnull": False, f"{FACT}last_{domain}__isnull": False})
    return narrow


def _improved_numerator(domain: str) -> Any:
    def numerator(params: Params) -> Q:
        return Q(**{f"{FACT}last_{domain}__gt": F(f"{FACT}base_{domain}")})
    return numerator


# --- reintegration ---------------------------------------------------------------------------------


def _moment_bounds(params: Params) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(params.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(params.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def closed_in_period(params: Params) -> QuerySet[Any]:
    start, end = _moment_bounds(params)
    return cases_in_scope(params).filter(Exists(Closure.objects.filter(
        case_id=OuterRef("pk"), closed_at__gte=start, closed_at__lt=end)))


def restored_numerator(params: Params) -> Q:
    start, end = _moment_bounds(params)
    return Q(Exists(Closure.objects.filter(case_id=OuterRef("pk"), closed_at__gte=start, closed_at__lt=end,
                                           reason=ClosureReason.RESTORED)))


def _months_before(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 - months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def closed_within_window(params: Params) -> QuerySet[Any]:
    start, end = _moment_bounds(params)
    window_start = dt.datetime.combine(_months_before(params.end, conf.retrafficking_window_months()),
                                       dt.time.min, tzinfo=start.tzinfo)
    return cases_in_scope(params).filter(Exists(Closure.objects.filter(
        case_id=OuterRef("pk"), closed_at__gte=window_start, closed_at__lt=end)))


def retrafficking_numerator(params: Params) -> Q:
    start, end = _moment_bounds(params)
    high = FollowUp.objects.filter(case_id=OuterRef("pk"), status=FollowUpStatus.DONE, risk_level=RiskLevel.HIGH,
                                   done_on__gte=params.start, done_on__lte=params.end)
    reopened = Closure.objects.filter(case_id=OuterRef("pk"), reopened_at__gte=start, reopened_at__lt=end)
    return Q(Exists(high)) | Q(Exists(reopened))


def overdue_follow_up(params: Params) -> QuerySet[Any]:
    as_of = min(params.end, clock.today())
    return cases_in_scope(params).filter(Exists(FollowUp.objects.filter(
        case_id=OuterRef("pk"), status=FollowUpStatus.SCHEDULED, due_on__lt=as_of)))


# --- referrals (the referrals room) -------------------------------------------------------------------


_REFERRALS_READY: list[bool] = []


def _referrals_ready() -> bool:
    """Whether the referrals room's table exists (asked once per process once it does)."""
    if _REFERRALS_READY:
        return True
    try:
        ready = Referral._meta.db_table in connection.introspection.table_names()
    except Exception:  # noqa: BLE001 - the room's table may not be migrated yet
        return False
    if ready:
        _REFERRALS_READY.append(True)
    return ready


def referrals_answered(params: Params) -> QuerySet[Any]:
    start, end = _moment_bounds(params)
    return cases_in_scope(params).filter(Exists(Referral.objects.filter(
        case_id=OuterRef("pk"), sent_at__gte=start, sent_at__lt=end, responded_at__isnull=False)))


# --- registration --------------------------------------------------------------------------------------

COHORT = _("cases identified in the period")


def register_builtin() -> None:
    register(Indicator(
        code="identified", title=_("Survivors identified"), kind=COUNT, population=identified,
        source=_("UU 21/2007; Gugus Tugas PP-TPPO reporting"), period=COHORT, unit=_("survivors"), order=10,
        group=_("Identification"),
    ))
    for n, (code, title, source) in enumerate(COVERAGE_SERVICES):
        register(Indicator(
            code=f"coverage_{code}", title=title, kind=SHARE, population=identified,
            numerator=_coverage_numerator(code), source=source, period=COHORT, order=20 + n,
            met_label=_("received"), not_met_label=_("not (yet) received"), group=_("Service coverage (SPM)"),
        ))
    limits = [
        ("services_after_application", _("Services within 7 days of an application"), "UU 21/2007 Pasal 52",
         application_population, _("cases whose first application for services was made in the period"),
         "application_met"),
        ("first_aid_urgent", _("First aid within 7 days (urgent medical needs)"), "UU 21/2007 Pasal 53",
         identified, _("cases with urgent medical needs identified in the period"), "first_aid_met"),
        ("police_report_forwarding", _("Report forwarded to police within 3 x 24 hours"), "UU 12/2022 Pasal 41",
         identified, _("cases identified in the period (not referred by the police)"), "police_met"),
    ]
    for n, (code, title, source, population, period, column) in enumerate(limits):
        register(Indicator(
            code=f"time_limit_{code}", title=title, kind=SHARE, population=population,
            population_filter=None if population is application_population else _applies(column),
            numerator=_met(column), source=source, period=period, order=40 + n,
            met_label=_("in time"), not_met_label=_("late or not yet"), group=_("Legal time limits"),
        ))
    register(Indicator(
        code="days_to_first_service", title=_("Median days from identification to first service"), kind=MEDIAN,
        population=served, value=_first_service_days, source=_("UU 21/2007 Pasal 52-53 (services without delay)"),
        period=COHORT, unit=_("days"), higher_is_better=False, order=50, group=_("Legal time limits"),
    ))
    for n, (domain, label) in enumerate(Domain.choices):
        register(Indicator(
            code=f"improved_{domain}", title=_("Improved score: %(domain)s") % {"domain": label}, kind=SHARE,
            population=reassessed, population_filter=_improved_filter(domain),
            numerator=_improved_numerator(domain),
            source=_("Sintas recovery record (six domains, DOMAIN.md section 2)"),
            period=_("cases whose latest reassessment falls in the period: baseline against that assessment"),
            order=60 + n, met_label=_("improved"), not_met_label=_("not improved"), group=_("Recovery"),
        ))
    register(Indicator(
        code="restored_at_closure", title=_("Restored at closure"), kind=SHARE, population=closed_in_period,
        numerator=restored_numerator, source=_("Sintas closure record (terminasi kasus)"),
        period=_("cases closed in the period"), order=70, met_label=_("restored"),
        not_met_label=_("closed for another reason"), group=_("Reintegration"),
    ))
    register(Indicator(
        code="retrafficking_signals", title=_("Re-trafficking signals within 24 months of closure"), kind=SHARE,
        population=closed_within_window, numerator=retrafficking_numerator,
        source=_("IOM research on re-trafficking; DOMAIN.md section 9"),
        period=_("cases closed in the 24 months before the end of the period; a high risk at a follow-up "
                 "or a reopening in the period"),
        order=71, met_label=_("signal"), not_met_label=_("no signal"), higher_is_better=False,
        group=_("Reintegration"),
    ))
    register(Indicator(
        code="overdue_follow_ups", title=_("Cases with an overdue follow-up visit"), kind=COUNT,
        population=overdue_follow_up, source=_("Sintas follow-up schedule (24 months after closure)"),
        period=_("at the end of the period (or today)"), unit=_("cases"), order=80, higher_is_better=False,
        group=_("Overdue work"),
    ))
    register(Indicator(
        code="referral_acceptance", title=_("Referrals accepted"), kind=SHARE, population=referrals_answered,
        numerator=referral_accepted, source=_("Sintas referrals (PP 9/2008 integrated services)"),
        period=_("cases with a referral sent in the period and answered"), order=90,
        met_label=_("accepted"), not_met_label=_("declined"), group=_("Referrals"), available=_referrals_ready,
    ))
    register(Indicator(
        code="referral_response_days", title=_("Median days to answer a referral"), kind=MEDIAN,
        population=referrals_answered, value=referral_response_days,
        source=_("Sintas referrals (PP 9/2008 integrated services)"),
        period=_("cases with a referral sent in the period and answered (first referral)"), unit=_("days"),
        higher_is_better=False, order=91, group=_("Referrals"), available=_referrals_ready,
    ))


def referral_accepted(params: Params) -> Q:
    start, end = _moment_bounds(params)
    accepted = [Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS, Referral.Status.COMPLETED]
    return Q(Exists(Referral.objects.filter(case_id=OuterRef("pk"), sent_at__gte=start, sent_at__lt=end,
                                            responded_at__isnull=False, status__in=accepted)))


def referral_response_days(params: Params) -> Any:
    start, end = _moment_bounds(params)
    first = Referral.objects.filter(case_id=OuterRef("pk"), sent_at__gte=start, sent_at__lt=end,
                                    responded_at__isnull=False).order_by("sent_at")
    return DaysBetween(Subquery(first.annotate(d=TruncDate("responded_at")).values("d")[:1], output_field=DateField()),
                       Subquery(first.annotate(d=TruncDate("sent_at")).values("d")[:1], output_field=DateField()))
