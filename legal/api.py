"""Legal endpoints under /api/v1/: a case's legal summary, proceedings (particulars edited with
ETag/If-Match), stages, hearings (the accompanying person edited with ETag/If-Match), LPSK
applications and decisions, the loss ledger (and its prefill from service deliveries), restitution
claims (the PDF as base64, legal officers only, logged), orders, payments and their corrections.

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
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from access.legal import LegalAction, legal_case_get_for_user
from accounts.models import User
from api.base import CASE_ID, INVALID, NOT_FOUND, SintasAPIView
from api.concurrency import ETAG, IF_MATCH, STALE_RESPONSES, request_version, version_input, with_etag
from audit.models import AccessLogEntry
from audit.services import access_log_write

from . import selectors, services
from .models import (
    Claim,
    ClaimRecipient,
    Hearing,
    Loss,
    LossHead,
    LpskApplication,
    LpskDecision,
    Order,
    Party,
    PartyRole,
    Payment,
    PaymentChannel,
    Proceeding,
    Protection,
    Relationship,
    Stage,
    StageEvent,
    SurvivorRole,
)

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


# --- proceedings, stages, hearings, LPSK, claims, orders, corrections ------------------------------

PROCEEDING_ID = OpenApiParameter("proceeding_id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                 description="A criminal proceeding of the case.")
HEARING_ID = OpenApiParameter("hearing_id", OpenApiTypes.INT, OpenApiParameter.PATH,
                              description="A hearing of one of the case's proceedings.")
LPSK_ID = OpenApiParameter("lpsk_id", OpenApiTypes.INT, OpenApiParameter.PATH,
                           description="An application of the case to LPSK.")
CLAIM_ID = OpenApiParameter("claim_id", OpenApiTypes.INT, OpenApiParameter.PATH,
                            description="One version of a restitution claim of the case.")
PAYMENT_ID = OpenApiParameter("payment_id", OpenApiTypes.INT, OpenApiParameter.PATH,
                              description="A restitution payment of the case (the original, not a correction).")


class PartyOutSerializer(serializers.ModelSerializer[Party]):
    """A suspect or perpetrator without identity (names are never in the API)."""

    party_role = serializers.ChoiceField(source="role", choices=PartyRole.choices, read_only=True)
    party_relationship = serializers.ChoiceField(source="relationship", choices=Relationship.choices, read_only=True)

    class Meta:
        model = Party
        fields = ["id", "party_role", "party_relationship", "at_large"]
        read_only_fields = fields


class ProceedingSerializer(serializers.ModelSerializer[Proceeding]):
    stage_reached = serializers.ChoiceField(source="stage", choices=[("", "none yet"), *Stage.choices],
                                            read_only=True, help_text="The furthest stage reached (blank: none yet).")
    parties = PartyOutSerializer(many=True, read_only=True)

    class Meta:
        model = Proceeding
        fields = ["id", "title", "survivor_role", "police_report_number", "police_unit", "police_report_date",
                  "court_name", "child_victim", "stage_reached", "parties", "created_at", "version"]
        read_only_fields = fields


class ProceedingInputSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    survivor_role = serializers.ChoiceField(choices=SurvivorRole.choices, required=False)
    police_report_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    police_unit = serializers.CharField(max_length=200, required=False, allow_blank=True)
    police_report_date = serializers.DateField(required=False, allow_null=True,
                                               help_text="Records the police-report stage too (with the number).")
    court_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    child_victim = serializers.BooleanField(required=False)


class ProceedingUpdateSerializer(ProceedingInputSerializer):
    """The particulars, all of them (what is not sent is cleared), and the version they are based on."""

    version = version_input()


def _proceeding_out(proceeding: Proceeding) -> dict[str, Any]:
    found = Proceeding.objects.prefetch_related(
        Prefetch("parties", queryset=Party.objects.defer("name", "identity_note").order_by("id"))).get(pk=proceeding.pk)
    return dict(ProceedingSerializer(found).data)


class ProceedingListView(SintasAPIView):
    serializer_classes = {"GET": ProceedingSerializer, "POST": ProceedingInputSerializer}
    pagination_class = None

    @extend_schema(summary="A case's criminal proceedings", parameters=[CASE_ID],
                   responses={200: ProceedingSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.VIEW)
        _log(request, case)
        rows = Proceeding.objects.filter(case=case).prefetch_related(
            Prefetch("parties", queryset=Party.objects.defer("name", "identity_note").order_by("id")))
        return Response(ProceedingSerializer(rows, many=True).data)

    @extend_schema(summary="Open a criminal proceeding", parameters=[CASE_ID], request=ProceedingInputSerializer,
                   responses={201: ProceedingSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.EDIT)
        s = ProceedingInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        proceeding = services.proceeding_open(actor=request.user, case=case, values=dict(s.validated_data))
        return with_etag(Response(_proceeding_out(proceeding), status=status.HTTP_201_CREATED), proceeding.version)


class ProceedingDetailView(SintasAPIView):
    serializer_classes = {"GET": ProceedingSerializer, "PATCH": ProceedingUpdateSerializer}

    @extend_schema(summary="One criminal proceeding", parameters=[CASE_ID, PROCEEDING_ID, ETAG],
                   responses={200: ProceedingSerializer, 404: NOT_FOUND})
    def get(self, request: Request, case_id: str, proceeding_id: int) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.VIEW)
        proceeding = selectors.proceeding_get(case, proceeding_id)
        _log(request, case)
        return with_etag(Response(_proceeding_out(proceeding)), proceeding.version)

    @extend_schema(summary="Change the proceeding's particulars (If-Match or version)",
                   parameters=[CASE_ID, PROCEEDING_ID, IF_MATCH, ETAG], request=ProceedingUpdateSerializer,
                   responses={200: ProceedingSerializer, 400: INVALID, 404: NOT_FOUND, **STALE_RESPONSES})
    def patch(self, request: Request, case_id: str, proceeding_id: int) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.EDIT)
        proceeding = selectors.proceeding_get(case, proceeding_id)
        version = request_version(request)
        s = ProceedingUpdateSerializer(data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        values = {name: getattr(proceeding, name) for name in services.PROCEEDING_FIELDS}
        values.update({k: v for k, v in s.validated_data.items() if k != "version"})
        saved = services.proceeding_update(actor=request.user, proceeding=proceeding, values=values, version=version)
        return with_etag(Response(_proceeding_out(saved)), saved.version)


class StageSerializer(serializers.ModelSerializer[StageEvent]):
    stage_reached = serializers.ChoiceField(source="stage", choices=Stage.choices, read_only=True)

    class Meta:
        model = StageEvent
        fields = ["id", "proceeding", "stage_reached", "on", "institution", "case_number", "articles_proven",
                  "sentence", "served_on", "note", "recorded_by", "recorded_at"]
        read_only_fields = fields


class StageInputSerializer(serializers.Serializer[Any]):
    stage_reached = serializers.ChoiceField(choices=Stage.choices)
    on = serializers.DateField()
    institution = serializers.CharField(max_length=200)
    case_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    articles_proven = serializers.CharField(max_length=300, required=False, allow_blank=True,
                                            help_text="Required for the verdict.")
    sentence = serializers.CharField(max_length=300, required=False, allow_blank=True)
    served_on = serializers.DateField(required=False, allow_null=True, help_text="The final judgment only.")
    note = serializers.CharField(required=False, allow_blank=True)


class StageListView(SintasAPIView):
    serializer_classes = {"GET": StageSerializer, "POST": StageInputSerializer}
    pagination_class = None

    @extend_schema(summary="The stages a proceeding reached", parameters=[CASE_ID, PROCEEDING_ID],
                   responses={200: StageSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str, proceeding_id: int) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.VIEW)
        proceeding = selectors.proceeding_get(case, proceeding_id)
        _log(request, case)
        return Response(StageSerializer(StageEvent.objects.filter(proceeding=proceeding), many=True).data)

    @extend_schema(summary="Record a stage reached (in order: a verdict needs the trial, ...)",
                   parameters=[CASE_ID, PROCEEDING_ID], request=StageInputSerializer,
                   responses={201: StageSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str, proceeding_id: int) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.EDIT)
        proceeding = selectors.proceeding_get(case, proceeding_id)
        s = StageInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        d["stage"] = d.pop("stage_reached")
        event = services.stage_record(actor=request.user, proceeding=proceeding, data=services.StageInput(**d))
        return Response(StageSerializer(event).data, status=status.HTTP_201_CREATED)


class PartyInputSerializer(serializers.Serializer[Any]):
    party_role = serializers.ChoiceField(choices=PartyRole.choices)
    party_relationship = serializers.ChoiceField(choices=Relationship.choices)
    at_large = serializers.BooleanField(required=False, default=False)
    name = serializers.CharField(max_length=200, help_text="Kept encrypted; never returned by the API.")
    identity_note = serializers.CharField(max_length=2000, required=False, allow_blank=True,
                                          help_text="Other identifying details; kept encrypted, never returned.")


class PartyListView(SintasAPIView):
    serializer_classes = {"GET": PartyOutSerializer, "POST": PartyInputSerializer}
    pagination_class = None

    @extend_schema(summary="The suspects and perpetrators of a proceeding (without identity)",
                   parameters=[CASE_ID, PROCEEDING_ID], responses={200: PartyOutSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str, proceeding_id: int) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.VIEW)
        proceeding = selectors.proceeding_get(case, proceeding_id)
        _log(request, case)
        return Response(PartyOutSerializer(Party.objects.filter(proceeding=proceeding).order_by("pk"), many=True).data)

    @extend_schema(summary="Record a suspect or perpetrator (identity encrypted, never returned)",
                   parameters=[CASE_ID, PROCEEDING_ID], request=PartyInputSerializer,
                   responses={201: PartyOutSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str, proceeding_id: int) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.EDIT)
        proceeding = selectors.proceeding_get(case, proceeding_id)
        s = PartyInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        party = services.party_record(actor=request.user, proceeding=proceeding, role=d["party_role"],
                                      relationship=d["party_relationship"], at_large=d["at_large"], name=d["name"],
                                      identity_note=d.get("identity_note", ""))
        return Response(PartyOutSerializer(party).data, status=status.HTTP_201_CREATED)


class HearingSerializer(serializers.ModelSerializer[Hearing]):
    has_companion = serializers.BooleanField(read_only=True)
    companion_user_name = serializers.SerializerMethodField()

    class Meta:
        model = Hearing
        fields = ["id", "proceeding", "at", "place", "purpose", "companion_user", "companion_user_name",
                  "companion_name", "has_companion", "version"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_companion_user_name(self, obj: Hearing) -> str | None:
        return str(obj.companion_user.display_name) if obj.companion_user else None


class CompanionInputSerializer(serializers.Serializer[Any]):
    companion_user = serializers.IntegerField(required=False, allow_null=True,
                                              help_text="A user of the case's organisation.")
    companion_name = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                           help_text="Or (also) the accompanying person's name.")


class HearingInputSerializer(CompanionInputSerializer):
    at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CompanionUpdateSerializer(CompanionInputSerializer):
    version = version_input()


def _companion_user(case: Any, user_id: Any) -> Any:
    """The chosen user, looked up within the case's organisation (the service refuses anyone else)."""
    if user_id is None:
        return None
    found = User.objects.filter(pk=user_id, organisation_id=case.lead_organisation_id).first()
    if found is None:
        raise ValidationError({"companion_user": [_("Choose a person of the case's organisation.")]})
    return found


