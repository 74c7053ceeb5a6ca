"""/api/v1/ referral endpoints: a case's referrals (list, send), the two lists, one referral with
its packet (each opening logged), the packet as HTCDS 2.0 JSON, and the lifecycle actions.

Same policy and same service functions as the pages: the sender's side through the case policy,
the partner's side only the packet while the referral is open; anything else is 404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from access import policy
from access import referrals as referral_access
from access.policy import Action
from api.base import CASE_ID, INVALID, NOT_FOUND, SintasAPIView
from audit.models import AccessLogEntry
from audit.services import access_log_write
from interop.htcds import packet_to_htcds

from . import selectors, services
from .models import Referral
from .packet import FIELDS

REFERRAL_ID = OpenApiParameter("referral_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="A referral.")
PACKET_LOG = AccessLogEntry.What.REFERRAL_PACKET


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    """A referral without its packet (the lists)."""

    service: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", read_only=True)
    # Plain strings, so the schema's enums of other rooms' "status" and "lawful_basis" are not confused.
    status = serializers.CharField(read_only=True, help_text="sent, accepted, declined, in_progress, completed, "
                                                             "revoked or expired.")
    lawful_basis = serializers.CharField(read_only=True, help_text="consent, legal_obligation or vital_interest.")
    sender_organisation_name = serializers.CharField(source="sender_organisation.name", read_only=True)
    recipient_organisation_name = serializers.CharField(source="recipient_organisation.name", read_only=True)

    class Meta:
        model = Referral
        fields = ["id", "status", "service", "sender_organisation", "sender_organisation_name",
                  "recipient_organisation", "recipient_organisation_name", "service_region", "template",
                  "lawful_basis", "packet_fields", "sent_at", "respond_by", "expires_at", "responded_at",
                  "decline_reason", "started_at", "completed_at", "outcome_report", "revoked_at", "revoke_reason",
                  "expired_at"]
        read_only_fields = fields


class SenderReferralSerializer(ReferralSerializer):
    """The sender's side also sees the case, the goal, the consent and the delivery it became."""

    class Meta(ReferralSerializer.Meta):
        fields = [*ReferralSerializer.Meta.fields, "case", "goal", "consent", "basis_reason", "outcome_delivery",
                  "escalated_at"]
        read_only_fields = fields


class PacketSerializer(serializers.Serializer[Any]):
    referral = serializers.SerializerMethodField()
    packet = serializers.SerializerMethodField()

    @extend_schema_field(ReferralSerializer)
    def get_referral(self, obj: tuple[Referral, str]) -> dict[str, Any]:
        referral, side = obj
        cls = SenderReferralSerializer if side == "sender" else ReferralSerializer
        return dict(cls(referral).data)

    @extend_schema_field(serializers.DictField(help_text=(
        "Sintas dotted path (survivor.sex, identity.first_name, referral.health_needs...) -> Sintas code or text.")))
    def get_packet(self, obj: tuple[Referral, str]) -> dict[str, Any]:
        return obj[0].values()


class ReferralCreateSerializer(serializers.Serializer[Any]):
    recipient_organisation = serializers.IntegerField(help_text="A partner from GET /api/v1/partners/.")
    service = serializers.CharField(max_length=60)
    service_region = serializers.CharField(required=False, allow_blank=True, max_length=8, help_text=(
        "The case's identification region or the survivor's home regency (default: the first known)."))
    template = serializers.CharField(max_length=40, help_text="A packet template code (training, health, legal_aid, "
                                                               "shelter, psychosocial, documents, reintegration, general).")
    packet_fields = serializers.ListField(child=serializers.ChoiceField(choices=sorted(FIELDS)),
                                          help_text="The packet fields (Sintas dotted paths) of the template to send.")
    texts = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=2000), required=False,
                                  help_text="Values of the referral.* fields chosen.")
    lawful_basis = serializers.CharField(default=Referral.Basis.CONSENT, max_length=20,
                                         help_text="consent (default), legal_obligation or vital_interest.")
    consent = serializers.UUIDField(required=False, allow_null=True,
                                    help_text="A consent record (default: the latest one that covers the recipient).")
    basis_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    goal = serializers.IntegerField(required=False, allow_null=True)


class ReferralReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReferralOutcomeSerializer(serializers.Serializer[Any]):
    delivered_on = serializers.DateField(required=False, allow_null=True)
    outcome_report = serializers.CharField(required=False, allow_blank=True, max_length=5000)


def _log(request: Request, referral: Referral) -> None:
    access_log_write(user=request.user, what=PACKET_LOG, case_id=referral.case_id,
                     survivor_id=referral.case.survivor_id, request=request._request)


