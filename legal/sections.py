"""The legal part of the case file: counts, sums and deadlines, for those who may see legal data.
A fixed number of queries whatever the amount of data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Sum

from access.legal import LegalAction, legal_can
from core.sections import CaseSection

from . import clocks
from .models import Loss, Order, Payment, Proceeding, Stage


def legal_section(request: Any, case: Any) -> CaseSection | None:
    if not legal_can(request.user, LegalAction.VIEW, case):
        return None
    stages = list(Proceeding.objects.filter(case=case).values_list("stage", flat=True))
    furthest = max((s for s in stages if s), key=lambda s: Stage.values.index(s), default="")
    ledger = Loss.objects.filter(case=case, withdrawn_at__isnull=True).aggregate(t=Sum("amount"))["t"]
    ordered = Order.objects.filter(proceeding__case=case).aggregate(t=Sum("amount"))["t"]
    paid = Payment.objects.filter(order__proceeding__case=case).aggregate(t=Sum("amount"))["t"]
    context = {
        "case": case,
        "proceedings": len(stages),
        "stage": Stage(furthest).label if furthest else "",
        "ledger_total": Decimal(ledger or 0),
        "ordered": Decimal(ordered or 0),
        "paid": Decimal(paid or 0),
        "clocks": [c for c in clocks.clocks_for(type(case).objects.filter(pk=case.pk)) if c.status != clocks.MET],
    }
    return CaseSection(template="legal/section.html", context=context, order=45)
