"""HTCDS 2.0 endpoints under /api/v1/: import a document into a new case, export a case."""

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
from accounts.models import Role
from api.views import CASE_ID, INVALID, NOT_FOUND, SintasAPIView
from audit.models import AccessLogEntry
from audit.services import access_log_write
from core.choices import Channel

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
        lead = s.validated_data["lead_caseworker"] if user.has_role(Role.SUPERVISOR) else None
        case = services.case_import(user, doc, channel=s.validated_data["channel"], lead_caseworker_id=lead,
                                    guardian_override_reason=s.validated_data["guardian_override_reason"])
        result = {"case_id": case.pk, "survivor_code": case.survivor.code,
                  "not_imported": services.unused_keys(htcds_to_values(doc))}
        return Response(ImportResultSerializer(result).data, status=status.HTTP_201_CREATED)


class HtcdsExportView(SintasAPIView):
    @extend_schema(summary="The case's non-identity fields as an HTCDS 2.0 document (access-logged)",
                   parameters=[CASE_ID], responses={200: OpenApiTypes.OBJECT, 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        access_log_write(user=request.user, what=AccessLogEntry.What.EXPORT, case_id=case.pk,
                         request=request._request)
        return Response(services.case_export(case))
