"""Livelihood indicators in the monitoring registry (registered by ``LivelihoodConfig.ready()``).

The population is every case identified up to the end of the period (the survivors who could have
had livelihood support by then); the numerators are what had happened by the end of the period.
Disaggregations (region, sex, age band, exploitation type...) and disclosure control are the
registry's own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from monitoring.indicators import SHARE, Indicator, cases_in_scope, register
from plans.models import Goal

from .models import Enrolment, EnrolmentStatus, Enterprise, IncomeBand, IncomeFollowUp, Placement

SOURCE = _("UU 21/2007 Pasal 51 and UU 12/2022 Pasal 70 (economic empowerment); Sintas livelihood record")
PERIOD = _("cases identified by the end of the period; what happened by then")


def _population(params: Any) -> QuerySet[Any]:

    return cases_in_scope(params).filter(identified_on__lte=params.end)


def _has_plan(params: Any) -> Q:

    return Q(Exists(Goal.objects.filter(plan__case_id=OuterRef("pk"), domain="economic", created_at__date__lte=params.end)))


def _trained(params: Any) -> Q:

    return Q(Exists(Enrolment.objects.filter(case_id=OuterRef("pk"), enrolled_on__lte=params.end)))


def _certified(params: Any) -> Q:

    return Q(Exists(Enrolment.objects.filter(case_id=OuterRef("pk"), status=EnrolmentStatus.COMPLETED,
                                             completed_on__lte=params.end).exclude(certificate="")))


def _placed(params: Any) -> Q:

    return Q(Exists(Placement.objects.filter(case_id=OuterRef("pk"), started_on__lte=params.end)))


def _decent_at(months: int) -> Any:
    def numerator(params: Any) -> Q:

        return Q(Exists(IncomeFollowUp.objects.filter(case_id=OuterRef("pk"), months_after=months, working=True,
                                                      decent_work=True, recorded_on__lte=params.end)))
    return numerator


def _business_running_12(params: Any) -> Q:

    # Started at least 12 months before the end of the period and not closed by then.
    cutoff = params.end - dt.timedelta(days=365)
    return Q(Exists(Enterprise.objects.filter(case_id=OuterRef("pk"), started_on__lte=cutoff).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=params.end))))


def _income_at_minimum(params: Any) -> Q:

    return Q(Exists(IncomeFollowUp.objects.filter(case_id=OuterRef("pk"), band=IncomeBand.AT_OR_ABOVE,
                                                  recorded_on__lte=params.end)))


def register_indicators() -> None:

    group = _("Economic empowerment")
    for n, (code, title, numerator) in enumerate((
        ("livelihood_plan", _("Survivors with a livelihood goal in the plan"), _has_plan),
        ("livelihood_trained", _("Survivors enrolled in training"), _trained),
        ("livelihood_certified", _("Survivors certified after training"), _certified),
        ("livelihood_placed", _("Survivors placed in work"), _placed),
        ("livelihood_decent_6", _("In decent work at 6 months"), _decent_at(6)),
        ("livelihood_decent_12", _("In decent work at 12 months"), _decent_at(12)),
        ("livelihood_business_12", _("Businesses still running at 12 months"), _business_running_12),
        ("livelihood_income_minimum", _("Income at or above the minimum wage"), _income_at_minimum),
    )):
        register(Indicator(code=code, title=title, kind=SHARE, population=_population, numerator=numerator,
                           source=SOURCE, period=PERIOD, order=80 + n, group=group))
