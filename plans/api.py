"""The plan and phase endpoints under /api/v1/cases/<case_id>/.

Same policy and services as the pages. The serializers only check types and shapes; every rule
(a goal needs a domain, an action a description and a responsible organisation, a new action's
target date is not in the past...) lives in plans.services, whose errors come back as dotted field
paths: ``{"goals.0.actions.1.target_date": ["..."]}``.

Concurrency: a PUT carries the ``version`` it was based on. If someone saved since, the answer is
409 with the plan as saved now and a per-field comparison; nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from access import policy
from access.policy import Action
from api.base import SintasAPIView
from api.concurrency import (
    ETAG,
    IF_MATCH,
    STALE_RESPONSES,
    request_version,
    stale_version_response,
    version_input,
    with_etag,
)
from audit.models import AccessLogEntry
from audit.services import access_log_write
from cases.models import Case
from core.choices import Domain

from . import selectors, services
from .documents import plan_document, plan_goals
from .models import ActionStatus, GoalStatus, Phase, PhaseChange, PlanRevision, RevisionStatus

CASE_ID = OpenApiParameter("case_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The case's id.")
NOT_FOUND = OpenApiResponse(description="Not found, or outside your scope (the two are not told apart).")
INVALID = OpenApiResponse(description="Invalid input: an object of field name or path -> list of messages.")
FORBIDDEN = OpenApiResponse(description="You may see the case but not do this (for example: only a supervisor of "
                                        "the lead organisation approves a plan).")


# --- serializers -----------------------------------------------------------------------------------


class PlanActionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(required=False, allow_null=True, default=None,
                                  help_text="An existing action of this goal; leave out for a new action.")
    description = serializers.CharField(allow_blank=True, required=False, default="", trim_whitespace=False)
    responsible_organisation_id = serializers.IntegerField(allow_null=True, required=False, default=None)
    responsible_organisation_name = serializers.CharField(read_only=True)
    responsible_user_id = serializers.IntegerField(
        allow_null=True, required=False, default=None, help_text="A user of the responsible organisation.")
    responsible_user_name = serializers.CharField(read_only=True)
    responsible_name = serializers.CharField(allow_blank=True, required=False, default="", max_length=200,
                                             help_text="A person without a Sintas account.")
    target_date = serializers.DateField(allow_null=True, required=False, default=None)
    # Plain strings, not enums: the schema's enum names must not collide with other rooms' "status".
    status = serializers.CharField(required=False, default=ActionStatus.OPEN,
                                   help_text="One of: " + ", ".join(ActionStatus.values))


class PlanGoalSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(required=False, allow_null=True, default=None,
                                  help_text="An existing goal of this plan; leave out for a new goal.")
    domain = serializers.CharField(allow_blank=True, required=False, default="",
                                   help_text="One of: " + ", ".join(Domain.values))
    description = serializers.CharField(allow_blank=True, required=False, default="", trim_whitespace=False)
    status = serializers.CharField(required=False, default=GoalStatus.OPEN,
                                   help_text="One of: " + ", ".join(GoalStatus.values))
    actions = PlanActionSerializer(many=True, required=False, default=list)


class PlanDocumentSerializer(serializers.Serializer[Any]):
    """The content of a plan (also the shape of every revision snapshot)."""

    priorities = serializers.CharField(allow_blank=True)
    goals = PlanGoalSerializer(many=True)


class PlanSerializer(PlanDocumentSerializer):
    case_id = serializers.UUIDField()
    version = serializers.IntegerField(help_text="Send it back with a PUT (optimistic concurrency).")
    status = serializers.CharField(allow_null=True, help_text="Approval status of the current revision (one of: "
                                   + ", ".join(RevisionStatus.values) + "); null before the first save.")
    revision = serializers.IntegerField(allow_null=True, help_text="Number of the current revision.")
    approved_revision = serializers.IntegerField(allow_null=True, help_text="Number of the last approved revision.")


class PlanUpdateSerializer(serializers.Serializer[Any]):
    version = version_input()
    priorities = serializers.CharField(allow_blank=True, trim_whitespace=False,
                                       help_text="The survivor's own priorities, in their own words.")
    goals = PlanGoalSerializer(many=True, required=False, default=list,
                               help_text="Goals with an id change those; without, they are new. Goals and actions "
                                         "left out stay as they are (nothing is deleted: drop or cancel instead).")


class DifferenceSerializer(serializers.Serializer[Any]):
    where = serializers.CharField()
    field = serializers.CharField()
    saved = serializers.CharField()
    yours = serializers.CharField()


class PlanConflictSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    version = serializers.IntegerField(help_text="The version saved now.")
    current = PlanDocumentSerializer()
    differences = DifferenceSerializer(many=True)


class RevisionRefSerializer(serializers.Serializer[Any]):
    revision = serializers.IntegerField(help_text="The number of the revision you looked at.")


class DecisionSerializer(RevisionRefSerializer):
    comment = serializers.CharField(allow_blank=True, required=False, default="", trim_whitespace=False)


class PlanRevisionSerializer(serializers.ModelSerializer[PlanRevision]):
    status = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(RevisionStatus.values))
    author_name = serializers.CharField(source="author.display_name", read_only=True)
    decided_by_name = serializers.SerializerMethodField()
    snapshot = serializers.SerializerMethodField()

    class Meta:
        model = PlanRevision
        fields = ["id", "number", "status", "author", "author_name", "created_at", "submitted_by", "submitted_at",
                  "decided_by", "decided_by_name", "decided_at", "decision_comment", "snapshot"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decided_by_name(self, obj: PlanRevision) -> str | None:
        return obj.decided_by.display_name if obj.decided_by else None

    @extend_schema_field(PlanDocumentSerializer)
    def get_snapshot(self, obj: PlanRevision) -> dict[str, Any]:
        snapshot: dict[str, Any] = obj.snapshot  # a JSONField: the document as saved
        return snapshot


class PhaseChangeSerializer(serializers.ModelSerializer[PhaseChange]):
    phase = serializers.CharField(read_only=True, help_text="One of: " + ", ".join(Phase.values))
    changed_by_name = serializers.CharField(source="changed_by.display_name", read_only=True)

    class Meta:
        model = PhaseChange
        fields = ["id", "phase", "reason", "changed_by", "changed_by_name", "changed_at"]
        read_only_fields = fields


class PhaseSerializer(serializers.Serializer[Any]):
    current = PhaseChangeSerializer(allow_null=True)
    history = PhaseChangeSerializer(many=True)


class PhaseInputSerializer(serializers.Serializer[Any]):
    phase = serializers.ChoiceField(choices=Phase.choices)
    reason = serializers.CharField(allow_blank=True, trim_whitespace=False)
    version = version_input()


# --- views -----------------------------------------------------------------------------------------


def _plan_data(case: Case) -> dict[str, Any]:
    plan = selectors.plan_for_case(case)
    document = plan_document(plan, plan_goals(plan))
    return {
        "case_id": case.pk,
        "version": plan.version if plan else 0,
        "status": getattr(plan, "current_status", None),
        "revision": getattr(plan, "current_number", None),
        "approved_revision": getattr(plan, "approved_number", None),
        **document,
    }


def _inputs(d: dict[str, Any]) -> services.PlanInput:
    return services.PlanInput(
        priorities=d.get("priorities") or "",
        goals=[
            services.GoalInput(
                id=g.get("id"), domain=g.get("domain") or "", description=g.get("description") or "",
                status=g.get("status") or GoalStatus.OPEN,
                actions=[services.ActionInput(
                    id=a.get("id"), description=a.get("description") or "",
                    responsible_organisation_id=a.get("responsible_organisation_id"),
                    responsible_user_id=a.get("responsible_user_id"),
                    responsible_name=a.get("responsible_name") or "", target_date=a.get("target_date"),
                    status=a.get("status") or ActionStatus.OPEN,
                ) for a in g.get("actions") or []],
            )
            for g in d.get("goals") or []
        ],
    )


def _log(request: Request, case: Case) -> None:
    access_log_write(user=request.user, what=AccessLogEntry.What.API_CASE, case_id=case.pk,
                     survivor_id=case.survivor_id, request=request._request)


class PlanView(SintasAPIView):
    serializer_classes = {"GET": PlanSerializer, "PUT": PlanUpdateSerializer}

    @extend_schema(summary="The case's rehabilitation plan", parameters=[CASE_ID, ETAG],
                   responses={200: PlanSerializer, 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        _log(request, case)
        data = PlanSerializer(_plan_data(case)).data
        return with_etag(Response(data), data["version"])

    @extend_schema(
        summary="Save the plan (a new draft revision when anything changed)",
        description="Send the version you read (If-Match or `version`). If the plan was saved since, the answer is "
                    "409 (`version`) or 412 (If-Match) with the plan as saved now and the differences; nothing is "
                    "saved. An approved plan that is changed needs approval again.",
        parameters=[CASE_ID, IF_MATCH, ETAG],
        request=PlanUpdateSerializer,
        responses={200: PlanSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND, **STALE_RESPONSES,
                   409: PlanConflictSerializer, 412: PlanConflictSerializer},
    )
    def put(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        version = request_version(request)
        serializer = PlanUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.plan_save(actor=request.user, case=case, version=version,
                               data=_inputs(serializer.validated_data))
        except services.NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except services.PlanConflict as exc:
            body = {
                "detail": str(_conflict_message()),
                "version": exc.version,
                "current": exc.current,
                "differences": exc.differences,
            }
            stale = stale_version_response(exc, request)  # 409 or 412, as for every record
            return with_etag(Response(PlanConflictSerializer(body).data, status=stale.status_code), exc.version)
        data = PlanSerializer(_plan_data(case)).data
        return with_etag(Response(data), data["version"])


def _conflict_message() -> str:
    return _("Someone else saved this plan after the version you sent. Nothing was saved.")


class PlanSubmitView(SintasAPIView):
    serializer_classes = {"POST": RevisionRefSerializer}

    @extend_schema(summary="Submit the current revision for a supervisor's approval", parameters=[CASE_ID],
                   request=RevisionRefSerializer,
                   responses={200: PlanSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        serializer = RevisionRefSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.plan_submit(actor=request.user, case=case, revision=serializer.validated_data["revision"])
        except services.NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        return Response(PlanSerializer(_plan_data(case)).data)


class _DecisionView(SintasAPIView):
    serializer_classes = {"POST": DecisionSerializer}
    approve = True

    def post(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decide = services.plan_approve if self.approve else services.plan_return
        try:
            decide(actor=request.user, case=case, revision=serializer.validated_data["revision"],
                   comment=serializer.validated_data["comment"])
        except services.NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        return Response(PlanSerializer(_plan_data(case)).data)


class PlanApproveView(_DecisionView):
    approve = True

    @extend_schema(summary="Approve the submitted revision (supervisors of the lead organisation)",
                   parameters=[CASE_ID], request=DecisionSerializer,
                   responses={200: PlanSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str) -> Response:
        return super().post(request, case_id)


class PlanReturnView(_DecisionView):
    approve = False

    @extend_schema(summary="Return the submitted revision for changes, with a comment (supervisors)",
                   parameters=[CASE_ID], request=DecisionSerializer,
                   responses={200: PlanSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request: Request, case_id: str) -> Response:
        return super().post(request, case_id)


class PlanRevisionListView(SintasAPIView):
    pagination_class = None
    serializer_classes = {"GET": PlanRevisionSerializer}

    @extend_schema(summary="Every revision of the plan, newest first, with its content", parameters=[CASE_ID],
                   responses={200: PlanRevisionSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        _log(request, case)
        revisions = selectors.revisions_for(selectors.plan_for_case(case)).order_by("-number")
        return Response(PlanRevisionSerializer(revisions, many=True).data)


class PhaseView(SintasAPIView):
    serializer_classes = {"GET": PhaseSerializer, "POST": PhaseInputSerializer}

    @extend_schema(summary="The case's trauma-informed phase and its history",
                   description="The ETag is the number of recorded changes of phase (0 before the first).",
                   parameters=[CASE_ID, ETAG], responses={200: PhaseSerializer, 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        history = selectors.phase_history(case, limit=200)
        body = PhaseSerializer({"current": history[0] if history else None, "history": history}).data
        return with_etag(Response(body), services.phase_version(case))

    @extend_schema(summary="Record a change of phase, with its reason",
                   description="Send the phase's version you read (If-Match or `version`): a decision made "
                               "before someone else recorded another one is refused, nothing is recorded.",
                   parameters=[CASE_ID, IF_MATCH, ETAG], request=PhaseInputSerializer,
                   responses={201: PhaseChangeSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND,
                              **STALE_RESPONSES})
    def post(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        version = request_version(request)
        serializer = PhaseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            change = services.phase_change(actor=request.user, case=case, phase=serializer.validated_data["phase"],
                                           reason=serializer.validated_data["reason"], version=version)
        except services.NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        response = Response(PhaseChangeSerializer(change).data, status=status.HTTP_201_CREATED)
        return with_etag(response, services.phase_version(case))
