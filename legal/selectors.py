"""Reads of the legal room, through the access policy (``access.legal``). Objects are always looked
up within a case the user may see, so another organisation's id answers 404."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import CharField, Prefetch, QuerySet, Value
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from access.legal import LegalAction, legal_can, legal_cases_visible_to
from care.models import ServiceDelivery

from . import clocks, conf
from .models import (
    ZERO,
    Claim,
    EnforcementStep,
    Evidence,
    Hearing,
    Loss,
    LossHead,
    LpskApplication,
    Order,
    Party,
    Payment,
    Proceeding,
    Stage,
    StageEvent,
)


def _get(qs: QuerySet[Any], pk: Any) -> Any:
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def proceeding_get(case: Any, proceeding_id: Any) -> Proceeding:
    found: Proceeding = _get(Proceeding.objects.filter(case=case), proceeding_id)
    found.case = case
    return found


def hearing_get(case: Any, hearing_id: Any) -> Hearing:
    found: Hearing = _get(Hearing.objects.filter(proceeding__case=case).select_related("proceeding"), hearing_id)
    found.proceeding.case = case
    return found


def lpsk_get(case: Any, lpsk_id: Any) -> LpskApplication:
    found: LpskApplication = _get(LpskApplication.objects.filter(case=case), lpsk_id)
    found.case = case
    return found


def loss_get(case: Any, loss_id: Any) -> Loss:
    found: Loss = _get(Loss.objects.filter(case=case), loss_id)
    found.case = case
    return found


def evidence_get(case: Any, evidence_id: Any) -> Evidence:
    """The evidence document with its (decrypted) content."""
    found: Evidence = _get(Evidence.objects.filter(loss__case=case), evidence_id)
    return found


def claim_get(case: Any, claim_id: Any) -> Claim:
    found: Claim = _get(Claim.objects.filter(proceeding__case=case), claim_id)
    return found


def order_get(case: Any, order_id: Any) -> Order:
    found: Order = _get(Order.objects.filter(proceeding__case=case).select_related("proceeding"), order_id)
    found.proceeding.case = case
    return found


def payment_get(case: Any, payment_id: Any) -> Payment:
    found: Payment = _get(Payment.objects.filter(order__proceeding__case=case).defer("proof")
                          .select_related("order__proceeding"), payment_id)
    found.order.proceeding.case = case
    return found


def payment_proof_get(case: Any, payment_id: Any) -> Payment:
    found: Payment = _get(Payment.objects.filter(order__proceeding__case=case, proof__isnull=False), payment_id)
    return found


def parties_for(proceeding: Proceeding, *, with_identity: bool) -> QuerySet[Party]:
    qs = Party.objects.filter(proceeding=proceeding)
    return qs if with_identity else qs.defer("name", "identity_note")


@dataclass
class OrderLine:
    order: Order
    paid: Decimal
    payments: list[Payment]
    steps: list[EnforcementStep]

    @property
    def remaining(self) -> Decimal:
        return self.order.amount - self.paid


@dataclass
class ProceedingView:
    proceeding: Proceeding
    stages: list[StageEvent]
    hearings: list[Hearing]
    parties: list[Party]
    claims: list[Claim]
    orders: list[OrderLine] = field(default_factory=list)

    @property
    def ordered(self) -> Decimal:
        return sum((o.order.amount for o in self.orders), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((o.paid for o in self.orders), ZERO)


def overview(user: Any, case: Any) -> dict[str, Any]:
    """Everything the legal page shows, in a fixed number of queries."""
    identity = legal_can(user, LegalAction.VIEW_PARTIES, case)
    party_qs = Party.objects.all() if identity else Party.objects.defer("name", "identity_note")
    payments = Payment.objects.defer("proof").select_related("recorded_by").order_by("paid_on", "id")
    orders = Order.objects.prefetch_related(Prefetch("party", queryset=party_qs),
                                            Prefetch("payments", queryset=payments), "steps")
    proceedings = list(Proceeding.objects.filter(case=case).prefetch_related(
        Prefetch("stages", queryset=StageEvent.objects.order_by("on", "id")),
        Prefetch("hearings", queryset=Hearing.objects.select_related("companion_user").order_by("at", "id")),
        Prefetch("parties", queryset=party_qs.order_by("id")),
        Prefetch("claims", queryset=Claim.objects.defer("pdf").order_by("-number")),
        Prefetch("orders", queryset=orders.order_by("id")),
    ))
    views = []
    for p in proceedings:
        p.case = case
        lines = [OrderLine(order=o, paid=sum((x.amount for x in o.payments.all()), ZERO),
                           payments=list(o.payments.all()), steps=list(o.steps.all())) for o in p.orders.all()]
        views.append(ProceedingView(proceeding=p, stages=list(p.stages.all()), hearings=list(p.hearings.all()),
                                    parties=list(p.parties.all()), claims=list(p.claims.all()), orders=lines))
    losses = list(Loss.objects.filter(case=case).select_related("recorded_by").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.defer("content").order_by("id"))).order_by("incurred_on", "id"))
    by_head: dict[str, Decimal] = {}
    for loss in losses:
        if loss.withdrawn_at is None:
            by_head[loss.head] = by_head.get(loss.head, ZERO) + loss.amount
    case_qs = type(case).objects.filter(pk=case.pk)
    return {
        "proceedings": views,
        "losses": losses,
        "ledger": [(LossHead(h).label, by_head[h]) for h in LossHead.values if h in by_head],
        "ledger_total": sum(by_head.values(), ZERO),
        "lpsk": list(LpskApplication.objects.filter(case=case).order_by("applied_on", "id")),
        "clocks": clocks.clocks_for(case_qs),
        "show_identity": identity,
    }


@dataclass
class DeliveryCost:
    """A recorded medical or psychological service delivery with a cost not yet in the ledger."""

    delivery_id: Any
    service: str
    delivered_on: Any
    cost: Decimal


def delivery_costs_unclaimed(case: Any) -> list[DeliveryCost]:
    """What "prefill from deliveries" proposes (one query): the case's recorded deliveries of a
    medical or psychological service (``conf.medical_service_codes``) with a cost above zero that
    no loss of the ledger came from (withdrawn ones included: nothing is written twice)."""
    name_field = "service__name_en" if (get_language() or "id").startswith("en") else "service__name_id"
    rows = (ServiceDelivery.objects.filter(case_id=case.pk, status=ServiceDelivery.Status.RECORDED, cost__gt=0,
                                           service__code__in=conf.medical_service_codes(), legal_loss__isnull=True)
            .order_by("delivered_on", "created_at").values_list("pk", name_field, "delivered_on", "cost"))
    return [DeliveryCost(delivery_id=pk, service=name, delivered_on=on, cost=cost) for pk, name, on, cost in rows]


def legal_cases(user: Any) -> QuerySet[Any]:
    return legal_cases_visible_to(user)


def trajectory_markers(user: Any, case: Any) -> list[tuple[Any, str]]:
    """Markers of the legal-protection domain for the recovery trajectory (registered with
    ``recovery.selectors.marker_reader_register``): each stage a proceeding reached and each
    restitution payment received, (date, label), oldest first. Empty for a user who may not see
    legal data (a supervisor off the team sees the trajectory, not the legal data). One query."""
    if not legal_can(user, LegalAction.VIEW, case):
        return []
    stages = StageEvent.objects.filter(proceeding__case=case).order_by().values_list("on", "stage")
    payments = (Payment.objects.filter(order__proceeding__case=case, corrects__isnull=True).order_by()
                .annotate(kind=Value(PAYMENT_MARKER, output_field=CharField())).values_list("paid_on", "kind"))
    found = [(on, _("restitution payment") if kind == PAYMENT_MARKER else str(Stage(kind).label))
             for on, kind in stages.union(payments, all=True)]
    return sorted(found, key=lambda m: (m[0], m[1]))


PAYMENT_MARKER = "payment"  # not a stage: a payment's row in the markers' one query
