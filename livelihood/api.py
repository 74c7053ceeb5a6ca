"""The livelihood endpoints: /api/v1/cases/<case_id>/livelihood/... and /api/v1/livelihood/...

Same access rules (``access.livelihood``) and services as the pages; the serializers check types
and shapes only, every rule lives in livelihood.services (its ValidationError is a 400 with field
-> messages, a StaleVersion a 409/412 through api/exceptions.py, NotAllowed a 403).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from access import livelihood as rules
from api.base import SintasAPIView
from api.concurrency import ETAG, IF_MATCH, STALE_RESPONSES, request_version, version_input, with_etag
from audit.models import AccessLogEntry
from audit.services import access_log_write

from . import selectors, services
from .models import (
    Accommodation,
    ContractType,
    DebtChange,
    Enrolment,
    EnrolmentStatus,
    IncomeBand,
    IncomeFollowUp,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    Placement,
    Sector,
    SupportType,
)

CASE_ID = OpenApiParameter("case_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The case's id.")
OPPORTUNITY_ID = OpenApiParameter("opportunity_id", OpenApiTypes.INT, OpenApiParameter.PATH)
ENROLMENT_ID = OpenApiParameter("enrolment_id", OpenApiTypes.INT, OpenApiParameter.PATH)
NOT_FOUND = OpenApiResponse(description="Not found, or outside your scope (the two are not told apart).")
INVALID = OpenApiResponse(description="Invalid input: an object of field name or path -> list of messages.")
FORBIDDEN = OpenApiResponse(description="You may see the record but not do this.")


def _log(request: Request, case: Any) -> None:
    access_log_write(user=request.user, what=AccessLogEntry.What.API_CASE, case_id=case.pk,
                     survivor_id=case.survivor_id, request=request._request)


# --- serializers -------------------------------------------------------------------------------------------


class WorkSerializer(serializers.Serializer[Any]):
    sector = serializers.CharField(allow_blank=True)
    role = serializers.CharField(allow_blank=True)
    employer_name = serializers.CharField(allow_blank=True, required=False, default="")
    country = serializers.CharField(allow_blank=True, required=False, default="", max_length=2)
    months = serializers.IntegerField(required=False, default=0)
    was_exploitative = serializers.BooleanField(required=False, default=False)


class SkillSerializer(serializers.Serializer[Any]):
    skill = serializers.CharField()
    self_level = serializers.IntegerField()
    assessed_level = serializers.IntegerField(allow_null=True, required=False, default=None)


class ProfileSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(read_only=True, help_text="Send it back with a PUT.")
    education = serializers.CharField(allow_blank=True, required=False, default="")
    literacy = serializers.CharField(allow_blank=True, required=False, default="")
    languages = serializers.CharField(allow_blank=True, required=False, default="")
    certificates = serializers.CharField(allow_blank=True, required=False, default="")
    interests_text = serializers.CharField(allow_blank=True, required=False, default="")
    interest_sectors = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    constraints = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    constraint_notes = serializers.CharField(allow_blank=True, required=False, default="")
    income_sources = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    debt_amount = serializers.IntegerField(required=False, default=0)
    debt_to_recruiter = serializers.BooleanField(required=False, default=False)
    preferred_region = serializers.CharField(allow_blank=True, required=False, default="")
    work_history = WorkSerializer(many=True, required=False, default=list)
    skills = SkillSerializer(many=True, required=False, default=list)


class ProfileUpdateSerializer(ProfileSerializer):
    version = version_input()


class FactorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField(source="label")
    value = serializers.FloatField()
    weight = serializers.FloatField()


class SuggestionSerializer(serializers.Serializer[Any]):
    opportunity = serializers.IntegerField(source="id")
    kind = serializers.CharField(source="opportunity.kind")
    title = serializers.CharField(source="opportunity.title")
    organisation = serializers.CharField(source="opportunity.organisation__name")
    score = serializers.FloatField()
    factors = FactorSerializer(many=True)
    flags = serializers.ListField(child=serializers.CharField(),
                                  help_text="Why the offer resembles the survivor's own exploitation.")


class ChoiceInputSerializer(serializers.Serializer[Any]):
    opportunity = serializers.IntegerField(allow_null=True, required=False, default=None,
                                           help_text="Leave out (or null) when the survivor chooses none.")
    note = serializers.CharField(allow_blank=True, required=False, default="")
    check_id = serializers.IntegerField(allow_null=True, required=False, default=None,
                                        help_text="A check a supervisor overrode for this vacancy.")


class ChoiceSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    opportunity = serializers.IntegerField(source="opportunity_id", allow_null=True)
    note = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class OpportunitySerializer(serializers.ModelSerializer[Opportunity]):
    # Plain strings, not enums: the schema's enum names must not collide across rooms and models.
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    kind = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(OpportunityKind.values))
    status = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(OpportunityStatus.values))
    sector = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(Sector.values))
    contract_type = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(ContractType.values))
    accommodation = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(Accommodation.values))
    support_type = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(SupportType.values))

    class Meta:
        model = Opportunity
        fields = ["id", "organisation", "organisation_name", "version", *services.OPPORTUNITY_FIELDS]
        read_only_fields = fields


class OpportunityInputSerializer(serializers.Serializer[Any]):
    version = version_input()
    kind = serializers.CharField(required=False)
    status = serializers.CharField(required=False)
    title = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    sector = serializers.CharField(required=False)
    skills = serializers.ListField(child=serializers.CharField(), required=False)
    region = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    online = serializers.BooleanField(required=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    hours_per_week = serializers.IntegerField(required=False, allow_null=True)
    places_free = serializers.IntegerField(required=False)
    min_age = serializers.IntegerField(required=False)
    women_only = serializers.BooleanField(required=False)
    childcare_available = serializers.BooleanField(required=False)
    flexible_schedule = serializers.BooleanField(required=False)
    documents_required = serializers.BooleanField(required=False)
    certification = serializers.CharField(required=False, allow_blank=True)
    cost = serializers.IntegerField(required=False)
    stipend = serializers.IntegerField(required=False)
    employer_name = serializers.CharField(required=False, allow_blank=True)
    monthly_wage = serializers.IntegerField(required=False, allow_null=True)
    contract_type = serializers.CharField(required=False, allow_blank=True)
    bpjs_registered = serializers.BooleanField(required=False)
    accommodation = serializers.CharField(required=False)
    abroad = serializers.BooleanField(required=False)
    destination_country = serializers.CharField(required=False, allow_blank=True, max_length=2)
    p3mi_licence = serializers.CharField(required=False, allow_blank=True)
    worker_fee = serializers.IntegerField(required=False)
    retains_documents = serializers.BooleanField(required=False)
    support_type = serializers.CharField(required=False, allow_blank=True)
    amount_max = serializers.IntegerField(required=False)
    conditions = serializers.CharField(required=False, allow_blank=True)


class EnrolmentSerializer(serializers.ModelSerializer[Enrolment]):
    status = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(EnrolmentStatus.values))
    class Meta:
        model = Enrolment
        fields = ["id", "opportunity", "goal", "status", "enrolled_on", "completed_on", "certificate",
                  "referral_id", "direct_consent", "basis"]
        read_only_fields = fields

    basis = serializers.CharField(read_only=True, help_text=(
        "How the provider knows the survivor: referral (a referral it accepted), direct (the survivor "
        "enrolled directly, with consent naming it), or empty (the lead organisation's own programme)."))


class EnrolmentInputSerializer(serializers.Serializer[Any]):
    opportunity = serializers.IntegerField()
    enrolled_on = serializers.DateField()
    goal = serializers.IntegerField(allow_null=True, required=False, default=None)
    direct = serializers.BooleanField(required=False, default=False, help_text=(
        "The survivor enrolled directly with the provider, without a referral it accepted: the survivor's "
        "consent in force naming the provider is required."))
    consent = serializers.UUIDField(required=False, allow_null=True, default=None,
                                    help_text="The consent record to rely on (default: the latest in force).")


class CompletionSerializer(serializers.Serializer[Any]):
    completed_on = serializers.DateField()
    certificate = serializers.CharField(allow_blank=True, required=False, default="")
    dropped = serializers.BooleanField(required=False, default=False)


class PlacementSerializer(serializers.ModelSerializer[Placement]):
    sector = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(Sector.values))
    contract_type = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(ContractType.values))
    check_status = serializers.CharField(source="work_check.status", read_only=True)

    class Meta:
        model = Placement
        fields = ["id", "opportunity", "goal", "employer_name", "sector", "region", "started_on", "ended_on",
                  "monthly_wage", "hours_per_week", "contract_type", "work_check", "check_status"]
        read_only_fields = fields


class PlacementInputSerializer(serializers.Serializer[Any]):
    employer_name = serializers.CharField(allow_blank=True)
    sector = serializers.CharField()
    region = serializers.CharField()
    started_on = serializers.DateField()
    monthly_wage = serializers.IntegerField()
    hours_per_week = serializers.IntegerField()
    contract_type = serializers.CharField()
    bpjs_registered = serializers.BooleanField(required=False, default=False)
    worker_fee = serializers.IntegerField(required=False, default=0)
    retains_documents = serializers.BooleanField(required=False, default=False)
    accommodation = serializers.CharField(required=False, default="none")
    opportunity = serializers.IntegerField(allow_null=True, required=False, default=None)
    goal = serializers.IntegerField(allow_null=True, required=False, default=None)
    check_id = serializers.IntegerField(allow_null=True, required=False, default=None)


class IncomeSerializer(serializers.ModelSerializer[IncomeFollowUp]):
    band = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(IncomeBand.values))
    debt_change = serializers.CharField(help_text="One of: " + ", ".join(DebtChange.values))
    class Meta:
        model = IncomeFollowUp
        fields = ["id", "months_after", "recorded_on", "working", "decent_work", "monthly_income", "minimum_wage",
                  "band", "debt_change", "note"]
        read_only_fields = ["id", "minimum_wage", "band"]


# --- views ------------------------------------------------------------------------------------------------


def _profile_data(case: Any) -> dict[str, Any]:
    profile = selectors.profile_for(case)
    if profile is None:
        return {"version": 0}
    return {"version": profile.version, **services.profile_document(profile)}


class ProfileView(SintasAPIView):
    serializer_classes = {"GET": ProfileSerializer, "PUT": ProfileUpdateSerializer}

    @extend_schema(summary="The survivor's economic profile (case team only)", parameters=[CASE_ID, ETAG],
                   responses={200: ProfileSerializer, 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = rules.livelihood_case_get(request.user, case_id)
        _log(request, case)
        data = ProfileSerializer(_profile_data(case)).data
        return with_etag(Response(data), data["version"])

    @extend_schema(summary="Save the whole economic profile (a new revision)", parameters=[CASE_ID, IF_MATCH, ETAG],
                   request=ProfileUpdateSerializer,
                   responses={200: ProfileSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND, **STALE_RESPONSES})
    def put(self, request: Request, case_id: str) -> Response:
        case = rules.livelihood_case_get(request.user, case_id)
        version = request_version(request)
        s = ProfileUpdateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        d.pop("version", None)
        work = [services.WorkInput(**w) for w in d.pop("work_history")]
        held = [services.SkillInput(**k) for k in d.pop("skills")]
        services.profile_save(actor=request.user, case=case, version=version,
                              data=services.ProfileInput(**d, work_history=work, skills=held))
        data = ProfileSerializer(_profile_data(case)).data
        return with_etag(Response(data), data["version"])


class SuggestionsView(SintasAPIView):
    pagination_class = None  # a case's own records: a handful, never paged
    serializer_class = SuggestionSerializer

    @extend_schema(summary="Ranked opportunities for the survivor, each with its factors and weights",
                   parameters=[CASE_ID], responses={200: SuggestionSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = rules.livelihood_case_get(request.user, case_id)
        found = selectors.suggestions_for(request.user, case, selectors.profile_for(case))
        return Response(SuggestionSerializer(found, many=True).data)


class ChoiceView(SintasAPIView):
    serializer_class = ChoiceInputSerializer

    @extend_schema(summary="Record the survivor's choice (or that they chose none)", parameters=[CASE_ID],
                   request=ChoiceInputSerializer,
                   responses={201: ChoiceSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str) -> Response:
        case = rules.livelihood_case_get(request.user, case_id)
        s = ChoiceInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        shown = services.shown_of(selectors.suggestions_for(request.user, case, selectors.profile_for(case)))
        choice = services.choice_record(actor=request.user, case=case, opportunity_id=d["opportunity"],
                                        note=d["note"], shown=shown, check_id=d["check_id"])
        return Response(ChoiceSerializer(choice).data, status=status.HTTP_201_CREATED)


class EnrolmentListView(SintasAPIView):
    pagination_class = None  # a case's own records: a handful, never paged
    serializer_classes = {"GET": EnrolmentSerializer, "POST": EnrolmentInputSerializer}

    @extend_schema(summary="The case's training enrolments", parameters=[CASE_ID],
                   responses={200: EnrolmentSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = rules.livelihood_case_get(request.user, case_id)
        return Response(EnrolmentSerializer(Enrolment.objects.filter(case=case), many=True).data)

    @extend_schema(summary="Enrol the survivor in a training programme", parameters=[CASE_ID],
                   request=EnrolmentInputSerializer,
                   responses={201: EnrolmentSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str) -> Response:
        case = rules.livelihood_case_get(request.user, case_id)
        s = EnrolmentInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        enrolment = services.enrolment_create(actor=request.user, case=case, opportunity_id=d["opportunity"],
                                              enrolled_on=d["enrolled_on"], goal_id=d["goal"], direct=d["direct"],
                                              consent_id=d["consent"])
        return Response(EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)


class EnrolmentCompleteView(SintasAPIView):
    serializer_class = CompletionSerializer

    @extend_schema(summary="Record the result of a training enrolment (the provider or the case team)",
                   parameters=[ENROLMENT_ID], request=CompletionSerializer,
                   responses={200: EnrolmentSerializer, 400: INVALID, 404: NOT_FOUND})
    def post(self, request: Request, enrolment_id: str) -> Response:
        enrolment = selectors.enrolment_get_for_user(request.user, enrolment_id)
        s = CompletionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        done = services.enrolment_complete(actor=request.user, enrolment=enrolment, completed_on=d["completed_on"],
                                           certificate=d["certificate"], dropped=d["dropped"])
        return Response(EnrolmentSerializer(done).data)


class PlacementListView(SintasAPIView):
    pagination_class = None  # a case's own records: a handful, never paged
    serializer_classes = {"GET": PlacementSerializer, "POST": PlacementInputSerializer}

    @extend_schema(summary="The case's placements", parameters=[CASE_ID],
                   responses={200: PlacementSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = rules.livelihood_case_get(request.user, case_id)
        qs = Placement.objects.filter(case=case).select_related("work_check")
        return Response(PlacementSerializer(qs, many=True).data)

    @extend_schema(summary="Record a placement (its terms must pass the decent-work check or carry an override)",
                   parameters=[CASE_ID], request=PlacementInputSerializer,
                   responses={201: PlacementSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str) -> Response:
        case = rules.livelihood_case_get(request.user, case_id)
        s = PlacementInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = dict(s.validated_data)
        d["opportunity_id"], d["goal_id"] = d.pop("opportunity"), d.pop("goal")
        placement = services.placement_record(actor=request.user, case=case, data=services.PlacementInput(**d))
        return Response(PlacementSerializer(placement).data, status=status.HTTP_201_CREATED)


class IncomeListView(SintasAPIView):
    pagination_class = None  # a case's own records: a handful, never paged
    serializer_class = IncomeSerializer

    @extend_schema(summary="The case's income follow-ups", parameters=[CASE_ID],
                   responses={200: IncomeSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = rules.livelihood_case_get(request.user, case_id)
        return Response(IncomeSerializer(IncomeFollowUp.objects.filter(case=case), many=True).data)

    @extend_schema(summary="Record income at a follow-up visit", parameters=[CASE_ID], request=IncomeSerializer,
                   responses={201: IncomeSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str) -> Response:
        case = rules.livelihood_case_get(request.user, case_id)
        s = IncomeSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        follow_up = services.income_follow_up_record(
            actor=request.user, case=case, months_after=d["months_after"], recorded_on=d["recorded_on"],
            working=d["working"], monthly_income=d.get("monthly_income", 0), debt_change=d["debt_change"],
            decent_work=d.get("decent_work", False), note=d.get("note", ""))
        return Response(IncomeSerializer(follow_up).data, status=status.HTTP_201_CREATED)


class OpportunityListView(SintasAPIView):
    serializer_classes = {"GET": OpportunitySerializer, "POST": OpportunityInputSerializer}

    @extend_schema(summary="Open opportunities, and your organisation's own",
                   responses={200: OpportunitySerializer(many=True)})
    def get(self, request: Request) -> Response:
        qs = rules.opportunities_visible_to(request.user).select_related("organisation").order_by("-created_at")
        page = self.paginate_queryset(qs)
        if page is not None:
            return self.get_paginated_response(OpportunitySerializer(page, many=True).data)
        return Response(OpportunitySerializer(qs, many=True).data)

    @extend_schema(summary="Publish an opportunity (a vacancy opens only if it passes the decent-work check)",
                   request=OpportunityInputSerializer,
                   responses={201: OpportunitySerializer, 400: INVALID, 403: FORBIDDEN})
    def post(self, request: Request) -> Response:
        s = OpportunityInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        values = dict(s.validated_data)
        values.pop("version", None)
        saved = services.opportunity_save(actor=request.user, opportunity=None, version=None, values=values)
        return with_etag(Response(OpportunitySerializer(saved).data, status=status.HTTP_201_CREATED), saved.version)


class OpportunityDetailView(SintasAPIView):
    serializer_classes = {"GET": OpportunitySerializer, "PATCH": OpportunityInputSerializer}

    @extend_schema(summary="One opportunity", parameters=[OPPORTUNITY_ID, ETAG],
                   responses={200: OpportunitySerializer, 404: NOT_FOUND})
    def get(self, request: Request, opportunity_id: str) -> Response:
        o = rules.opportunity_get_for_user(request.user, opportunity_id)
        return with_etag(Response(OpportunitySerializer(o).data), o.version)

    @extend_schema(summary="Change your organisation's opportunity", parameters=[OPPORTUNITY_ID, IF_MATCH, ETAG],
                   request=OpportunityInputSerializer,
                   responses={200: OpportunitySerializer, 400: INVALID, 404: NOT_FOUND, **STALE_RESPONSES})
    def patch(self, request: Request, opportunity_id: str) -> Response:
        o = rules.opportunity_get_for_publisher(request.user, opportunity_id)
        version = request_version(request)
        s = OpportunityInputSerializer(data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        values = dict(s.validated_data)
        values.pop("version", None)
        saved = services.opportunity_save(actor=request.user, opportunity=o, version=version, values=values)
        return with_etag(Response(OpportunitySerializer(saved).data), saved.version)
