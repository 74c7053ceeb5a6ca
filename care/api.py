"""Service endpoints under /api/v1/: the catalogue, a case's deliveries, clocks and applications.

Same policy and same service functions as the pages: the case comes through
``access.policy.case_get_for_user`` (404 outside the user's scope), deliveries are looked up
within that case only, and every write goes through ``care.services``.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from access import care as care_access
from access import policy
from access.policy import Action
from api.base import CASE_ID, INVALID, NOT_FOUND, SintasAPIView
from api.concurrency import ETAG, IF_MATCH, STALE_RESPONSES, request_version, version_input, with_etag
from api.serializers import RegionCodeField

from . import selectors, services
from .clocks import clocks_for_case
from .models import OrganisationService, Service, ServiceApplication, ServiceDelivery
from .services import delivery_local_time

DELIVERY_ID = OpenApiParameter("delivery_id", OpenApiTypes.UUID, OpenApiParameter.PATH,
                               description="A service delivery of the case.")


def _case_for_recording(request: Request, case_id: str) -> Any:
    case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
    if not care_access.may_record(request.user, case):
        raise Http404
    return case


# --- serializers --------------------------------------------------------------------------------------


class ServiceSerializer(serializers.ModelSerializer[Service]):
    name = serializers.CharField(read_only=True, help_text="The name in the request's language.")
    domains = serializers.ListField(child=serializers.CharField(), read_only=True,
                                    help_text="Recovery domains the service serves (core.choices.Domain).")
    provided_by_my_organisation = serializers.BooleanField(read_only=True)

    class Meta:
        model = Service
        fields = ["code", "name", "name_id", "name_en", "category", "legal_source", "domains",
                  "provided_by_my_organisation"]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer[ServiceDelivery]):
    service: serializers.SlugRelatedField[Service] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True)
    service_name = serializers.SerializerMethodField()
    delivered_time = serializers.SerializerMethodField()
    delivered_by_name = serializers.CharField(source="delivered_by.display_name", read_only=True)
    place_region = RegionCodeField(source="place_region_id", read_only=True, allow_null=True)

    class Meta:
        model = ServiceDelivery
        fields = [
            "id", "case", "status", "service", "service_name", "organisation", "delivered_by", "delivered_by_name",
            "delivered_on", "delivered_at", "delivered_time", "place", "place_region", "duration_minutes", "cost",
            "outcome_note", "goal", "recorded_at", "created_at", "updated_at",
            "version",
        ]
        read_only_fields = fields

    # HH:MM (as entered), not OpenAPI's "time" format (HH:MM:SS).
    @extend_schema_field(serializers.RegexField(r"^[0-2][0-9]:[0-5][0-9]$", allow_null=True,
                                                help_text="Local time (HH:MM) in the lead organisation's zone."))
    def get_delivered_time(self, obj: ServiceDelivery) -> str | None:
        local = delivery_local_time(obj, ZoneInfo(obj.case.lead_organisation.time_zone))
        return local.strftime("%H:%M") if local else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_service_name(self, obj: ServiceDelivery) -> str | None:
        return obj.service.name if obj.service else None


class DeliveryWriteSerializer(serializers.Serializer[Any]):
    """A delivery to save. ``status``: ``draft`` (partial data is fine) or ``recorded`` (service and
    date required). A PATCH changes only the fields it sends; a recorded delivery stays recorded."""

    # A plain string (checked below), so the schema's "status" enum of the case is not confused with this one.
    status = serializers.CharField(required=False, max_length=10,
                                   help_text="`draft` (default for a new delivery) or `recorded`.")
    service = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=60,
                                    help_text="A service code from /api/v1/services/ that your organisation provides.")
    delivered_on = serializers.DateField(required=False, allow_null=True)
    delivered_time = serializers.TimeField(required=False, allow_null=True,
                                           help_text="Local time of day in the lead organisation's zone (HH:MM).")
    delivered_by = serializers.IntegerField(required=False, allow_null=True,
                                            help_text="A member of the case team (default: you).")
    place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    place_region = RegionCodeField(required=False, allow_blank=True, allow_null=True,
                                   help_text="A kabupaten/kota code, e.g. 53.71.")
    duration_minutes = serializers.IntegerField(required=False, allow_null=True)
    cost = serializers.DecimalField(required=False, allow_null=True, max_digits=15, decimal_places=0,
                                    help_text="What the service cost, in whole rupiah (0 or more).")
    outcome_note = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    goal = serializers.IntegerField(required=False, allow_null=True,
                                    help_text="A goal of the case's rehabilitation plan (GET /api/v1/cases/{case_id}/plan/).")

    def validate_status(self, value: str) -> str:
        if value not in ServiceDelivery.Status.values:
            raise serializers.ValidationError(_("Choose a value from the list."))
        return value


class DeliveryUpdateSerializer(DeliveryWriteSerializer):
    """A change to a delivery: the fields sent, and the version it is based on."""

    version = version_input()


class ClockSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    rule = serializers.CharField(source="rule.code")
    name = serializers.CharField(source="rule.name")
    legal_source = serializers.CharField(source="rule.legal_source")
    state = serializers.ChoiceField(choices=["running", "due_soon", "overdue", "met", "met_late"])
    started_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    met_at = serializers.DateTimeField(allow_null=True)
    application_id = serializers.UUIDField(allow_null=True)


class ApplicationSerializer(serializers.ModelSerializer[ServiceApplication]):
    class Meta:
        model = ServiceApplication
        fields = ["id", "case", "applied_on", "applicant_kind", "note", "recorded_by", "created_at"]
        read_only_fields = fields


class ApplicationCreateSerializer(serializers.Serializer[Any]):
    applied_on = serializers.DateField()
    applicant_kind = serializers.ChoiceField(choices=ServiceApplication.Applicant.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


# --- views ------------------------------------------------------------------------------------------------


class ServiceListView(SintasAPIView):
    serializer_class = ServiceSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Service]:
        org_id: Any = getattr(self.request.user, "organisation_id", None)
        mine = OrganisationService.objects.filter(service_id=OuterRef("pk"), organisation_id=org_id)
        return selectors.catalogue().annotate(provided_by_my_organisation=Exists(mine))

    @extend_schema(summary="The service catalogue (PP 9/2008, UU 12/2022 Pasal 70)",
                   responses={200: ServiceSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response(ServiceSerializer(self.get_queryset(), many=True).data)


def _delivery_values(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "status"}


class DeliveryListView(SintasAPIView):
    serializer_classes = {"GET": DeliverySerializer, "POST": DeliveryWriteSerializer}

    def get_queryset(self) -> QuerySet[ServiceDelivery]:
        case = policy.case_get_for_user(self.request.user, self.kwargs["case_id"], Action.VIEW)
        return selectors.deliveries_for_case(case)

    @extend_schema(summary="A case's service deliveries (drafts first, then newest first)",
                   parameters=[CASE_ID], responses={200: DeliverySerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(summary="Record a service delivery, or save a draft", parameters=[CASE_ID],
                   request=DeliveryWriteSerializer, responses={201: DeliverySerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str) -> Response:
        case = _case_for_recording(request, case_id)
        serializer = DeliveryWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = dict(serializer.validated_data)
        delivery = services.delivery_save(actor=request.user, case=case, values=_delivery_values(d),
                                          complete=d.get("status") == ServiceDelivery.Status.RECORDED)
        delivery = selectors.delivery_get_for_case(case, delivery.pk)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)


class DeliveryDetailView(SintasAPIView):
    serializer_classes = {"GET": DeliverySerializer, "PATCH": DeliveryUpdateSerializer}

    @extend_schema(summary="A service delivery", parameters=[CASE_ID, DELIVERY_ID, ETAG],
                   responses={200: DeliverySerializer, 404: NOT_FOUND})
    def get(self, request: Request, case_id: str, delivery_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        delivery = selectors.delivery_get_for_case(case, delivery_id)
        return with_etag(Response(DeliverySerializer(delivery).data), delivery.version)

    @extend_schema(summary="Change or complete a service delivery",
                   description="Send the version you read (If-Match or `version`): a change based on an older "
                               "version is refused, nothing is saved.",
                   parameters=[CASE_ID, DELIVERY_ID, IF_MATCH, ETAG], request=DeliveryUpdateSerializer,
                   responses={200: DeliverySerializer, 400: INVALID, 404: NOT_FOUND, **STALE_RESPONSES})
    def patch(self, request: Request, case_id: str, delivery_id: str) -> Response:
        case = _case_for_recording(request, case_id)
        delivery = selectors.delivery_get_for_case(case, delivery_id)
        version = request_version(request)
        serializer = DeliveryUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        d = dict(serializer.validated_data)
        d.pop("version", None)
        wanted = d.get("status", delivery.status)
        delivery = services.delivery_save(actor=request.user, case=case, delivery=delivery,
                                          values=_delivery_values(d),
                                          complete=wanted == ServiceDelivery.Status.RECORDED, version=version)
        delivery = selectors.delivery_get_for_case(case, delivery.pk)
        return with_etag(Response(DeliverySerializer(delivery).data), delivery.version)


class ClockListView(SintasAPIView):
    serializer_class = ClockSerializer
    pagination_class = None

    @extend_schema(summary="A case's legal time limits (running, due soon, overdue, met, met late)",
                   parameters=[CASE_ID], responses={200: ClockSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        return Response(ClockSerializer(clocks_for_case(case), many=True).data)


class ApplicationListView(SintasAPIView):
    serializer_classes = {"GET": ApplicationSerializer, "POST": ApplicationCreateSerializer}
    pagination_class = None

    @extend_schema(summary="A case's applications for services (UU 21/2007 Pasal 51)", parameters=[CASE_ID],
                   responses={200: ApplicationSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        return Response(ApplicationSerializer(selectors.applications_for_case(case), many=True).data)

    @extend_schema(summary="Record an application for services (starts the 7-day limit of Pasal 52)",
                   parameters=[CASE_ID], request=ApplicationCreateSerializer,
                   responses={201: ApplicationSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str) -> Response:
        case = _case_for_recording(request, case_id)
        serializer = ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.application_record(actor=request.user, case=case, **serializer.validated_data)
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)