class HearingListView(SintasAPIView):
    serializer_classes = {"GET": HearingSerializer, "POST": HearingInputSerializer}
    pagination_class = None

    @extend_schema(summary="A proceeding's hearings, with who accompanies the survivor",
                   parameters=[CASE_ID, PROCEEDING_ID], responses={200: HearingSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str, proceeding_id: int) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.VIEW)
        proceeding = selectors.proceeding_get(case, proceeding_id)
        _log(request, case)
        rows = Hearing.objects.filter(proceeding=proceeding).select_related("companion_user")
        return Response(HearingSerializer(rows, many=True).data)

    @extend_schema(summary="Schedule a hearing", parameters=[CASE_ID, PROCEEDING_ID], request=HearingInputSerializer,
                   responses={201: HearingSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str, proceeding_id: int) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.EDIT)
        proceeding = selectors.proceeding_get(case, proceeding_id)
        s = HearingInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        hearing = services.hearing_schedule(
            actor=request.user, proceeding=proceeding, at=d["at"], place=d["place"], purpose=d.get("purpose", ""),
            companion_user=_companion_user(case, d.get("companion_user")), companion_name=d.get("companion_name", ""))
        return with_etag(Response(HearingSerializer(hearing).data, status=status.HTTP_201_CREATED), hearing.version)


