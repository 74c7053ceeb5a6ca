"""Legal endpoints under /api/v1/: a case's legal summary, its loss ledger and restitution payments.

Same policy and same services as the pages: the case comes through
``access.legal.legal_case_get_for_user`` (404 outside the user's scope, and for writes without the
right to record legal data), objects are looked up within that case, every write goes through
``legal.services``. Suspects' and perpetrators' identity is never in the API.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from access.legal import LegalAction, legal_case_get_for_user
from api.base import CASE_ID, INVALID, NOT_FOUND, SintasAPIView
from audit.models import AccessLogEntry
from audit.services import access_log_write

from . import selectors, services
from .models import Loss, LossHead, Payment, PaymentChannel

ORDER_ID = OpenApiParameter("order_id", OpenApiTypes.INT, OpenApiParameter.PATH,
                            description="Restitution ordered against one perpetrator of the case.")


def _log(request: Request, case: Any) -> None:
    access_log_write(user=request.user, what=AccessLogEntry.What.LEGAL_FILE, case_id=case.pk,
                     survivor_id=case.survivor_id, request=request._request)


class EvidenceRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    filename = serializers.CharField(read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)


class LossSerializer(serializers.ModelSerializer[Loss]):
    evidence = EvidenceRefSerializer(many=True, read_only=True)

    class Meta:
        model = Loss
        fields = ["id", "head", "description", "amount", "incurred_on", "recorded_by", "recorded_at",
                  "withdrawn_reason", "withdrawn_at", "evidence"]
        read_only_fields = fields


class FileSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    content_base64 = serializers.CharField(help_text="The file's bytes, base64 (PDF, JPEG or PNG).")


class LossCreateSerializer(serializers.Serializer[Any]):
    head = serializers.ChoiceField(choices=LossHead.choices)
    description = serializers.CharField(max_length=300)
    amount = serializers.DecimalField(max_digits=15, decimal_places=0, help_text="Rupiah, more than zero.")
    incurred_on = serializers.DateField()
    evidence = FileSerializer(many=True, required=False)


class PaymentSerializer(serializers.ModelSerializer[Payment]):
    payment_channel = serializers.ChoiceField(source="channel", choices=PaymentChannel.choices, read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "order", "paid_on", "amount", "payment_channel", "proof_reference", "proof_filename", "corrects",
                  "reason", "recorded_by", "recorded_at"]
        read_only_fields = fields


class PaymentCreateSerializer(serializers.Serializer[Any]):
    paid_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=15, decimal_places=0)
    payment_channel = serializers.ChoiceField(choices=PaymentChannel.choices)
    proof_reference = serializers.CharField(max_length=100)
    proof = FileSerializer(required=False)


def _upload(data: dict[str, Any], field_name: str) -> services.Upload:
    try:
        content = base64.b64decode(data["content_base64"], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError({field_name: ["The file is not valid base64."]}) from exc
    return services.Upload(name=data["name"], content=content)


class StageOutSerializer(serializers.Serializer[Any]):
    stage = serializers.CharField()
    on = serializers.DateField()
    institution = serializers.CharField()
    case_number = serializers.CharField()
    served_on = serializers.DateField(allow_null=True)


class OrderOutSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    party = serializers.IntegerField(help_text="The perpetrator's record (identity is not in the API).")
    amount = serializers.DecimalField(max_digits=15, decimal_places=0)
    paid = serializers.DecimalField(max_digits=15, decimal_places=0)
    remaining = serializers.DecimalField(max_digits=15, decimal_places=0)
    due_on = serializers.DateField(allow_null=True)


class ProceedingOutSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    stage = serializers.CharField()
    survivor_role = serializers.CharField()
    stages = StageOutSerializer(many=True)
    hearings = serializers.ListField(child=serializers.DictField())
    orders = OrderOutSerializer(many=True)
    claims = serializers.ListField(child=serializers.DictField())


class ClockOutSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    title = serializers.CharField()
    due_on = serializers.DateField()
    status = serializers.ChoiceField(choices=["due", "overdue", "met"])
    met_on = serializers.DateField(allow_null=True)


class LegalSummarySerializer(serializers.Serializer[Any]):
    proceedings = ProceedingOutSerializer(many=True)
    losses = LossSerializer(many=True)
    ledger_total = serializers.DecimalField(max_digits=15, decimal_places=0)
    clocks = ClockOutSerializer(many=True)


def _summary(user: Any, case: Any) -> dict[str, Any]:
    data = selectors.overview(user, case)
    proceedings = []
    for v in data["proceedings"]:
        p = v.proceeding
        proceedings.append({
            "id": p.pk, "title": p.title, "stage": p.stage, "survivor_role": p.survivor_role,
            "stages": [{"stage": s.stage, "on": s.on, "institution": s.institution, "case_number": s.case_number,
                        "served_on": s.served_on} for s in v.stages],
            "hearings": [{"id": h.pk, "at": h.at.isoformat(), "place": h.place, "has_companion": h.has_companion}
                         for h in v.hearings],
            "orders": [{"id": o.order.pk, "party": o.order.party_id, "amount": o.order.amount, "paid": o.paid,
                        "remaining": o.remaining, "due_on": o.order.due_on} for o in v.orders],
            "claims": [{"id": c.pk, "number": c.number, "recipient": c.recipient, "amount": str(c.amount),
                        "filed_on": c.filed_on.isoformat()} for c in v.claims],
        })
    return {"proceedings": proceedings, "losses": data["losses"], "ledger_total": data["ledger_total"],
            "clocks": [{"kind": c.kind, "title": c.title, "due_on": c.due_on, "status": c.status, "met_on": c.met_on}
                       for c in data["clocks"]]}


class LegalSummaryView(SintasAPIView):
    serializer_classes = {"GET": LegalSummarySerializer}
    pagination_class = None

    @extend_schema(summary="A case's legal protection and restitution: proceedings, ledger, orders, deadlines",
                   parameters=[CASE_ID], responses={200: LegalSummarySerializer, 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.VIEW)
        _log(request, case)
        return Response(LegalSummarySerializer(_summary(request.user, case)).data)


class LossListView(SintasAPIView):
    serializer_classes = {"GET": LossSerializer, "POST": LossCreateSerializer}
    pagination_class = None

    @extend_schema(summary="A case's loss ledger (UU 21/2007 Pasal 48(2), Perma 1/2022)", parameters=[CASE_ID],
                   responses={200: LossSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.VIEW)
        _log(request, case)
        return Response(LossSerializer(selectors.overview(request.user, case)["losses"], many=True).data)

    @extend_schema(summary="Record a loss, with evidence documents", parameters=[CASE_ID],
                   request=LossCreateSerializer, responses={201: LossSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.EDIT)
        serializer = LossCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        uploads = [_upload(item, "evidence") for item in d.get("evidence", [])]
        loss = services.loss_record(actor=request.user, case=case, head=d["head"], description=d["description"],
                                    amount=d["amount"], incurred_on=d["incurred_on"], evidence=uploads)
        return Response(LossSerializer(Loss.objects.prefetch_related("evidence").get(pk=loss.pk)).data,
                        status=status.HTTP_201_CREATED)


class OrderPaymentListView(SintasAPIView):
    serializer_classes = {"GET": PaymentSerializer, "POST": PaymentCreateSerializer}
    pagination_class = None

    @extend_schema(summary="Payments of restitution ordered (corrections are entries with ``corrects``)",
                   parameters=[CASE_ID, ORDER_ID], responses={200: PaymentSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str, order_id: int) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.VIEW)
        order = selectors.order_get(case, order_id)
        _log(request, case)
        return Response(PaymentSerializer(Payment.objects.filter(order=order).defer("proof"), many=True).data)

    @extend_schema(summary="Record a restitution payment (partial payments are several; overpayment refused)",
                   parameters=[CASE_ID, ORDER_ID], request=PaymentCreateSerializer,
                   responses={201: PaymentSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str, order_id: int) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.EDIT)
        order = selectors.order_get(case, order_id)
        serializer = PaymentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        proof = _upload(d["proof"], "proof") if d.get("proof") else None
        payment = services.payment_record(actor=request.user, order=order, paid_on=d["paid_on"], amount=d["amount"],
                                          channel=d["payment_channel"], proof_reference=d["proof_reference"],
                                          proof=proof)
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)
