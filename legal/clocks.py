"""The legal room's clocks: each legal time limit as due, overdue or met (docs/legal.md).

- ``companion``: a hearing needs an accompanying person by the ``SINTAS_LEGAL_COMPANION_WORKING_DAYS``
  th working day before it (default 3, core/workdays.py); flagged (overdue) from that day on.
- ``lpsk_decision``: LPSK decides within ``SINTAS_LEGAL_LPSK_DECISION_DAYS`` of the application.
- ``claim_window``: a restitution claim within ``SINTAS_LEGAL_CLAIM_WINDOW_DAYS`` of the service of
  the final judgment (Perma 1/2022), unless a claim was filed already.
- ``payment``: the perpetrator pays by the order's due date (served + 14 days, or the child period).
- ``warning``: when payment is overdue, the court warning within ``SINTAS_LEGAL_WARNING_DAYS``.

Every function takes a queryset of cases and uses a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from core.workdays import is_working_day

from . import conf
from .models import Claim, EnforcementStep, Hearing, LpskApplication, NonPaymentStep, Order, Payment, Stage, StageEvent

DUE, OVERDUE, MET = "due", "overdue", "met"


@dataclass(frozen=True)
class Clock:
    case_id: Any
    survivor_code: str
    kind: str
    key: str  # unique for the deadline (alerts are raised once per key)
    title: str
    due_on: dt.date
    status: str
    met_on: dt.date | None = None

    @property
    def overdue(self) -> bool:
        return self.status == OVERDUE


def working_days_before(day: dt.date, count: int) -> dt.date:
    found, current = 0, day
    while found < count:
        current -= dt.timedelta(days=1)
        if is_working_day(current):
            found += 1
    return current


def _status(due_on: dt.date, met_on: dt.date | None, today: dt.date, *, flag_on_day: bool = False) -> str:
    if met_on is not None:
        return MET
    if today > due_on or (flag_on_day and today >= due_on):
        return OVERDUE
    return DUE


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def hearing_clocks(cases: QuerySet[Any], *, include_past: bool = False) -> list[Clock]:
    today = clock.today()
    qs = Hearing.objects.filter(proceeding__case__in=cases).select_related("proceeding__case__survivor")
    if not include_past:
        qs = qs.filter(at__gte=timezone.make_aware(dt.datetime.combine(today, dt.time.min)))
    clocks = []
    for h in qs.order_by("at", "id")[:500]:
        day = _local_date(h.at)
        due = working_days_before(day, conf.companion_working_days())
        clocks.append(Clock(
            case_id=h.proceeding.case_id, survivor_code=h.proceeding.case.survivor.code, kind="companion",
            key=f"legal:companion:{h.pk}",
            title=_("Hearing on %(date)s: accompanying person") % {"date": day.isoformat()},
            due_on=due, status=_status(due, today if h.has_companion else None, today, flag_on_day=True),
            met_on=None))
    return clocks


def lpsk_clocks(cases: QuerySet[Any]) -> list[Clock]:
    today = clock.today()
    clocks = []
    for a in LpskApplication.objects.filter(case__in=cases).select_related("case__survivor").order_by("id")[:500]:
        due = a.applied_on + dt.timedelta(days=conf.lpsk_decision_days())
        clocks.append(Clock(case_id=a.case_id, survivor_code=a.case.survivor.code, kind="lpsk_decision",
                            key=f"legal:lpsk:{a.pk}", title=_("LPSK decision on the application of %(date)s") % {
                                "date": a.applied_on.isoformat()},
                            due_on=due, status=_status(due, a.decided_on, today), met_on=a.decided_on))
    return clocks


def claim_clocks(cases: QuerySet[Any]) -> list[Clock]:
    today = clock.today()
    first_claim = Claim.objects.filter(proceeding_id=OuterRef("proceeding_id")).order_by("filed_on")
    finals = (StageEvent.objects.filter(proceeding__case__in=cases, stage=Stage.FINAL, served_on__isnull=False)
              .select_related("proceeding__case__survivor")
              .annotate(claimed=Exists(first_claim))
              .order_by("id"))
    claimed_on = dict(Claim.objects.filter(proceeding__case__in=cases).order_by("-filed_on")
                      .values_list("proceeding_id", "filed_on"))
    clocks = []
    for f in finals[:500]:
        assert f.served_on is not None
        due = f.served_on + dt.timedelta(days=conf.claim_window_days())
        met = claimed_on.get(f.proceeding_id) if getattr(f, "claimed", False) else None
        clocks.append(Clock(case_id=f.proceeding.case_id, survivor_code=f.proceeding.case.survivor.code,
                            kind="claim_window", key=f"legal:claim:{f.proceeding_id}",
                            title=_("Restitution claim: %(title)s") % {"title": f.proceeding.title},
                            due_on=due, status=_status(due, met, today), met_on=met))
    return clocks


def orders_with_totals(cases: QuerySet[Any]) -> QuerySet[Order]:
    paid = Payment.objects.filter(order_id=OuterRef("pk")).values("order_id").annotate(t=Sum("amount")).values("t")
    warned = EnforcementStep.objects.filter(order_id=OuterRef("pk"), step=NonPaymentStep.WARNING)
    return (Order.objects.filter(proceeding__case__in=cases)
            .select_related("proceeding__case__survivor")
            .annotate(paid_total=Coalesce(paid, Value(Decimal(0))), warned=Exists(warned))
            .order_by("id"))


def _last_payment_dates(orders: list[Order]) -> dict[Any, dt.date]:
    rows = Payment.objects.filter(order__in=[o.pk for o in orders]).order_by("paid_on").values_list(
        "order_id", "paid_on")
    return dict(rows)


def order_clocks(cases: QuerySet[Any]) -> list[Clock]:
    today = clock.today()
    orders = [o for o in orders_with_totals(cases).filter(due_on__isnull=False)[:500]]
    last_paid = _last_payment_dates(orders)
    warnings = dict(EnforcementStep.objects.filter(order__in=[o.pk for o in orders], step=NonPaymentStep.WARNING)
                    .values_list("order_id", "on"))
    clocks = []
    for o in orders:
        assert o.due_on is not None
        paid_in_full = getattr(o, "paid_total", 0) >= o.amount
        met = last_paid.get(o.pk) if paid_in_full else None
        code = o.proceeding.case.survivor.code
        status = _status(o.due_on, met, today)
        clocks.append(Clock(case_id=o.proceeding.case_id, survivor_code=code, kind="payment",
                            key=f"legal:payment:{o.pk}", title=_("Restitution payment due"), due_on=o.due_on,
                            status=status, met_on=met))
        if status == OVERDUE:
            due = o.due_on + dt.timedelta(days=conf.warning_days())
            warned_on = warnings.get(o.pk)
            clocks.append(Clock(case_id=o.proceeding.case_id, survivor_code=code, kind="warning",
                                key=f"legal:warning:{o.pk}", title=_("Court warning for unpaid restitution"),
                                due_on=due, status=_status(due, warned_on, today), met_on=warned_on))
    return clocks


def clocks_for(cases: QuerySet[Any], *, include_past_hearings: bool = False) -> list[Clock]:
    found = [*hearing_clocks(cases, include_past=include_past_hearings), *lpsk_clocks(cases), *claim_clocks(cases),
             *order_clocks(cases)]
    return sorted(found, key=lambda c: (c.status != OVERDUE, c.status == MET, c.due_on))
