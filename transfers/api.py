"""Case transfer endpoints under /api/v1/: same policy and same service functions as the pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from access import policy
from access import transfers as transfer_access
from access.policy import Action
from api.base import CASE_ID, INVALID, NOT_FOUND, SintasAPIView

from . import selectors, services
from .models import CaseTransfer

TRANSFER_ID = OpenApiParameter("transfer_id", OpenApiTypes.UUID, OpenApiParameter.PATH,
                               description="A case transfer.")


class TransferSerializer(serializers.ModelSerializer[CaseTransfer]):
    survivor_code = serializers.CharField(source="case.survivor.code", read_only=True)
    from_organisation_name = serializers.CharField(source="from_organisation.name", read_only=True)
    to_organisation_name = serializers.CharField(source="to_organisation.name", read_only=True)

    class Meta:
        model = CaseTransfer
        fields = ["id", "case", "survivor_code", "status", "from_organisation", "from_organisation_name",
                  "to_organisation", "to_organisation_name", "reason", "proposed_by", "proposed_at",
                  "decided_by", "decided_at", "decision_reason", "new_lead_caseworker"]
        read_only_fields = fields


class ProposeSerializer(serializers.Serializer[Any]):
    to_organisation = serializers.IntegerField(help_text="The receiving organisation's id.")
    reason = serializers.CharField(max_length=4000)


class AcceptSerializer(serializers.Serializer[Any]):
    lead_caseworker = serializers.IntegerField(help_text="A caseworker of the receiving organisation.")
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


def _output(transfer: CaseTransfer) -> dict[str, Any]:
    fresh = CaseTransfer.objects.select_related("case__survivor", "from_organisation", "to_organisation").get(
        pk=transfer.pk)
    return TransferSerializer(fresh).data


class CaseTransferListView(SintasAPIView):
    serializer_classes = {"GET": TransferSerializer, "POST": ProposeSerializer}
    pagination_class = None

    @extend_schema(summary="A case's transfers, newest first", parameters=[CASE_ID],
                   responses={200: TransferSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        qs = selectors.transfers_for_case(case).select_related("case__survivor")
        return Response(TransferSerializer(qs, many=True).data)

    @extend_schema(summary="Propose to transfer the case to another organisation (supervisor or lead caseworker)",
                   parameters=[CASE_ID], request=ProposeSerializer,
                   responses={201: TransferSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        if not transfer_access.may_propose_transfer(request.user, case):
            raise Http404
        s = ProposeSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        transfer = services.transfer_propose(actor=request.user, case=case,
                                             to_organisation_id=s.validated_data["to_organisation"],
                                             reason=s.validated_data["reason"])
        return Response(_output(transfer), status=status.HTTP_201_CREATED)


class IncomingTransferListView(SintasAPIView):
    serializer_class = TransferSerializer

    @extend_schema(summary="Transfers to my organisation (supervisors), newest first",
                   responses={200: TransferSerializer(many=True)})
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.incoming_for(request.user))
        return self.get_paginated_response(TransferSerializer(page, many=True).data)


class TransferDetailView(SintasAPIView):
    serializer_class = TransferSerializer

    @extend_schema(summary="A case transfer", parameters=[TRANSFER_ID],
                   responses={200: TransferSerializer, 404: NOT_FOUND})
    def get(self, request: Request, transfer_id: str) -> Response:
        return Response(TransferSerializer(transfer_access.transfer_get_for_user(request.user, transfer_id)).data)


class TransferAcceptView(SintasAPIView):
    serializer_class = AcceptSerializer

    @extend_schema(summary="Accept a transfer (supervisor of the receiving organisation)", parameters=[TRANSFER_ID],
                   request=AcceptSerializer, responses={200: TransferSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, transfer_id: str) -> Response:
        transfer = transfer_access.transfer_get_for_user(request.user, transfer_id)
        s = AcceptSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        services.transfer_accept(actor=request.user, transfer=transfer,
                                 lead_caseworker_id=s.validated_data["lead_caseworker"],
                                 note=s.validated_data["note"])
        return Response(_output(transfer))


class TransferDeclineView(SintasAPIView):
    serializer_class = ReasonSerializer

    @extend_schema(summary="Decline a transfer, with a reason (supervisor of the receiving organisation)",
                   parameters=[TRANSFER_ID], request=ReasonSerializer,
                   responses={200: TransferSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, transfer_id: str) -> Response:
        transfer = transfer_access.transfer_get_for_user(request.user, transfer_id)
        s = ReasonSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        services.transfer_decline(actor=request.user, transfer=transfer, reason=s.validated_data["reason"])
        return Response(_output(transfer))


class TransferCancelView(SintasAPIView):
    serializer_class = ReasonSerializer

    @extend_schema(summary="Cancel a pending transfer (the proposing side)", parameters=[TRANSFER_ID],
                   request=ReasonSerializer, responses={200: TransferSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, transfer_id: str) -> Response:
        transfer = transfer_access.transfer_get_for_user(request.user, transfer_id)
        s = ReasonSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        services.transfer_cancel(actor=request.user, transfer=transfer, reason=s.validated_data["reason"])
        return Response(_output(transfer))