class CaseReferralListView(SintasAPIView):
    serializer_classes = {"GET": SenderReferralSerializer, "POST": ReferralCreateSerializer}

    @extend_schema(summary="A case's referrals", parameters=[CASE_ID],
                   responses={200: SenderReferralSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        page = self.paginate_queryset(selectors.for_case(case))
        return self.get_paginated_response(SenderReferralSerializer(page, many=True).data)

    @extend_schema(summary="Send a referral (consent or another lawful basis required)", parameters=[CASE_ID],
                   request=ReferralCreateSerializer,
                   responses={201: SenderReferralSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.EDIT)
        if not referral_access.may_send(request.user, case):
            raise Http404
        s = ReferralCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        referral = services.referral_send(actor=request.user, case=case, data=services.ReferralInput(
            recipient_organisation_id=d["recipient_organisation"], service=d["service"],
            service_region=d.get("service_region") or "", template=d["template"], fields=list(d["packet_fields"]),
            texts=dict(d.get("texts") or {}), lawful_basis=d["lawful_basis"], consent_id=d.get("consent"),
            basis_reason=d.get("basis_reason") or "", goal_id=d.get("goal"),
        ))
        return Response(SenderReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


BOX = OpenApiParameter("box", OpenApiTypes.STR, enum=["received", "sent"],
                       description="received: shared with us (default); sent: shared by us.")


class ReferralListView(SintasAPIView):
    serializer_class = ReferralSerializer

    @extend_schema(summary="Referrals shared with us, or shared by us", parameters=[BOX],
                   responses={200: ReferralSerializer(many=True)})
    def get(self, request: Request) -> Response:
        if not policy.may_work_on_cases(request.user):
            raise Http404
        sent = request.query_params.get("box") == "sent"
        qs = selectors.shared_by_us(request.user) if sent else selectors.shared_with_us(request.user)
        page = self.paginate_queryset(qs.order_by("-sent_at"))
        return self.get_paginated_response(ReferralSerializer(page, many=True).data)


class ReferralDetailView(SintasAPIView):
    serializer_class = PacketSerializer

    @extend_schema(summary="A referral and its packet (each opening is access-logged)", parameters=[REFERRAL_ID],
                   responses={200: PacketSerializer, 404: NOT_FOUND})
    def get(self, request: Request, referral_id: str) -> Response:
        referral, side = selectors.referral_get(request.user, referral_id)
        _log(request, referral)
        if side == "recipient":
            services.mark_read(user=request.user, referral=referral)
        return Response(PacketSerializer((referral, side)).data)


class ReferralHtcdsView(SintasAPIView):
    serializer_class = None

    @extend_schema(summary="The packet as an HTCDS 2.0 JSON document", parameters=[REFERRAL_ID],
                   responses={200: OpenApiTypes.OBJECT, 404: NOT_FOUND})
    def get(self, request: Request, referral_id: str) -> Response:
        referral, _side = selectors.referral_get(request.user, referral_id)
        doc = packet_to_htcds(referral.values())
        _log(request, referral)
        return Response(doc)


class ReferralActionView(SintasAPIView):
    """accept, decline (reason), start, complete (delivered_on, outcome_report), revoke (reason)."""

    action_name = ""
    serializer_class = ReferralReasonSerializer

    def post(self, request: Request, referral_id: str) -> Response:
        name = self.action_name
        if name == "revoke":
            referral = selectors.referral_for_sender(request.user, referral_id)
            if not referral_access.may_send(request.user, referral.case):
                raise Http404
            s: Any = ReferralReasonSerializer(data=request.data)
            s.is_valid(raise_exception=True)
            updated = services.referral_revoke(actor=request.user, referral=referral,
                                               reason=s.validated_data.get("reason", ""))
            return Response(SenderReferralSerializer(updated).data)
        referral = selectors.referral_for_recipient_action(request.user, referral_id)
        if name == "complete":
            s = ReferralOutcomeSerializer(data=request.data)
            s.is_valid(raise_exception=True)
            updated = services.referral_complete(actor=request.user, referral=referral,
                                                 outcome_report=s.validated_data.get("outcome_report", ""),
                                                 delivered_on=s.validated_data.get("delivered_on"))
        elif name == "decline":
            s = ReferralReasonSerializer(data=request.data)
            s.is_valid(raise_exception=True)
            updated = services.referral_decline(actor=request.user, referral=referral,
                                                reason=s.validated_data.get("reason", ""))
        elif name == "accept":
            updated = services.referral_accept(actor=request.user, referral=referral)
        else:
            updated = services.referral_start(actor=request.user, referral=referral)
        return Response(ReferralSerializer(updated).data)


def _action(name: str, summary: str, request_serializer: Any) -> type[ReferralActionView]:
    response = SenderReferralSerializer if name == "revoke" else ReferralSerializer
    view: Any = type(f"Referral{name.title()}View", (ReferralActionView,), {"action_name": name,
                                                                           "serializer_class": request_serializer})
    def post(self: Any, request: Request, referral_id: str) -> Response:
        return ReferralActionView.post(self, request, referral_id)

    view.post = extend_schema(
        summary=summary, parameters=[REFERRAL_ID], request=request_serializer,
        responses={200: response, 400: INVALID, 404: NOT_FOUND}, operation_id=f"referrals_{name}",
    )(post)
    action_view: type[ReferralActionView] = view  # built by type() above
    return action_view


AcceptView = _action("accept", "Accept a referral (the recipient organisation)", None)
DeclineView = _action("decline", "Decline a referral with a reason", ReferralReasonSerializer)
StartView = _action("start", "Mark an accepted referral as in progress", None)
CompleteView = _action("complete", "Report the outcome (becomes a service delivery in the case)", ReferralOutcomeSerializer)
RevokeView = _action("revoke", "Revoke a referral (the sender's side), with a reason", ReferralReasonSerializer)
