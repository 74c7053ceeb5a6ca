"""Reintegration endpoints under /api/v1/: close a case, list and record follow-ups, reopen.

Same policy and same services as the pages: the case comes through ``case_get_for_user`` (404
outside the user's scope), the follow-up through that case.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from access import policy
from access.policy import Action
from api.base import CASE_ID, INVALID, NOT_FOUND, SintasAPIView
from api.serializers import BlankChoicesKept
from cases.api import CaseSerializer
from cases.models import Case
from core import clock

from . import selectors, services
from .models import Closure, ClosureReason, ContactMode, FollowUp
from .risk import FACTOR_CODES, RiskAnswer

FOLLOW_UP_ID = OpenApiParameter("follow_up_id", OpenApiTypes.UUID, OpenApiParameter.PATH,
                                description="A follow-up visit of the case.")
STATES = ["upcoming", "due", "overdue", "done", "missed", "cancelled"]


# --- serializers ----------------------------------------------------------------------------------


@extend_schema_field({
    "type": "object",
    "properties": {code: {"type": "string", "enum": RiskAnswer.values} for code in FACTOR_CODES},
    "additionalProperties": False,
})
class RiskAnswersField(serializers.DictField):
    """{factor code: "yes" | "no" | "unknown"} for the factors of the re-trafficking risk screen.

    Values are checked by the service (one clear message per wrong answer), not here.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=serializers.CharField(allow_blank=True), **kwargs)


class FollowUpSerializer(BlankChoicesKept, serializers.ModelSerializer[FollowUp]):
    state = serializers.SerializerMethodField(help_text="upcoming, due (within 14 days), overdue, done, missed, "
                                                        "cancelled")
    risk_answers = RiskAnswersField(read_only=True)
    done_by: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = FollowUp
        fields = ["id", "closure", "months_after", "due_on", "status", "state", "done_on", "contact_mode", "notes",
                  "done_by", "recorded_at", "risk_answers", "risk_score", "risk_level"]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=STATES))
    def get_state(self, obj: FollowUp) -> str:
        return selectors.follow_up_state(obj, self.context.get("today"))


class ClosureSerializer(serializers.ModelSerializer[Closure]):
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Closure
        fields = ["id", "case", "reason", "note", "follow_up_declined", "restored_rule_met", "closed_by",
                  "closed_at", "reopened_at", "reopened_by", "reopen_reason", "follow_ups"]
        read_only_fields = fields


class CloseSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=ClosureReason.choices, allow_blank=True, required=False, default="")
    note = serializers.CharField(allow_blank=True, required=False, default="", trim_whitespace=False)
    follow_up_declined = serializers.BooleanField(required=False, default=False)


class ReopenSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(allow_blank=True, required=False, default="", trim_whitespace=False)


class FollowUpRecordSerializer(serializers.Serializer[Any]):
    done_on = serializers.DateField(required=False, allow_null=True, default=None)
    contact_mode = serializers.ChoiceField(choices=ContactMode.choices, allow_blank=True, required=False, default="")
    notes = serializers.CharField(allow_blank=True, required=False, default="", trim_whitespace=False)
    risk_answers = RiskAnswersField(
        help_text='Each factor "yes", "no" or "unknown"; young_at_first_trafficking may be left out (derived '
                  "from the survivor's record).",
    )


# --- views ----------------------------------------------------------------------------------------


def _closure_out(closure: Closure) -> dict[str, Any]:
    closure = Closure.objects.prefetch_related("follow_ups").get(pk=closure.pk)
    return dict(ClosureSerializer(closure, context={"today": clock.today()}).data)


def _case_out(case: Case) -> dict[str, Any]:
    fresh = Case.objects.select_related("survivor", "lead_organisation").prefetch_related("team_members").get(
        pk=case.pk)
    return dict(CaseSerializer(fresh).data)


class CaseCloseView(SintasAPIView):
    serializer_classes = {"POST": CloseSerializer}

    @extend_schema(
        summary="Close a case with a reason (and schedule follow-up visits)",
        description="Follow-up visits are scheduled at the configured months after closing, unless the survivor "
                    "declines follow-up or the reason is death.",
        parameters=[CASE_ID], request=CloseSerializer,
        responses={201: ClosureSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.EDIT)
        serializer = CloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        closure = services.case_close(actor=request.user, case=case, reason=d["reason"], note=d["note"],
                                      follow_up_declined=d["follow_up_declined"])
        return Response(_closure_out(closure), status=status.HTTP_201_CREATED)


class CaseReopenView(SintasAPIView):
    serializer_classes = {"POST": ReopenSerializer}

    @extend_schema(
        summary="Reopen a closed case (still-scheduled follow-ups are cancelled)",
        parameters=[CASE_ID], request=ReopenSerializer,
        responses={200: CaseSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.EDIT)
        serializer = ReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.case_reopen(actor=request.user, case=case, reason=serializer.validated_data["reason"])
        return Response(_case_out(case))


class FollowUpListView(SintasAPIView):
    pagination_class = None
    serializer_classes = {"GET": FollowUpSerializer}

    @extend_schema(
        summary="Follow-up visits of a case (every closure), with their state and risk screens",
        parameters=[CASE_ID], responses={200: FollowUpSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        follow_ups = selectors.follow_ups_of(case)
        return Response(FollowUpSerializer(follow_ups, many=True, context={"today": clock.today()}).data)


class FollowUpRecordView(SintasAPIView):
    serializer_classes = {"POST": FollowUpRecordSerializer}

    @extend_schema(
        summary="Record a follow-up visit with its re-trafficking risk screen",
        description="A high risk alerts the case's lead caseworker at once.",
        parameters=[CASE_ID, FOLLOW_UP_ID], request=FollowUpRecordSerializer,
        responses={200: FollowUpSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, case_id: str, follow_up_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.EDIT)
        follow_up = selectors.follow_up_get_for_case(case, follow_up_id)
        serializer = FollowUpRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        follow_up = services.follow_up_record(
            actor=request.user, case=case, follow_up=follow_up, done_on=d["done_on"], contact_mode=d["contact_mode"],
            notes=d["notes"], answers=dict(d["risk_answers"]),
        )
        return Response(FollowUpSerializer(follow_up, context={"today": clock.today()}).data)

