"""Case files in the REST API (/api/v1/cases/): list, register (which opens a case), intake
changes and workflow moves, through the same access policy and services as the pages.

The case file never carries identity fields: the survivor appears only by code and pseudonymous
attributes (``survivors.api``). Every showing of a case file is written to the access log.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from access import policy
from access.policy import Action
from api.base import CASE_ID, INVALID, NOT_FOUND, SintasAPIView, access_log
from api.concurrency import ETAG, IF_MATCH, STALE_RESPONSES, request_version, version_input, with_etag
from api.serializers import BlankChoicesKept, CountryCodeField, RegionCodeField, choice_list
from audit.models import AccessLogEntry
from core import choices
from survivors.api import CODE, RegistrationSerializer, SurvivorSummarySerializer, survivor_code_query
from survivors.services import GuardianInput, RegistrationInput, survivor_register

from .models import ALLOWED_TRANSITIONS, CLOSURE_STATUSES, Case, CaseStatus
from .services import case_intake_update, case_transition

STATUS = OpenApiParameter("status", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=CaseStatus.values,
                          description="Only cases in this status.")


# --- serializers ---------------------------------------------------------------------------------


class CaseSerializer(BlankChoicesKept, serializers.ModelSerializer[Case]):
    """A case file: status, team, intake. The survivor appears only by code and pseudonymous attributes."""

    survivor = SurvivorSummarySerializer(read_only=True)
    lead_organisation_name = serializers.CharField(source="lead_organisation.name", read_only=True)
    team_member_ids = serializers.SerializerMethodField()
    identification_region = RegionCodeField(source="identification_region_id", read_only=True, allow_null=True)
    recruitment_region = RegionCodeField(source="recruitment_region_id", read_only=True, allow_null=True)
    exploitation_region = RegionCodeField(source="exploitation_region_id", read_only=True, allow_null=True)
    identification_country = CountryCodeField(read_only=True)
    recruitment_country = CountryCodeField(read_only=True)
    exploitation_country = CountryCodeField(read_only=True)
    transit_countries = serializers.ListField(child=CountryCodeField(), read_only=True)
    tppo_process = choice_list(choices.TppoProcess, read_only=True)
    tppo_means = choice_list(choices.TppoMeans, read_only=True)
    tppo_purpose = choice_list(choices.TppoPurpose, read_only=True)
    ilo_indicators = choice_list(choices.IloIndicator, read_only=True)
    exploitation_types = choice_list(choices.ExploitationType, read_only=True)
    urgent_needs = choice_list(choices.UrgentNeed, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "survivor", "status", "lead_organisation", "lead_organisation_name", "lead_caseworker",
            "team_member_ids", "opened_at", "updated_at", "closed_at",
            "identified_on", "channel", "identification_region", "identification_country",
            "tppo_process", "tppo_means", "tppo_purpose", "ilo_indicators", "exploitation_types",
            "forced_labour_industry", "recruitment_method", "recruiter_relation",
            "recruitment_country", "recruitment_region", "transit_countries",
            "exploitation_country", "exploitation_region", "exploitation_started_on", "exploitation_ended_on",
            "trafficking_status", "status_decided_by", "modus", "urgent_needs", "intake_notes", "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_team_member_ids(self, obj: Case) -> list[int]:
        # team_members is prefetched by the views; .all() then costs no query.
        ids = {member.user_id for member in obj.team_members.all()}
        ids.add(obj.lead_caseworker_id)
        return sorted(ids)


class CaseIntakeSerializer(serializers.Serializer[Any]):
    """Intake fields (``cases.services.INTAKE_FIELDS``); a PATCH changes only the fields it sends."""

    version = version_input()

    identified_on = serializers.DateField(allow_null=True)
    channel = serializers.ChoiceField(choices=choices.Channel.choices)
    identification_region = RegionCodeField(allow_blank=True, allow_null=True)
    identification_country = CountryCodeField(allow_blank=True)
    tppo_process = choice_list(choices.TppoProcess)
    tppo_means = choice_list(choices.TppoMeans)
    tppo_purpose = choice_list(choices.TppoPurpose)
    ilo_indicators = choice_list(choices.IloIndicator)
    exploitation_types = choice_list(choices.ExploitationType)
    forced_labour_industry = serializers.ChoiceField(choices=choices.ForcedLabourIndustry.choices, allow_blank=True)
    recruitment_method = serializers.ChoiceField(choices=choices.RecruitmentMethod.choices, allow_blank=True)
    recruiter_relation = serializers.ChoiceField(choices=choices.RecruiterRelation.choices, allow_blank=True)
    recruitment_country = CountryCodeField(allow_blank=True)
    recruitment_region = RegionCodeField(allow_blank=True, allow_null=True)
    transit_countries = serializers.ListField(child=CountryCodeField())
    exploitation_country = CountryCodeField(allow_blank=True)
    exploitation_region = RegionCodeField(allow_blank=True, allow_null=True)
    exploitation_started_on = serializers.DateField(allow_null=True)
    exploitation_ended_on = serializers.DateField(allow_null=True)
    trafficking_status = serializers.ChoiceField(choices=choices.TraffickingStatus.choices)
    status_decided_by = serializers.ChoiceField(choices=choices.StatusDecidedBy.choices, allow_blank=True)
    modus = serializers.ChoiceField(choices=choices.Modus.choices, allow_blank=True)
    urgent_needs = choice_list(choices.UrgentNeed)
    intake_notes = serializers.CharField(allow_blank=True, trim_whitespace=False)


# Statuses a case can move to here (no transition leads back to intake; closing and reopening
# have their own endpoints, which record the closure reason and the follow-up schedule).
TARGET_STATUS_CHOICES = [
    (value, label) for value, label in CaseStatus.choices
    if any(value in targets for targets in ALLOWED_TRANSITIONS.values()) and value not in CLOSURE_STATUSES
]


class CaseTransitionSerializer(serializers.Serializer[Any]):
    """Which moves are allowed from the current status is the workflow's rule (``cases.models``)."""

    to_status = serializers.ChoiceField(choices=TARGET_STATUS_CHOICES)
    reason = serializers.CharField(allow_blank=True, trim_whitespace=False)


