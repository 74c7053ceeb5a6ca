"""Survivors, their identity and their consent in the REST API (/api/v1/).

Reading: the pseudonymous survivor never carries identity fields (names, NIK, birth date, phones,
address, photo); only ``IdentitySerializer`` does, behind its own endpoint, and every showing is
written to the access log. Writing: these serializers only check types and shapes; every rule
lives in the service functions (``survivors.services``), which the pages call too. Out of scope
is 404, never 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from access import policy
from access.policy import Action
from api.base import CASE_ID, INVALID, NOT_FOUND, SintasAPIView, access_log
from api.concurrency import ETAG, IF_MATCH, STALE_RESPONSES, request_version, version_input, with_etag
from api.serializers import CountryCodeField, RegionCodeField, country_code_clean
from audit.models import AccessLogEntry
from core import choices

from .display import identity_for_display
from .models import ConsentRecord, Guardian, Identity, Survivor
from .selectors import consent_is_active, consents_of_case, survivors_visible_to
from .services import IDENTITY_TEXT_FIELDS, ConsentInput, consent_record, consent_withdraw, identity_update

CONSENT_ID = OpenApiParameter(
    "consent_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="A consent record of the case's survivor."
)
SURVIVOR_ID = OpenApiParameter("survivor_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The survivor's id.")
CODE = OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.QUERY,
                        description="Exact survivor code, e.g. SNT-ABCD-EFGH.")


def survivor_code_query(value: str) -> str:
    """The ``code`` query parameter as stored: no spaces, upper case."""
    return "".join(value.split()).upper()


# --- serializers: survivors (pseudonymous) ------------------------------------------------------


class SurvivorSummarySerializer(serializers.ModelSerializer[Survivor]):
    """The pseudonymous survivor: a code and attributes that identify no one on their own."""

    origin_province = RegionCodeField(source="origin_province_id", read_only=True, allow_null=True)
    origin_regency = RegionCodeField(source="origin_regency_id", read_only=True, allow_null=True)
    nationality = CountryCodeField(read_only=True)

    class Meta:
        model = Survivor
        fields = [
            "id", "code", "sex", "age_band", "is_child_at_identification", "is_child_at_exploitation",
            "origin_province", "origin_regency", "nationality",
        ]
        read_only_fields = fields


class SurvivorSerializer(SurvivorSummarySerializer):
    """The pseudonymous survivor with the ids of their cases that the user may see."""

    case_ids = serializers.SerializerMethodField()

    class Meta(SurvivorSummarySerializer.Meta):
        fields = [*SurvivorSummarySerializer.Meta.fields, "case_ids"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_case_ids(self, obj: Survivor) -> list[str]:
        cases = getattr(obj, "visible_cases", None)
        if cases is None:
            return []
        return [str(case.pk) for case in cases]


# --- serializers: registration (POST /cases/, which opens the case) ------------------------------


class GuardianInputSerializer(serializers.Serializer[Any]):
    full_name = serializers.CharField(allow_blank=True, max_length=300)
    relationship = serializers.ChoiceField(choices=Guardian.Relationship.choices)
    phone = serializers.CharField(allow_blank=True, required=False, default="", max_length=100)
    is_suspect = serializers.BooleanField(required=False, default=False)


class RegistrationSerializer(serializers.Serializer[Any]):
    """Register a survivor and open their case (``survivors.services.survivor_register``)."""

    full_name = serializers.CharField(allow_blank=True, max_length=300)
    sex = serializers.ChoiceField(choices=choices.Sex.choices)
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    age_band = serializers.ChoiceField(choices=choices.AgeBand.choices, required=False, allow_blank=True, default="")
    nik = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    aliases = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    phone_numbers = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    address = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    origin_province = RegionCodeField(required=False, allow_blank=True, default="")
    origin_regency = RegionCodeField(required=False, allow_blank=True, default="")
    nationality = CountryCodeField(required=False, default="ID")
    identified_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=choices.Channel.choices)
    identification_region = RegionCodeField(required=False, allow_blank=True, default="")
    guardian = GuardianInputSerializer(required=False, allow_null=True, default=None)
    guardian_override_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    lead_caseworker = serializers.IntegerField(
        required=False, allow_null=True, default=None,
        help_text="User id of the lead caseworker; defaults to the caller (required when the caller is not a caseworker).",
    )

    def validate_nationality(self, value: str) -> str:
        code = country_code_clean(value)
        if not code:
            raise serializers.ValidationError(_("This field is required."))
        return code


# --- serializers: identity and consent -----------------------------------------------------------


class GuardianSerializer(serializers.ModelSerializer[Guardian]):
    class Meta:
        model = Guardian
        fields = ["id", "full_name", "relationship", "phone", "is_suspect", "created_at"]
        read_only_fields = fields


class IdentitySerializer(serializers.ModelSerializer[Identity]):
    """The identity vault of one survivor. Never the photo bytes: only whether there is one."""

    survivor_id = serializers.UUIDField(source="survivor.pk", read_only=True)
    birth_date = serializers.SerializerMethodField()
    has_photo = serializers.SerializerMethodField()
    guardians = serializers.SerializerMethodField()

    class Meta:
        model = Identity
        fields = [
            "survivor_id", "full_name", "aliases", "nik", "birth_date", "phone_numbers", "address",
            "has_photo", "photo_content_type", "guardians", "updated_at", "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_birth_date(self, obj: Identity) -> str | None:
        return obj.birth_date or None

    def get_has_photo(self, obj: Identity) -> bool:
        # The views annotate ``photo_present`` and defer the photo, so no image is read or decrypted.
        present = getattr(obj, "photo_present", None)
        if present is None:
            present = obj.photo is not None
        return bool(present)

    @extend_schema_field(GuardianSerializer(many=True))
    def get_guardians(self, obj: Identity) -> list[dict[str, Any]]:
        guardians = Guardian.objects.filter(survivor_id=obj.survivor_id).order_by("created_at")
        return list(GuardianSerializer(guardians, many=True).data)


class IdentityUpdateSerializer(serializers.Serializer[Any]):
    """Identity fields; a PATCH changes only the fields it sends (the photo is managed on the pages)."""

    version = version_input()

    full_name = serializers.CharField(allow_blank=True, max_length=300)
    aliases = serializers.CharField(allow_blank=True, max_length=1000)
    nik = serializers.CharField(allow_blank=True, max_length=40)
    birth_date = serializers.DateField(allow_null=True)
    phone_numbers = serializers.CharField(allow_blank=True, max_length=1000)
    address = serializers.CharField(allow_blank=True, max_length=2000)
    remove_photo = serializers.BooleanField(default=False)


class ConsentSerializer(serializers.ModelSerializer[ConsentRecord]):
    """One version of a consent or lawful-basis record; ``active`` says whether it holds today."""

    recipient_organisation_name = serializers.CharField(
        source="recipient_organisation.name", read_only=True, allow_null=True, default=None
    )
    active = serializers.SerializerMethodField()

    class Meta:
        model = ConsentRecord
        fields = [
            "id", "purpose", "recipient_organisation", "recipient_organisation_name", "scope", "lawful_basis",
            "given_by", "guardian", "basis_reason", "given_on", "expires_on", "withdrawn_at", "withdrawal_reason",
            "version", "supersedes", "recorded_by", "recorded_at", "active",
        ]
        read_only_fields = fields

    def get_active(self, obj: ConsentRecord) -> bool:
        today: dt.date = self.context.get("today") or timezone.localdate()
        return consent_is_active(obj, on=today)


class ConsentCreateSerializer(serializers.Serializer[Any]):
    """A new consent or lawful basis (``survivors.services.consent_record``). With ``supersedes``,
    a new version of the latest record for the same survivor."""

    purpose = serializers.ChoiceField(choices=ConsentRecord.Purpose.choices)
    lawful_basis = serializers.ChoiceField(choices=ConsentRecord.LawfulBasis.choices)
    given_by = serializers.ChoiceField(choices=ConsentRecord.GivenBy.choices)
    given_on = serializers.DateField()
    scope = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    recipient_organisation = serializers.IntegerField(required=False, allow_null=True, default=None)
    guardian = serializers.UUIDField(required=False, allow_null=True, default=None)
    basis_reason = serializers.CharField(required=False, allow_blank=True, default="")
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    supersedes = serializers.UUIDField(required=False, allow_null=True, default=None)


class ConsentWithdrawSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(allow_blank=True, trim_whitespace=False)


# --- views: identity ------------------------------------------------------------------------------


class IdentityView(SintasAPIView):
    serializer_classes = {"GET": IdentitySerializer, "PATCH": IdentityUpdateSerializer}

    @extend_schema(
        summary="The survivor's identity (case team only; every showing is logged)",
        parameters=[CASE_ID, ETAG],
        responses={200: IdentitySerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW_IDENTITY)
        identity = identity_for_display(request=request, case=case, what=AccessLogEntry.What.API_IDENTITY)
        return with_etag(Response(IdentitySerializer(identity).data), identity.version)

    @extend_schema(
        summary="Change identity fields",
        description="Only the fields sent change. Photos are managed on the pages. Send the version you read "
                    "(If-Match or `version`): a change based on an older version is refused, nothing is saved.",
        parameters=[CASE_ID, IF_MATCH, ETAG],
        request=IdentityUpdateSerializer,
        responses={200: IdentitySerializer, 400: INVALID, 404: NOT_FOUND, **STALE_RESPONSES},
    )
    def patch(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.EDIT_IDENTITY)
        version = request_version(request)
        serializer = IdentityUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        values = {name: d[name] for name in IDENTITY_TEXT_FIELDS if name in d}
        # identity_update locks the row (select_for_update): it needs a transaction around it.
        with transaction.atomic():
            identity_update(actor=request.user, case=case, values=values, remove_photo=d.get("remove_photo", False),
                            version=version)
        identity = identity_for_display(request=request, case=case, what=AccessLogEntry.What.API_IDENTITY)
        return with_etag(Response(IdentitySerializer(identity).data), identity.version)


# --- views: consent -------------------------------------------------------------------------------


class ConsentListView(SintasAPIView):
    pagination_class = None
    serializer_classes = {"GET": ConsentSerializer, "POST": ConsentCreateSerializer}

    def get_queryset(self) -> QuerySet[ConsentRecord]:
        case = policy.case_get_for_user(self.request.user, self.kwargs["case_id"], Action.VIEW)
        return consents_of_case(case).order_by("purpose", "-version", "-recorded_at")

    @extend_schema(
        summary="Consent and lawful-basis records of the case's survivor (every version)",
        parameters=[CASE_ID],
        responses={200: ConsentSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, case_id: str) -> Response:
        records = self.get_queryset()
        return Response(ConsentSerializer(records, many=True, context={"today": timezone.localdate()}).data)

    @extend_schema(
        summary="Record a consent or lawful basis",
        parameters=[CASE_ID],
        request=ConsentCreateSerializer,
        responses={201: ConsentSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.EDIT)
        serializer = ConsentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        supersedes = None
        if d["supersedes"] is not None:
            supersedes = consents_of_case(case).filter(pk=d["supersedes"]).first()
            if supersedes is None:
                raise DrfValidationError({"supersedes": [_("Choose a consent record of this survivor.")]})
        data = ConsentInput(
            purpose=d["purpose"],
            lawful_basis=d["lawful_basis"],
            given_by=d["given_by"],
            given_on=d["given_on"],
            scope=d["scope"],
            recipient_organisation_id=d["recipient_organisation"],
            guardian_id=d["guardian"],
            basis_reason=d["basis_reason"],
            expires_on=d["expires_on"],
        )
        record = consent_record(actor=request.user, case=case, data=data, supersedes=supersedes)
        record = consents_of_case(case).get(pk=record.pk)
        return Response(ConsentSerializer(record).data, status=status.HTTP_201_CREATED)


class ConsentWithdrawView(SintasAPIView):
    serializer_classes = {"POST": ConsentWithdrawSerializer}

    @extend_schema(
        summary="Withdraw a consent (recorded with its reason; the record stays)",
        parameters=[CASE_ID, CONSENT_ID],
        request=ConsentWithdrawSerializer,
        responses={200: ConsentSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, case_id: str, consent_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.EDIT)
        try:
            record = consents_of_case(case).get(pk=consent_id)
        except (ConsentRecord.DoesNotExist, DjangoValidationError, ValueError) as exc:
            raise Http404 from exc
        serializer = ConsentWithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = consent_withdraw(actor=request.user, case=case, record=record,
                                  reason=serializer.validated_data["reason"])
        record = consents_of_case(case).get(pk=record.pk)
        return Response(ConsentSerializer(record).data)


# --- views: survivors (pseudonymous) --------------------------------------------------------------


class SurvivorListView(SintasAPIView):
    serializer_class = SurvivorSerializer

    def get_queryset(self) -> QuerySet[Survivor]:
        qs = survivors_visible_to(self.request.user)
        code = self.request.query_params.get("code")
        if code:
            qs = qs.filter(code=survivor_code_query(code))
        return qs

    @extend_schema(
        summary="Survivors with a case you may see (pseudonymous part only)",
        parameters=[CODE],
        responses={200: SurvivorSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        if page is not None:
            return self.get_paginated_response(SurvivorSerializer(page, many=True).data)
        return Response(SurvivorSerializer(self.get_queryset(), many=True).data)  # pragma: no cover


class SurvivorDetailView(SintasAPIView):
    serializer_class = SurvivorSerializer

    @extend_schema(
        summary="A survivor (pseudonymous part only)",
        parameters=[SURVIVOR_ID],
        responses={200: SurvivorSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, survivor_id: str) -> Response:
        try:
            survivor = survivors_visible_to(request.user).get(pk=survivor_id)
        except (Survivor.DoesNotExist, DjangoValidationError, ValueError) as exc:
            raise Http404 from exc
        access_log(request, AccessLogEntry.What.API_SURVIVOR, survivor_id=survivor.pk)
        return Response(SurvivorSerializer(survivor).data)
