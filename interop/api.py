"""HTCDS 2.0 endpoints under /api/v1/: import a document into a new case, export a case to another organisation."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from access import policy
from access.policy import Action
from api.base import CASE_ID, INVALID, NOT_FOUND, SintasAPIView
from core.choices import Channel
from survivors import lawful_use

from . import services
from .htcds import htcds_to_values


class ImportSerializer(serializers.Serializer[Any]):
    document = serializers.JSONField(help_text="An HTCDS 2.0 document: a JSON object of HTCDS field names.")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, allow_blank=True, default="",
                                      help_text="How the survivor came to you, if the document does not say.")
    lead_caseworker = serializers.IntegerField(required=False, allow_null=True, default=None,
                                               help_text="Supervisors: the lead caseworker (default: yourself).")
    guardian_override_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ImportResultSerializer(serializers.Serializer[Any]):
    case_id = serializers.UUIDField()
    survivor_code = serializers.CharField()
    not_imported = serializers.ListField(child=serializers.CharField(),
                                         help_text="Document entries Sintas does not keep.")


class HtcdsImportView(SintasAPIView):
    serializer_class = ImportSerializer

    @extend_schema(summary="Register a survivor and open a case from an HTCDS 2.0 document (all or nothing)",
                   request=ImportSerializer, responses={201: ImportResultSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request) -> Response:
        user: Any = request.user
        if not policy.may_register_survivor(user):
            raise Http404
        s = ImportSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        doc = s.validated_data["document"]
        if not isinstance(doc, dict):
            raise serializers.ValidationError({"document": ["The document must be a JSON object of HTCDS fields."]})
        lead = s.validated_data["lead_caseworker"] if policy.may_choose_lead_caseworker(user) else None
        case = services.case_import(user, doc, channel=s.validated_data["channel"], lead_caseworker_id=lead,
                                    guardian_override_reason=s.validated_data["guardian_override_reason"])
        result = {"case_id": case.pk, "survivor_code": case.survivor.code,
                  "not_imported": services.unused_keys(htcds_to_values(doc))}
        return Response(ImportResultSerializer(result).data, status=status.HTTP_201_CREATED)


class ExportSerializer(serializers.Serializer[Any]):
    recipient_organisation = serializers.IntegerField(min_value=1, max_value=2**63 - 1,
                                                      help_text="The organisation that receives the case (its id).")
    # A plain string (validated by the rule), so the schema's "lawful_basis" enums of other rooms stay apart.
    lawful_basis = serializers.CharField(
        default="consent", max_length=20,
        help_text="consent (default: a consent record in force for sharing data or a referral that names the "
                  "recipient), legal_obligation or vital_interest (with basis_reason).")
    consent = serializers.UUIDField(required=False, allow_null=True, default=None,
                                    help_text="A consent record (default: the latest one that covers the recipient).")
    basis_reason = serializers.CharField(required=False, allow_blank=True, default="",
                                         max_length=lawful_use.REASON_MAX)


class HtcdsExportView(SintasAPIView):
    serializer_class = ExportSerializer

    @extend_schema(summary="The case's non-identity fields as an HTCDS 2.0 document for another organisation "
                           "(consent or another lawful basis required; every attempt logged)",
                   parameters=[CASE_ID], request=ExportSerializer,
                   responses={200: OpenApiTypes.OBJECT, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        s = ExportSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        doc = services.case_export_to(actor=request.user, case=case,
                                      recipient_organisation_id=d["recipient_organisation"],
                                      lawful_basis=d["lawful_basis"], consent_id=d["consent"],
                                      basis_reason=d["basis_reason"], request=request._request)
        return Response(doc)
