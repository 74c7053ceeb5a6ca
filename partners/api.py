"""/api/v1/ partner directory: search (nearest region first), one profile, and one's own profile.

Same rules as the pages: everyone who works on cases searches; the organisation's
administrators and supervisors edit its profile through ``partners.services.profile_save``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from access import partners as partner_access
from api.base import INVALID, NOT_FOUND, SintasAPIView
from api.concurrency import ETAG, IF_MATCH, STALE_RESPONSES, request_version, version_input, with_etag

from . import selectors, services
from .models import PartnerProfile
from .selectors import AVAILABILITY_CHOICES, ELIGIBILITY_CHOICES, SearchParams

PARTNER_ID = OpenApiParameter("partner_id", OpenApiTypes.INT, OpenApiParameter.PATH,
                              description="The partner organisation's id.")


class PartnerSerializer(serializers.ModelSerializer[PartnerProfile]):
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    name = serializers.CharField(source="organisation.name", read_only=True)
    kind = serializers.CharField(source="organisation.kind", read_only=True,
                                 help_text="accounts.Organisation.Kind (uptd_ppa, health, training...).")
    located_in = serializers.CharField(source="organisation.region_id", read_only=True)
    services = serializers.SerializerMethodField()
    regions = serializers.SerializerMethodField()
    nearness = serializers.SerializerMethodField()

    class Meta:
        model = PartnerProfile
        fields = ["organisation", "name", "kind", "located_in", "nearness", "accepting_referrals", "description",
                  "services", "national", "regions", "serves_children", "serves_women", "serves_men",
                  "serves_foreign_nationals", "shelter_beds_total", "shelter_beds_available", "training_places_total",
                  "training_places_available", "languages", "contact_name", "contact_email", "contact_phone",
                  "contact_hours", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_services(self, obj: PartnerProfile) -> list[str]:
        rows = getattr(obj.organisation, "services_list", None)
        if rows is None:
            rows = list(obj.organisation.provided_services.select_related("service"))
        return [r.service.code for r in rows]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_regions(self, obj: PartnerProfile) -> list[str]:
        return [r.region_id for r in obj.regions.all()]

    @extend_schema_field(serializers.IntegerField(allow_null=True, help_text=(
        "With a region searched for: 0 serves that kabupaten/kota, 1 its province, 2 all of Indonesia, 3 none.")))
    def get_nearness(self, obj: PartnerProfile) -> int | None:
        return getattr(obj, "rank", None)


class ProfileWriteSerializer(serializers.Serializer[Any]):
    is_listed = serializers.BooleanField(required=False)
    accepting_referrals = serializers.BooleanField(required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    national = serializers.BooleanField(required=False)
    serves_children = serializers.BooleanField(required=False)
    serves_women = serializers.BooleanField(required=False)
    serves_men = serializers.BooleanField(required=False)
    serves_foreign_nationals = serializers.BooleanField(required=False)
    shelter_beds_total = serializers.IntegerField(required=False, allow_null=True)
    shelter_beds_available = serializers.IntegerField(required=False, allow_null=True)
    training_places_total = serializers.IntegerField(required=False, allow_null=True)
    training_places_available = serializers.IntegerField(required=False, allow_null=True)
    languages = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    contact_name = serializers.CharField(required=False, allow_blank=True)
    contact_email = serializers.CharField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True)
    contact_hours = serializers.CharField(required=False, allow_blank=True)
    regions = serializers.ListField(child=serializers.CharField(max_length=8), required=False,
                                    help_text="Province (53) or kabupaten/kota (53.71) codes; replaces the list.")
    services = serializers.ListField(child=serializers.CharField(max_length=60), required=False,
                                     help_text="Service codes; only an organisation administrator may change them.")
    version = version_input()


SEARCH_PARAMS = [
    OpenApiParameter("service", OpenApiTypes.STR, description="A service code (GET /api/v1/services/)."),
    OpenApiParameter("region", OpenApiTypes.STR, description="Province or kabupaten/kota code: nearest first."),
    OpenApiParameter("eligible", OpenApiTypes.STR, many=True, enum=[c for c, _l in ELIGIBILITY_CHOICES],
                     description="Only organisations serving all of these."),
    OpenApiParameter("availability", OpenApiTypes.STR, many=True, enum=[c for c, _l in AVAILABILITY_CHOICES]),
    OpenApiParameter("q", OpenApiTypes.STR, description="Name or description contains."),
]


class PartnerListView(SintasAPIView):
    serializer_class = PartnerSerializer

    @extend_schema(summary="Search the partner directory (nearest region first)", parameters=SEARCH_PARAMS,
                   responses={200: PartnerSerializer(many=True)})
    def get(self, request: Request) -> Response:
        if not partner_access.may_search(request.user):
            raise Http404
        q = request.query_params
        params = SearchParams(service=q.get("service", ""), region=q.get("region", "")[:8],
                              eligible=tuple(q.getlist("eligible")), availability=tuple(q.getlist("availability")),
                              q=q.get("q", "")[:100])
        page = self.paginate_queryset(selectors.directory_search(params))
        return self.get_paginated_response(PartnerSerializer(page, many=True).data)


class PartnerDetailView(SintasAPIView):
    serializer_class = PartnerSerializer

    @extend_schema(summary="A partner's profile", parameters=[PARTNER_ID],
                   responses={200: PartnerSerializer, 404: NOT_FOUND})
    def get(self, request: Request, partner_id: int) -> Response:
        if not partner_access.may_search(request.user):
            raise Http404
        return Response(PartnerSerializer(selectors.profile_get(partner_id)).data)


class MyProfileView(SintasAPIView):
    serializer_classes = {"GET": PartnerSerializer, "PATCH": ProfileWriteSerializer}

    @extend_schema(summary="Your organisation's partner profile", parameters=[ETAG],
                   responses={200: PartnerSerializer, 404: NOT_FOUND})
    def get(self, request: Request) -> Response:
        user: Any = request.user
        if not partner_access.may_edit_profile(user):
            raise Http404
        profile = services.profile_for(user.organisation)
        return with_etag(Response(PartnerSerializer(profile).data), services.profile_version(profile))

    @extend_schema(summary="Change your organisation's partner profile",
                   description="Send the version you read (If-Match or `version`; 0 before the first save): a "
                               "change based on an older version is refused, nothing is saved.",
                   parameters=[IF_MATCH, ETAG], request=ProfileWriteSerializer,
                   responses={200: PartnerSerializer, 400: INVALID, 404: NOT_FOUND, **STALE_RESPONSES})
    def patch(self, request: Request) -> Response:
        user: Any = request.user
        if not partner_access.may_edit_profile(user):
            raise Http404
        version = request_version(request)
        serializer = ProfileWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        values.pop("version", None)
        services.profile_save(actor=user, values=values, version=version)
        profile = services.profile_for(user.organisation)
        return with_etag(Response(PartnerSerializer(profile).data), services.profile_version(profile))
