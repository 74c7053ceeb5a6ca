"""The legal room's fields of a referral packet (``referrals/packet.py``: ``legal.history`` and
``legal.ledger``, the legal-aid template for LBH, advocates and LPSK). Plain text, in Indonesian:
the proceedings' stages, hearings and LPSK applications; the ledger of losses with their evidence
(file names only) and restitution ordered and paid. No identity of suspects or perpetrators, no
evidence contents."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone, translation

from .documents import rupiah
from .models import ZERO, Hearing, Loss, LpskApplication, Order, Payment, Proceeding, StageEvent


def _history(case: Any) -> str:
    lines: list[str] = []
    for p in Proceeding.objects.filter(case=case).order_by("created_at", "id"):
        lines.append(f"{p.title} ({p.get_survivor_role_display()})")
        for s in StageEvent.objects.filter(proceeding=p).order_by("on", "id"):
            number = f", {s.case_number}" if s.case_number else ""
            lines.append(f"- {s.get_stage_display()}: {s.on.isoformat()}, {s.institution}{number}")
        for h in Hearing.objects.filter(proceeding=p).order_by("at"):
            lines.append(f"- sidang {timezone.localtime(h.at).date().isoformat()}, {h.place}")
    for a in LpskApplication.objects.filter(case=case).order_by("applied_on"):
        decision = f", {a.get_decision_display()} {a.decided_on.isoformat()}" if a.decided_on else ""
        lines.append(f"LPSK {a.applied_on.isoformat()}{decision}")
    return "\n".join(lines)


def _ledger(case: Any) -> str:
    lines: list[str] = []
    total = ZERO
    for loss in Loss.objects.filter(case=case, withdrawn_at__isnull=True).prefetch_related("evidence").order_by(
            "incurred_on", "id"):
        files = ", ".join(e.filename for e in loss.evidence.all()) or "-"
        lines.append(f"- {loss.get_head_display()}: {loss.description}, {rupiah(loss.amount)} "
                     f"({loss.incurred_on.isoformat()}; bukti: {files})")
        total += loss.amount
    lines.append(f"Jumlah: {rupiah(total)}")
    for order in Order.objects.filter(proceeding__case=case).order_by("id"):
        paid = sum((pay.amount for pay in Payment.objects.filter(order=order)), Decimal(0))
        due = f", jatuh tempo {order.due_on.isoformat()}" if order.due_on else ""
        lines.append(f"Restitusi diputus {rupiah(order.amount)}, dibayar {rupiah(paid)}{due}")
    return "\n".join(lines)


def packet_value(key: str, case: Any) -> str:
    with translation.override("id"):
        if key == "legal.history":
            return _history(case)
        if key == "legal.ledger":
            return _ledger(case)
    raise KeyError(key)