# --- views ---------------------------------------------------------------------------------------


def _case_queryset(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("survivor", "lead_organisation").prefetch_related("team_members")


def _case_for_output(case: Case) -> Case:
    """The case re-read with what its serializer needs (after a write)."""
    return _case_queryset(Case.objects.all()).get(pk=case.pk)


class CaseListView(SintasAPIView):
    serializer_class = CaseSerializer
    serializer_classes = {"POST": RegistrationSerializer}
    filter_backends = [OrderingFilter]
    ordering_fields = ["opened_at", "updated_at", "identified_on", "status"]
    ordering = ["-opened_at"]

    def get_queryset(self) -> QuerySet[Case]:
        qs = _case_queryset(policy.cases_visible_to(self.request.user))
        wanted = self.request.query_params.get("status")
        if wanted:
            if wanted not in CaseStatus.values:
                raise DrfValidationError({"status": [_("Choose a value from the list.")]})
            qs = qs.filter(status=wanted)
        code = self.request.query_params.get("code")
        if code:
            qs = qs.filter(survivor__code=survivor_code_query(code))
        return qs

    @extend_schema(
        summary="Cases you may see",
        parameters=[STATUS, CODE],
        responses={200: CaseSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(CaseSerializer(page, many=True).data)
        return Response(CaseSerializer(queryset, many=True).data)  # pragma: no cover (pagination is on)

    @extend_schema(
        summary="Register a survivor and open their case",
        description="A NIK already registered in a case you may see answers 400 with the message under `nik` "
                    "and that case's id under `duplicate_case` (a list of one id). A match outside your scope "
                    "changes nothing in the answer.",
        request=RegistrationSerializer,
        responses={201: CaseSerializer, 400: INVALID, 403: OpenApiResponse(description="Your role does not register survivors.")},
    )
    def post(self, request: Request) -> Response:
        if not policy.may_register_survivor(request.user):
            raise PermissionDenied(_("You may not register survivors."))
        serializer = RegistrationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        guardian = GuardianInput(**d["guardian"]) if d.get("guardian") else None
        data = RegistrationInput(
            full_name=d["full_name"],
            sex=d["sex"],
            identified_on=d["identified_on"],
            channel=d["channel"],
            aliases=d["aliases"],
            nik=d["nik"],
            birth_date=d["birth_date"],
            age_band=d["age_band"],
            phone_numbers=d["phone_numbers"],
            address=d["address"],
            origin_province=d["origin_province"],
            origin_regency=d["origin_regency"],
            nationality=d["nationality"],
            identification_region=d["identification_region"],
            guardian=guardian,
            guardian_override_reason=d["guardian_override_reason"],
            lead_caseworker_id=d["lead_caseworker"],
        )
        try:
            case = survivor_register(actor=request.user, data=data)
        except DjangoValidationError as exc:
            raise _registration_errors(exc) from exc
        return Response(CaseSerializer(_case_for_output(case)).data, status=status.HTTP_201_CREATED)


DUPLICATE_CASE = "duplicate_case"  # the error key naming a same-NIK case in the user's own scope


def _registration_errors(exc: DjangoValidationError) -> DjangoValidationError:
    """The registration form names its guardian fields guardian_name and guardian_relationship;
    in the API they belong to the nested ``guardian`` object. A same-NIK case in the user's own scope
    is named under ``duplicate_case``."""
    if not hasattr(exc, "error_dict"):
        return exc
    renamed: dict[str, list[str]] = {}
    for name, messages in exc.message_dict.items():
        key = "guardian" if name in {"guardian_name", "guardian_relationship"} else name
        renamed.setdefault(key, []).extend(messages)
    if getattr(exc, "case_id", None) is not None:  # survivors.services.DuplicateRegistration: in scope only
        renamed[DUPLICATE_CASE] = [str(exc.case_id)]  # type: ignore[attr-defined]
    return DjangoValidationError(renamed)


class CaseDetailView(SintasAPIView):
    serializer_classes = {"GET": CaseSerializer, "PATCH": CaseIntakeSerializer}

    @extend_schema(summary="A case file", parameters=[CASE_ID, ETAG], responses={200: CaseSerializer, 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        access_log(request, AccessLogEntry.What.API_CASE, case_id=case.pk, survivor_id=case.survivor_id)
        return with_etag(Response(CaseSerializer(_case_for_output(case)).data), case.version)

    @extend_schema(
        summary="Change intake fields",
        description="Only the fields sent change. A closed case cannot be changed. Send the version you read "
                    "(If-Match or `version`): a change based on an older version is refused, nothing is saved.",
        parameters=[CASE_ID, IF_MATCH, ETAG],
        request=CaseIntakeSerializer,
        responses={200: CaseSerializer, 400: INVALID, 404: NOT_FOUND, **STALE_RESPONSES},
    )
    def patch(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.EDIT)
        version = request_version(request)
        serializer = CaseIntakeSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        values.pop("version", None)
        # Fields that are not intake fields (status, team...) are refused by the service, not ignored.
        for name in request.data.keys():
            if name not in serializer.fields:
                values[name] = request.data[name]
        case = case_intake_update(actor=request.user, case=case, values=values, version=version)
        return with_etag(Response(CaseSerializer(_case_for_output(case)).data), case.version)


class CaseTransitionView(SintasAPIView):
    serializer_classes = {"POST": CaseTransitionSerializer}

    @extend_schema(
        summary="Move a case along the workflow",
        parameters=[CASE_ID],
        request=CaseTransitionSerializer,
        responses={200: CaseSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.EDIT)
        serializer = CaseTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = case_transition(
            actor=request.user, case=case, to_status=serializer.validated_data["to_status"],
            reason=serializer.validated_data["reason"],
        )
        return Response(CaseSerializer(_case_for_output(case)).data)
