"""REST endpoints under /api/v1/.

Thin, like the pages: every object comes through ``access.policy`` (out of scope is 404, never
403), every write through the service functions the pages use, and every showing of a case file,
a survivor or an identity is written to the access log.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from access import policy
from access.policy import Action
from audit.models import AccessLogEntry
from audit.services import access_log_write
from cases.models import Case, CaseStatus
from cases.services import case_intake_update, case_transition
from survivors.display import identity_for_display
from survivors.models import ConsentRecord, Survivor
from survivors.services import (
    IDENTITY_TEXT_FIELDS,
    ConsentInput,
    GuardianInput,
    RegistrationInput,
    consent_record,
    consent_withdraw,
    identity_update,
    survivor_register,
)

from .concurrency import ETAG, IF_MATCH, STALE_RESPONSES, request_version, with_etag
from .serializers import (
    CaseIntakeSerializer,
    CaseSerializer,
    CaseTransitionSerializer,
    ConsentCreateSerializer,
    ConsentSerializer,
    ConsentWithdrawSerializer,
    IdentitySerializer,
    IdentityUpdateSerializer,
    RegistrationSerializer,
    SurvivorSerializer,
)

CASE_ID = OpenApiParameter("case_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The case's id.")
CONSENT_ID = OpenApiParameter(
    "consent_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="A consent record of the case's survivor."
)
SURVIVOR_ID = OpenApiParameter("survivor_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The survivor's id.")
CODE = OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.QUERY,
                        description="Exact survivor code, e.g. SNT-ABCD-EFGH.")
STATUS = OpenApiParameter("status", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=CaseStatus.values,
                          description="Only cases in this status.")

NOT_FOUND = OpenApiResponse(description="Not found, or outside your scope (the two are not told apart).")
INVALID = OpenApiResponse(description="Invalid input: an object of field name -> list of messages.")


def _case_queryset(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("survivor", "lead_organisation").prefetch_related("team_members")


def _case_for_output(case: Case) -> Case:
    """The case re-read with what its serializer needs (after a write)."""
    return _case_queryset(Case.objects.all()).get(pk=case.pk)


def _log(request: Request, what: str, *, case_id: Any = None, survivor_id: Any = None) -> None:
    access_log_write(user=request.user, what=what, case_id=case_id, survivor_id=survivor_id,
                     request=request._request)


def _code(value: str) -> str:
    return "".join(value.split()).upper()


class SintasAPIView(generics.GenericAPIView[Any]):
    """Common ground: the organisation's time zone for token requests too.

    OrganisationTimezoneMiddleware runs before DRF authenticates a token; dates such as "today"
    in the services must still be the organisation's (WIB, WITA, WIT). The middleware deactivates
    the zone when the response leaves.
    """

    # The serializer for each method (the browsable API builds its forms from these).
    serializer_classes: ClassVar[dict[str, type[BaseSerializer[Any]]]] = {}

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        method = getattr(getattr(self, "request", None), "method", None) or "GET"
        found = self.serializer_classes.get(method)
        return found if found is not None else super().get_serializer_class()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        organisation = getattr(request.user, "organisation", None)
        if organisation is not None:
            timezone.activate(organisation.time_zone)


# --- cases ----------------------------------------------------------------------------------------


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
            qs = qs.filter(survivor__code=_code(code))
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


def _registration_errors(exc: DjangoValidationError) -> DjangoValidationError:
    """The registration form names its guardian fields guardian_name and guardian_relationship;
    in the API they belong to the nested ``guardian`` object."""
    if not hasattr(exc, "error_dict"):
        return exc
    renamed: dict[str, list[str]] = {}
    for name, messages in exc.message_dict.items():
        key = "guardian" if name in {"guardian_name", "guardian_relationship"} else name
        renamed.setdefault(key, []).extend(messages)
    return DjangoValidationError(renamed)


class CaseDetailView(SintasAPIView):
    serializer_classes = {"GET": CaseSerializer, "PATCH": CaseIntakeSerializer}

    @extend_schema(summary="A case file", parameters=[CASE_ID, ETAG], responses={200: CaseSerializer, 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        _log(request, AccessLogEntry.What.API_CASE, case_id=case.pk, survivor_id=case.survivor_id)
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


# --- identity -------------------------------------------------------------------------------------


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


# --- consent --------------------------------------------------------------------------------------


def _consents_of(case: Case) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(survivor_id=case.survivor_id).select_related("recipient_organisation")


class ConsentListView(SintasAPIView):
    pagination_class = None
    serializer_classes = {"GET": ConsentSerializer, "POST": ConsentCreateSerializer}

    def get_queryset(self) -> QuerySet[ConsentRecord]:
        case = policy.case_get_for_user(self.request.user, self.kwargs["case_id"], Action.VIEW)
        return _consents_of(case).order_by("purpose", "-version", "-recorded_at")

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
            supersedes = _consents_of(case).filter(pk=d["supersedes"]).first()
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
        record = _consents_of(case).get(pk=record.pk)
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
            record = _consents_of(case).get(pk=consent_id)
        except (ConsentRecord.DoesNotExist, DjangoValidationError, ValueError) as exc:
            raise Http404 from exc
        serializer = ConsentWithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = consent_withdraw(actor=request.user, case=case, record=record,
                                  reason=serializer.validated_data["reason"])
        record = _consents_of(case).get(pk=record.pk)
        return Response(ConsentSerializer(record).data)


# --- survivors (pseudonymous) ---------------------------------------------------------------------


def survivors_visible_to(user: Any) -> QuerySet[Survivor]:
    """Survivors with at least one case the user may see, each with the ids of those cases only."""
    visible = policy.cases_visible_to(user)
    return (
        Survivor.objects.filter(pk__in=visible.values("survivor_id"))
        .prefetch_related(
            Prefetch("cases", queryset=policy.cases_visible_to(user).order_by("opened_at"), to_attr="visible_cases")
        )
        .order_by("-created_at", "id")
    )


class SurvivorListView(SintasAPIView):
    serializer_class = SurvivorSerializer

    def get_queryset(self) -> QuerySet[Survivor]:
        qs = survivors_visible_to(self.request.user)
        code = self.request.query_params.get("code")
        if code:
            qs = qs.filter(code=_code(code))
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
        _log(request, AccessLogEntry.What.API_SURVIVOR, survivor_id=survivor.pk)
        return Response(SurvivorSerializer(survivor).data)
