"""The legal part of the case file, for those who may see legal data: the furthest stage, the
ledger, restitution ordered and paid, and whether a payment or an LPSK decision is overdue.
One query whatever the amount of data (the full clocks are on the legal page)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, DecimalField, Exists, F, IntegerField, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from access.legal import LegalAction, legal_can
from cases.models import Case as CaseModel
from core import clock
from core.sections import CaseSection

from . import conf
from .models import STAGE_ORDER, Loss, LpskApplication, Order, Payment, Proceeding, Stage, StageEvent


def _summary(case: Any) -> dict[str, Any]:

    today = clock.today()
    rank = Case(*[When(stage=s, then=Value(i)) for s, i in STAGE_ORDER.items()], output_field=IntegerField())
    furthest = (StageEvent.objects.filter(proceeding__case_id=OuterRef("pk")).annotate(rank=rank)
                .order_by("-rank").values("stage")[:1])
    count = Proceeding.objects.filter(case_id=OuterRef("pk")).order_by().values("case_id").annotate(
        n=Count("pk")).values("n")
    ledger = Loss.objects.filter(case_id=OuterRef("pk"), withdrawn_at__isnull=True).order_by().values(
        "case_id").annotate(t=Sum("amount")).values("t")
    ordered = Order.objects.filter(proceeding__case_id=OuterRef("pk")).order_by().values(
        "proceeding__case_id").annotate(t=Sum("amount")).values("t")
    paid = Payment.objects.filter(order__proceeding__case_id=OuterRef("pk")).order_by().values(
        "order__proceeding__case_id").annotate(t=Sum("amount")).values("t")
    order_paid = Payment.objects.filter(order_id=OuterRef("pk")).order_by().values("order_id").annotate(
        t=Sum("amount")).values("t")
    unpaid_overdue = Order.objects.filter(proceeding__case_id=OuterRef("pk"), due_on__lt=today).annotate(
        paid=Coalesce(Subquery(order_paid), Value(Decimal(0)), output_field=DecimalField())).filter(
        paid__lt=F("amount"))
    lpsk_overdue = LpskApplication.objects.filter(
        case_id=OuterRef("pk"), decided_on__isnull=True,
        applied_on__lt=today - dt.timedelta(days=conf.lpsk_decision_days()))
    money: DecimalField[Decimal, Decimal] = DecimalField()
    row = CaseModel.objects.filter(pk=case.pk).annotate(
        _stage=Subquery(furthest), _proceedings=Coalesce(Subquery(count), Value(0)),
        _ledger=Coalesce(Subquery(ledger), Value(Decimal(0)), output_field=money),
        _ordered=Coalesce(Subquery(ordered), Value(Decimal(0)), output_field=money),
        _paid=Coalesce(Subquery(paid), Value(Decimal(0)), output_field=money),
        _payment_overdue=Exists(unpaid_overdue), _lpsk_overdue=Exists(lpsk_overdue),
    ).values("_stage", "_proceedings", "_ledger", "_ordered", "_paid", "_payment_overdue", "_lpsk_overdue").first()
    return row or {}


def legal_section(request: Any, case: Any) -> CaseSection | None:
    if not legal_can(request.user, LegalAction.VIEW, case):
        return None
    row = _summary(case)
    stage = row.get("_stage") or ""
    context = {
        "case": case,
        "proceedings": row.get("_proceedings") or 0,
        "stage": Stage(stage).label if stage else "",
        "ledger_total": Decimal(row.get("_ledger") or 0),
        "ordered": Decimal(row.get("_ordered") or 0),
        "paid": Decimal(row.get("_paid") or 0),
        "payment_overdue": bool(row.get("_payment_overdue")),
        "lpsk_overdue": bool(row.get("_lpsk_overdue")),
    }
    return CaseSection(template="legal/section.html", context=context, order=45)