class HearingDetailView(SintasAPIView):
    serializer_classes = {"GET": HearingSerializer, "PATCH": CompanionUpdateSerializer}

    @extend_schema(summary="One hearing", parameters=[CASE_ID, HEARING_ID, ETAG],
                   responses={200: HearingSerializer, 404: NOT_FOUND})
    def get(self, request: Request, case_id: str, hearing_id: int) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.VIEW)
        hearing = selectors.hearing_get(case, hearing_id)
        _log(request, case)
        return with_etag(Response(HearingSerializer(hearing).data), hearing.version)

    @extend_schema(summary="Who accompanies the survivor (If-Match or version)",
                   parameters=[CASE_ID, HEARING_ID, IF_MATCH, ETAG], request=CompanionUpdateSerializer,
                   responses={200: HearingSerializer, 400: INVALID, 404: NOT_FOUND, **STALE_RESPONSES})
    def patch(self, request: Request, case_id: str, hearing_id: int) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.EDIT)
        hearing = selectors.hearing_get(case, hearing_id)
        version = request_version(request)
        s = CompanionUpdateSerializer(data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        user_id = d["companion_user"] if "companion_user" in d else hearing.companion_user_id
        saved = services.hearing_companion_assign(
            actor=request.user, hearing=hearing, version=version, companion_user=_companion_user(case, user_id),
            companion_name=d.get("companion_name", hearing.companion_name))
        return with_etag(Response(HearingSerializer(saved).data), saved.version)


class LpskSerializer(serializers.ModelSerializer[LpskApplication]):
    requested = serializers.ListField(child=serializers.ChoiceField(choices=Protection.choices), read_only=True)
    granted = serializers.ListField(child=serializers.CharField(), read_only=True,
                                    help_text="Protection granted: values of ``requested``.")
    lpsk_decision = serializers.ChoiceField(source="decision", choices=[("", "not yet"), *LpskDecision.choices],
                                            read_only=True)

    class Meta:
        model = LpskApplication
        fields = ["id", "applied_on", "requested", "complete_on", "lpsk_decision", "decided_on", "granted",
                  "protection_until", "recorded_by", "recorded_at"]
        read_only_fields = fields


class LpskInputSerializer(serializers.Serializer[Any]):
    applied_on = serializers.DateField()
    requested = serializers.ListField(child=serializers.ChoiceField(choices=Protection.choices), allow_empty=False)


class LpskDecisionSerializer(serializers.Serializer[Any]):
    lpsk_decision = serializers.ChoiceField(choices=LpskDecision.choices)
    decided_on = serializers.DateField()
    complete_on = serializers.DateField(required=False, allow_null=True)
    granted = serializers.ListField(child=serializers.CharField(max_length=20), required=False,
                                    help_text="Only protection that was requested (values of ``requested``).")
    protection_until = serializers.DateField(required=False, allow_null=True)


class LpskListView(SintasAPIView):
    serializer_classes = {"GET": LpskSerializer, "POST": LpskInputSerializer}
    pagination_class = None

    @extend_schema(summary="A case's applications to LPSK (UU 31/2014)", parameters=[CASE_ID],
                   responses={200: LpskSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.VIEW)
        _log(request, case)
        return Response(LpskSerializer(LpskApplication.objects.filter(case=case), many=True).data)

    @extend_schema(summary="Record an application to LPSK", parameters=[CASE_ID], request=LpskInputSerializer,
                   responses={201: LpskSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.EDIT)
        s = LpskInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        application = services.lpsk_apply(actor=request.user, case=case, **s.validated_data)
        return Response(LpskSerializer(application).data, status=status.HTTP_201_CREATED)


class LpskDecisionView(SintasAPIView):
    serializer_classes = {"POST": LpskDecisionSerializer}

    @extend_schema(summary="Record LPSK's decision (once)", parameters=[CASE_ID, LPSK_ID],
                   request=LpskDecisionSerializer, responses={200: LpskSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str, lpsk_id: int) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.EDIT)
        application = selectors.lpsk_get(case, lpsk_id)
        s = LpskDecisionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        decided = services.lpsk_decide(actor=request.user, application=application, decision=d.pop("lpsk_decision"),
                                       **d)
        return Response(LpskSerializer(decided).data)


class ClaimSerializer(serializers.ModelSerializer[Claim]):
    claim_recipient = serializers.ChoiceField(source="recipient", choices=ClaimRecipient.choices, read_only=True)

    class Meta:
        model = Claim
        fields = ["id", "proceeding", "number", "claim_recipient", "amount", "filed_on", "prepared_by", "prepared_at"]
        read_only_fields = fields


class ClaimInputSerializer(serializers.Serializer[Any]):
    claim_recipient = serializers.ChoiceField(choices=ClaimRecipient.choices)
    filed_on = serializers.DateField()


class ClaimPdfSerializer(serializers.Serializer[Any]):
    filename = serializers.CharField()
    content_type = serializers.CharField()
    content_base64 = serializers.CharField(help_text="The PDF's bytes, base64.")


class ClaimListView(SintasAPIView):
    serializer_classes = {"GET": ClaimSerializer, "POST": ClaimInputSerializer}
    pagination_class = None

    @extend_schema(summary="The versions of a proceeding's restitution claim", parameters=[CASE_ID, PROCEEDING_ID],
                   responses={200: ClaimSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str, proceeding_id: int) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.VIEW)
        proceeding = selectors.proceeding_get(case, proceeding_id)
        _log(request, case)
        return Response(ClaimSerializer(Claim.objects.filter(proceeding=proceeding).defer("pdf"), many=True).data)

    @extend_schema(summary="Prepare the next version of the claim from the evidenced losses (PP 7/2018)",
                   parameters=[CASE_ID, PROCEEDING_ID], request=ClaimInputSerializer,
                   responses={201: ClaimSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str, proceeding_id: int) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.EDIT)
        proceeding = selectors.proceeding_get(case, proceeding_id)
        s = ClaimInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        claim = services.claim_prepare(actor=request.user, proceeding=proceeding,
                                       recipient=s.validated_data["claim_recipient"],
                                       filed_on=s.validated_data["filed_on"])
        return Response(ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)


class ClaimPdfView(SintasAPIView):
    serializer_classes = {"GET": ClaimPdfSerializer}

    @extend_schema(summary="The claim's PDF (names the perpetrators: legal officers only, logged)",
                   parameters=[CASE_ID, CLAIM_ID], responses={200: ClaimPdfSerializer, 404: NOT_FOUND})
    def get(self, request: Request, case_id: str, claim_id: int) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.VIEW_PARTIES)
        claim = selectors.claim_get(case, claim_id)
        access_log_write(user=request.user, what=AccessLogEntry.What.LEGAL_PARTIES, case_id=case.pk,
                         survivor_id=case.survivor_id, request=request._request)
        return Response(ClaimPdfSerializer({
            "filename": f"restitusi-{case.survivor.code}-v{claim.number}.pdf", "content_type": "application/pdf",
            "content_base64": base64.b64encode(bytes(claim.pdf or b"")).decode("ascii")}).data)


class OrderSerializer(serializers.ModelSerializer[Order]):
    class Meta:
        model = Order
        fields = ["id", "proceeding", "party", "amount", "served_on", "due_on", "recorded_by", "recorded_at"]
        read_only_fields = fields


class OrderInputSerializer(serializers.Serializer[Any]):
    party = serializers.IntegerField(help_text="A perpetrator of this proceeding (``parties`` of the proceeding).")
    amount = serializers.DecimalField(max_digits=15, decimal_places=0, help_text="Rupiah, more than zero.")


class OrderListView(SintasAPIView):
    serializer_classes = {"GET": OrderSerializer, "POST": OrderInputSerializer}
    pagination_class = None

    @extend_schema(summary="Restitution ordered in a proceeding, per perpetrator", parameters=[CASE_ID, PROCEEDING_ID],
                   responses={200: OrderSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str, proceeding_id: int) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.VIEW)
        proceeding = selectors.proceeding_get(case, proceeding_id)
        _log(request, case)
        return Response(OrderSerializer(Order.objects.filter(proceeding=proceeding), many=True).data)

    @extend_schema(summary="Record restitution ordered against a perpetrator (after the verdict)",
                   parameters=[CASE_ID, PROCEEDING_ID], request=OrderInputSerializer,
                   responses={201: OrderSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str, proceeding_id: int) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.EDIT)
        proceeding = selectors.proceeding_get(case, proceeding_id)
        s = OrderInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        party = Party.objects.filter(proceeding=proceeding, pk=s.validated_data["party"]).defer(
            "name", "identity_note").first()
        order = services.order_record(actor=request.user, proceeding=proceeding, party=party,
                                      amount=s.validated_data["amount"])
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED)


class CorrectionInputSerializer(serializers.Serializer[Any]):
    amount = serializers.DecimalField(max_digits=15, decimal_places=0,
                                      help_text="What the correction adds (negative: takes away), in rupiah.")
    reason = serializers.CharField()


class PaymentCorrectionView(SintasAPIView):
    serializer_classes = {"POST": CorrectionInputSerializer}

    @extend_schema(summary="Correct a payment by a new entry with its reason (a payment is never edited)",
                   parameters=[CASE_ID, PAYMENT_ID], request=CorrectionInputSerializer,
                   responses={201: PaymentSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str, payment_id: int) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.EDIT)
        payment = selectors.payment_get(case, payment_id)
        s = CorrectionInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        correction = services.payment_correct(actor=request.user, payment=payment, **s.validated_data)
        return Response(PaymentSerializer(correction).data, status=status.HTTP_201_CREATED)


class DeliveryCostSerializer(serializers.Serializer[Any]):
    delivery_id = serializers.UUIDField()
    service = serializers.CharField()
    delivered_on = serializers.DateField()
    cost = serializers.DecimalField(max_digits=15, decimal_places=0)


class PrefillInputSerializer(serializers.Serializer[Any]):
    deliveries = serializers.ListField(child=serializers.UUIDField(), allow_empty=False,
                                       help_text="Deliveries proposed by the GET, to add to the ledger.")


class LossPrefillView(SintasAPIView):
    serializer_classes = {"GET": DeliveryCostSerializer, "POST": PrefillInputSerializer}
    pagination_class = None

    @extend_schema(summary="Medical and psychological costs of recorded deliveries not yet in the ledger",
                   parameters=[CASE_ID], responses={200: DeliveryCostSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.EDIT)
        return Response(DeliveryCostSerializer(selectors.delivery_costs_unclaimed(case), many=True).data)

    @extend_schema(summary="Add the chosen delivery costs to the ledger (each delivery once)", parameters=[CASE_ID],
                   request=PrefillInputSerializer,
                   responses={201: LossSerializer(many=True), 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str) -> Response:
        case = legal_case_get_for_user(request.user, case_id, LegalAction.EDIT)
        s = PrefillInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        losses = services.losses_prefill(actor=request.user, case=case, delivery_ids=s.validated_data["deliveries"])
        rows = Loss.objects.filter(pk__in=[loss.pk for loss in losses]).prefetch_related("evidence")
        return Response(LossSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)
