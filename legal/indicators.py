"""The legal room's indicators in the monitoring registry (registered in ``LegalConfig.ready()``).

The engine's unit is the case, so the figures count cases (with the registry's disclosure
control), except the share of ordered restitution actually paid, in rupiah (a ``SUM`` with a part:
amounts added up over cases, a group shown only when it has enough cases);
``restitution_amounts`` gives the same for one organisation without disclosure control. Period logic:
- police report, trial, verdict: cases that reached the stage in the period;
- carried from investigation to verdict (SPM): cases with a police report up to the end of the
  period, met when a verdict is recorded by then;
- median days from police report to verdict: cases whose verdict falls in the period;
- restitution claimed / ordered: cases with a claim filed / a verdict ordering restitution in the period;
- restitution paid in full: cases whose payment due date falls in the period, met when everything
  ordered was paid by the end of the period;
- share of ordered restitution paid (rupiah): restitution ordered in verdicts of the period, and
  what of it was paid by the end of the period;
- LPSK: cases with an application in the period; decided: of those, decided by the end of the period.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from monitoring.indicators import (
    COUNT,
    MEDIAN,
    SHARE,
    SUM,
    DaysBetween,
    Indicator,
    Params,
    cases_in_scope,
    register,
)

from .models import Claim, LpskApplication, Order, Payment, Stage, StageEvent

GROUP = _("Legal protection and restitution")


def _scope(params: Params) -> QuerySet[Any]:
    """Every case of the scope: the legal indicators narrow it each with its own filter, so the
    engine computes them together in one grouped query."""
    return cases_in_scope(params)


def _stage_q(stage: str) -> Any:
    def narrow(params: Params) -> Q:
        return Q(Exists(StageEvent.objects.filter(proceeding__case_id=OuterRef("pk"), stage=stage,
                                                  on__gte=params.start, on__lte=params.end)))
    return narrow


def _verdict_in_period(params: Params) -> QuerySet[Any]:
    return _scope(params).filter(_stage_q(Stage.VERDICT)(params))


def _reported_by_end(params: Params) -> Q:
    return Q(Exists(StageEvent.objects.filter(proceeding__case_id=OuterRef("pk"), stage=Stage.POLICE_REPORT,
                                              on__lte=params.end)))


def _verdict_by_end(params: Params) -> Q:
    return Q(Exists(StageEvent.objects.filter(proceeding__case_id=OuterRef("pk"), stage=Stage.VERDICT,
                                              on__lte=params.end)))


def _first(stage: str) -> Any:
    return Subquery(StageEvent.objects.filter(proceeding__case_id=OuterRef("pk"), stage=stage)
                    .order_by("on").values("on")[:1])


def _days_report_to_verdict(params: Params) -> Any:
    return DaysBetween(_first(Stage.VERDICT), _first(Stage.POLICE_REPORT))


def _claimed(params: Params) -> Q:
    return Q(Exists(Claim.objects.filter(proceeding__case_id=OuterRef("pk"), filed_on__gte=params.start,
                                         filed_on__lte=params.end)))


def _ordered(params: Params) -> Q:
    verdict = StageEvent.objects.filter(proceeding_id=OuterRef("proceeding_id"), stage=Stage.VERDICT,
                                        on__gte=params.start, on__lte=params.end)
    return Q(Exists(Order.objects.filter(proceeding__case_id=OuterRef("pk")).filter(Exists(verdict))))


def _orders_of_the_period(params: Params) -> QuerySet[Order]:
    verdict = StageEvent.objects.filter(proceeding_id=OuterRef("proceeding_id"), stage=Stage.VERDICT,
                                        on__gte=params.start, on__lte=params.end)
    return Order.objects.filter(proceeding__case_id=OuterRef("pk")).filter(Exists(verdict))


def _ordered_amount(params: Params) -> Any:
    """Per case: restitution ordered in verdicts of the period (rupiah)."""
    return Subquery(_orders_of_the_period(params).order_by().values("proceeding__case_id")
                    .annotate(t=Sum("amount")).values("t"), output_field=DecimalField(max_digits=20, decimal_places=0))


def _paid_amount(params: Params) -> Any:
    """Per case: what of that was paid by the end of the period (corrections included)."""
    verdict = StageEvent.objects.filter(proceeding_id=OuterRef("order__proceeding_id"), stage=Stage.VERDICT,
                                        on__gte=params.start, on__lte=params.end)
    return Subquery(Payment.objects.filter(order__proceeding__case_id=OuterRef("pk"), paid_on__lte=params.end)
                    .filter(Exists(verdict)).order_by().values("order__proceeding__case_id")
                    .annotate(t=Sum("amount")).values("t"), output_field=DecimalField(max_digits=20, decimal_places=0))


def _payment_due(params: Params) -> Q:
    return Q(Exists(Order.objects.filter(proceeding__case_id=OuterRef("pk"), due_on__gte=params.start,
                                         due_on__lte=params.end)))


def _paid_in_full(params: Params) -> Q:
    paid = (Payment.objects.filter(order_id=OuterRef("pk"), paid_on__lte=params.end).values("order_id")
            .annotate(t=Sum("amount")).values("t"))
    short = Order.objects.filter(proceeding__case_id=OuterRef("pk")).annotate(
        paid=Coalesce(Subquery(paid), Value(Decimal(0)), output_field=DecimalField())).filter(paid__lt=F("amount"))
    return ~Q(Exists(short))


def _lpsk_applied(params: Params) -> Q:
    return Q(Exists(LpskApplication.objects.filter(
        case_id=OuterRef("pk"), applied_on__gte=params.start, applied_on__lte=params.end)))


def _lpsk_decided(params: Params) -> Q:
    return Q(Exists(LpskApplication.objects.filter(
        case_id=OuterRef("pk"), applied_on__gte=params.start, applied_on__lte=params.end,
        decided_on__isnull=False, decided_on__lte=params.end)))


def register_legal() -> None:
    for n, (stage, title) in enumerate([
        (Stage.POLICE_REPORT, _("Cases with a police report")),
        (Stage.TRIAL, _("Cases reaching trial")),
        (Stage.VERDICT, _("Cases reaching a verdict")),
    ]):
        register(Indicator(
            code=f"legal_{stage}", title=title, kind=COUNT, population=_scope, population_filter=_stage_q(stage),
            source=_("UU 21/2007; KUHAP"), period=_("cases that reached the stage in the period"),
            unit=_("cases"), order=100 + n, group=GROUP))
    register(Indicator(
        code="legal_investigation_to_verdict", title=_("Cases carried from investigation to verdict"), kind=SHARE,
        population=_scope, population_filter=_reported_by_end, numerator=_verdict_by_end,
        source=_("SPM (Permen PP-PA 01/2010)"), period=_("cases with a police report up to the end of the period"),
        met_label=_("verdict"), not_met_label=_("no verdict yet"), order=103, group=GROUP))
    register(Indicator(
        code="legal_days_report_to_verdict", title=_("Median days from police report to verdict"), kind=MEDIAN,
        population=_verdict_in_period, value=_days_report_to_verdict, source=_("UU 21/2007; KUHAP"),
        period=_("cases whose verdict falls in the period"), unit=_("days"), higher_is_better=False, order=104,
        group=GROUP))
    register(Indicator(
        code="legal_restitution_claimed", title=_("Cases with a restitution claim filed"), kind=COUNT,
        population=_scope, population_filter=_claimed, source=_("UU 21/2007 Pasal 48; Perma 1/2022"),
        period=_("claims filed in the period"), unit=_("cases"), order=105, group=GROUP))
    register(Indicator(
        code="legal_restitution_ordered", title=_("Cases with restitution ordered"), kind=COUNT,
        population=_scope, population_filter=_ordered, source=_("UU 21/2007 Pasal 48"),
        period=_("verdicts in the period"), unit=_("cases"), order=106, group=GROUP))
    register(Indicator(
        code="legal_restitution_paid", title=_("Ordered restitution paid in full"), kind=SHARE,
        population=_scope, population_filter=_payment_due, numerator=_paid_in_full,
        source=_("UU 21/2007 Pasal 50"),
        period=_("cases whose payment was due in the period, paid by the end of the period"),
        met_label=_("paid in full"), not_met_label=_("not (fully) paid"), order=107, group=GROUP))
    register(Indicator(
        code="legal_restitution_paid_amount", title=_("Share of ordered restitution actually paid (rupiah)"),
        kind=SUM, population=_scope, value=_ordered_amount, part=_paid_amount,
        source=_("UU 21/2007 Pasal 48-50"),
        period=_("restitution ordered in verdicts of the period, paid by the end of the period"),
        unit=_("ordered (Rp)"), met_label=_("paid (Rp)"), order=107, group=GROUP))
    register(Indicator(
        code="legal_lpsk_applications", title=_("Cases with an application to LPSK"), kind=COUNT,
        population=_scope, population_filter=_lpsk_applied, source=_("UU 31/2014"),
        period=_("applications made in the period"), unit=_("cases"), order=108, group=GROUP))
    register(Indicator(
        code="legal_lpsk_decided", title=_("LPSK applications decided"), kind=SHARE, population=_scope,
        population_filter=_lpsk_applied, numerator=_lpsk_decided, source=_("UU 31/2014"),
        period=_("applications made in the period, decided by the end of the period"), met_label=_("decided"),
        not_met_label=_("awaiting decision"), order=109, group=GROUP))


def restitution_amounts(*, organisation_id: int, start: Any, end: Any) -> dict[str, Decimal | float | None]:
    """Restitution ordered in verdicts of the period (rupiah), what of it was paid by the end, and
    the share paid: the figure courts seldom see (most ordered restitution is never paid)."""
    verdict = StageEvent.objects.filter(proceeding_id=OuterRef("proceeding_id"), stage=Stage.VERDICT,
                                        on__gte=start, on__lte=end)
    orders = Order.objects.filter(proceeding__case__lead_organisation_id=organisation_id).filter(Exists(verdict))
    ordered = Decimal(orders.aggregate(t=Sum("amount"))["t"] or 0)
    paid = Decimal(Payment.objects.filter(order__in=orders.values("pk"), paid_on__lte=end)
                   .aggregate(t=Sum("amount"))["t"] or 0)
    return {"ordered": ordered, "paid": paid, "share": float(paid / ordered) if ordered else None}
