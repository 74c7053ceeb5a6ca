"""Assessments in the REST API (/api/v1/): the same services and access rules as the pages.

Screening answers and results (PHQ-9, GAD-7, PCL-5) are returned to the case team only; others
get ``null`` for ``answers`` and ``screening``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from access import policy
from access.policy import Action
from api.base import CASE_ID, INVALID, NOT_FOUND, SintasAPIView
from api.concurrency import ETAG, IF_MATCH, STALE_RESPONSES, request_version, version_input, with_etag
from api.serializers import BlankChoicesKept
from core.choices import Domain

from . import selectors, services
from .models import Answer, Assessment, AssessmentKind, Instrument, Item, Level
from .scoring import band_minimum

ASSESSMENT_ID = OpenApiParameter("assessment_id", OpenApiTypes.UUID, OpenApiParameter.PATH,
                                 description="An assessment of the case.")

# --- serializers ---------------------------------------------------------------------------------


def request_choice(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    """A choice field of a request body, documented by a pattern rather than a named enum: the
    same values already appear as an enum in the response component, and a second component
    holding them would make drf-spectacular's enum names collide (``kind`` recurs across rooms)."""
    values = [value for value, _label in choices]

    @extend_schema_field({"type": "string", "pattern": "^(" + "|".join(values) + ")$",
                          "description": "One of: " + ", ".join(values) + "."})
    class RequestChoiceField(serializers.ChoiceField):
        pass

    return RequestChoiceField(choices=choices, **kwargs)


class LevelSerializer(serializers.ModelSerializer[Level]):
    class Meta:
        model = Level
        fields = ["value", "text_id", "text_en"]
        read_only_fields = fields


class ItemSerializer(BlankChoicesKept, serializers.ModelSerializer[Item]):
    levels = LevelSerializer(many=True, read_only=True)

    class Meta:
        model = Item
        fields = ["number", "domain", "text_id", "text_en", "levels"]
        read_only_fields = fields


class OptionSerializer(serializers.Serializer[Any]):
    value = serializers.IntegerField()
    label_id = serializers.CharField()
    label_en = serializers.CharField()


class BandSerializer(serializers.Serializer[Any]):
    min = serializers.IntegerField(help_text="Lowest total in the band (a configured cut-off where one applies).")
    code = serializers.CharField()
    label_id = serializers.CharField()
    label_en = serializers.CharField()


class InstrumentSerializer(serializers.ModelSerializer[Instrument]):
    items = ItemSerializer(many=True, read_only=True)
    options = serializers.SerializerMethodField()
    bands = serializers.SerializerMethodField()

    class Meta:
        model = Instrument
        fields = ["code", "version", "name_id", "name_en", "kind", "scoring", "scale_min", "scale_max",
                  "instructions_id", "instructions_en", "options", "bands", "source", "items"]
        read_only_fields = fields

    @extend_schema_field(OptionSerializer(many=True))
    def get_options(self, obj: Instrument) -> list[dict[str, Any]]:
        return [{"value": o["value"], "label_id": o.get("label_id", ""), "label_en": o.get("label_en", "")}
                for o in obj.options]

    @extend_schema_field(BandSerializer(many=True))
    def get_bands(self, obj: Instrument) -> list[dict[str, Any]]:
        return [{"min": band_minimum(b), "code": b["code"], "label_id": b.get("label_id", ""),
                 "label_en": b.get("label_en", "")} for b in obj.bands]


class AnswerOutSerializer(serializers.Serializer[Any]):
    item = serializers.IntegerField(help_text="Item number.")
    value = serializers.IntegerField()


class DomainScoreOutSerializer(serializers.Serializer[Any]):
    domain = serializers.ChoiceField(choices=Domain.choices)
    score = serializers.DecimalField(max_digits=3, decimal_places=2)


class ScreeningOutSerializer(serializers.Serializer[Any]):
    total = serializers.IntegerField()
    band = serializers.CharField()
    band_label = serializers.CharField()
    flagged = serializers.BooleanField(help_text="An alert item (PHQ-9 item 9) was answered positively.")


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    instrument = serializers.CharField(source="instrument.code", read_only=True)
    instrument_version = serializers.IntegerField(source="instrument.version", read_only=True)
    answers = serializers.SerializerMethodField()
    domain_scores = serializers.SerializerMethodField()
    screening = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = ["id", "case", "instrument", "instrument_version", "kind", "assessed_on", "status",
                  "recorded_by", "created_at", "completed_at", "version", "restored", "answers",
                  "domain_scores", "screening"]
        read_only_fields = fields

    def _may_see(self, obj: Assessment) -> bool:
        return bool(self.context.get("see_screening" if obj.instrument.is_screening else "see_holistic"))

    @extend_schema_field(AnswerOutSerializer(many=True, allow_null=True))
    def get_answers(self, obj: Assessment) -> list[dict[str, int]] | None:
        if not self._may_see(obj):
            return None
        return sorted(({"item": a.item.number, "value": a.value} for a in obj.answers.all()),
                      key=lambda a: a["item"])

    @extend_schema_field(DomainScoreOutSerializer(many=True))
    def get_domain_scores(self, obj: Assessment) -> list[dict[str, Any]]:
        order = {d: i for i, d in enumerate(Domain.values)}
        return [{"domain": s.domain, "score": str(s.score)}
                for s in sorted(obj.domain_scores.all(), key=lambda s: order.get(s.domain, 99))]

    @extend_schema_field(ScreeningOutSerializer(allow_null=True))
    def get_screening(self, obj: Assessment) -> dict[str, Any] | None:
        if not self._may_see(obj):
            return None
        result = getattr(obj, "screening", None) if obj.instrument.is_screening else None
        if result is None:
            return None
        return {"total": result.total, "band": result.band, "band_label": result.band_label,
                "flagged": result.flagged}


ANSWERS_HELP = "Item number -> value (null clears an answer). Values outside the item's scale are refused."


class AssessmentCreateSerializer(serializers.Serializer[Any]):
    instrument = serializers.CharField(help_text="Instrument code, e.g. SHRS, PHQ-9, GAD-7, PCL-5.")
    instrument_version = serializers.IntegerField(required=False, allow_null=True, default=None,
                                                  help_text="Defaults to the newest active version.")
    kind = request_choice(AssessmentKind.choices)
    assessed_on = serializers.DateField()
    answers = serializers.DictField(child=serializers.IntegerField(allow_null=True), required=False, default=dict,
                                    help_text=ANSWERS_HELP)


class AssessmentUpdateSerializer(serializers.Serializer[Any]):
    version = version_input()
    assessed_on = serializers.DateField(required=False, allow_null=True, default=None)
    answers = serializers.DictField(child=serializers.IntegerField(allow_null=True), required=False, default=dict,
                                    help_text=ANSWERS_HELP)


# --- views ---------------------------------------------------------------------------------------


def _assessments(case: Any) -> QuerySet[Assessment]:
    return selectors.assessments_of(case).prefetch_related(
        Prefetch("answers", queryset=Answer.objects.select_related("item")), "domain_scores"
    )


def _context(request: Request, case: Any) -> dict[str, Any]:
    return {
        "see_holistic": policy.can(request.user, Action.VIEW, case),
        "see_screening": policy.can(request.user, Action.VIEW_IDENTITY, case),
    }


def _get(case: Any, assessment_id: Any) -> Assessment:
    try:
        return _assessments(case).get(pk=assessment_id)
    except (Assessment.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc


def _out(request: Request, case: Any, assessment: Assessment) -> dict[str, Any]:
    return AssessmentSerializer(_get(case, assessment.pk), context=_context(request, case)).data


class InstrumentListView(SintasAPIView):
    pagination_class = None
    serializer_class = InstrumentSerializer

    @extend_schema(summary="Assessment instruments in use, with items and level descriptions",
                   responses={200: InstrumentSerializer(many=True)})
    def get(self, request: Request) -> Response:
        if not policy.may_work_on_cases(request.user):
            return Response([])
        instruments = selectors.instruments_active().prefetch_related("items__levels")
        return Response(InstrumentSerializer(instruments, many=True).data)


class AssessmentListView(SintasAPIView):
    pagination_class = None
    serializer_classes = {"GET": AssessmentSerializer, "POST": AssessmentCreateSerializer}

    @extend_schema(summary="Assessments of a case, newest first", parameters=[CASE_ID],
                   responses={200: AssessmentSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        return Response(AssessmentSerializer(_assessments(case), many=True, context=_context(request, case)).data)

    @extend_schema(
        summary="Start an assessment (a draft, optionally with first answers)",
        parameters=[CASE_ID],
        request=AssessmentCreateSerializer,
        responses={201: AssessmentSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def post(self, request: Request, case_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        serializer = AssessmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        instruments = Instrument.objects.filter(code=d["instrument"], is_active=True).order_by("-version")
        if d["instrument_version"] is not None:
            instruments = instruments.filter(version=d["instrument_version"])
        instrument = instruments.first()
        if instrument is None:
            raise DrfValidationError({"instrument": [_("Unknown instrument.")]})
        assessment = services.assessment_start(actor=request.user, case=case, instrument=instrument, kind=d["kind"],
                                               assessed_on=d["assessed_on"], answers=d["answers"])
        return Response(_out(request, case, assessment), status=status.HTTP_201_CREATED)


class AssessmentDetailView(SintasAPIView):
    serializer_classes = {"GET": AssessmentSerializer, "PATCH": AssessmentUpdateSerializer}

    @extend_schema(summary="An assessment", parameters=[CASE_ID, ASSESSMENT_ID, ETAG],
                   responses={200: AssessmentSerializer, 404: NOT_FOUND})
    def get(self, request: Request, case_id: str, assessment_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        assessment = _get(case, assessment_id)
        return with_etag(Response(AssessmentSerializer(assessment, context=_context(request, case)).data),
                         assessment.version)

    @extend_schema(
        summary="Save draft answers (partial answers allowed)",
        description="Send the version you read (If-Match or `version`): a save based on an older version is "
                    "refused, nothing is saved.",
        parameters=[CASE_ID, ASSESSMENT_ID, IF_MATCH, ETAG],
        request=AssessmentUpdateSerializer,
        responses={200: AssessmentSerializer, 400: INVALID, 404: NOT_FOUND, **STALE_RESPONSES},
    )
    def patch(self, request: Request, case_id: str, assessment_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        assessment = _get(case, assessment_id)
        version = request_version(request)
        serializer = AssessmentUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        services.assessment_save_draft(actor=request.user, case=case, assessment=assessment, answers=d["answers"],
                                       assessed_on=d["assessed_on"], expected_version=version)
        data = _out(request, case, assessment)
        return with_etag(Response(data), data["version"])

    @extend_schema(summary="Discard a draft",
                   description="Send the version you read as If-Match: a draft saved since is not discarded.",
                   parameters=[CASE_ID, ASSESSMENT_ID, IF_MATCH],
                   responses={204: None, 400: INVALID, 404: NOT_FOUND, **STALE_RESPONSES})
    def delete(self, request: Request, case_id: str, assessment_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        assessment = _get(case, assessment_id)
        version = request_version(request)
        services.assessment_discard_draft(actor=request.user, case=case, assessment=assessment,
                                          expected_version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AssessmentCompleteView(SintasAPIView):
    serializer_classes = {"POST": AssessmentUpdateSerializer}

    @extend_schema(
        summary="Complete an assessment (scores computed and stored)",
        description="Screening instruments need every item answered; the holistic instrument at least one "
                    "item in each domain. A positive answer to PHQ-9 item 9 alerts the case psychologists "
                    "and the organisation's supervisors at once.",
        parameters=[CASE_ID, ASSESSMENT_ID, IF_MATCH, ETAG],
        request=AssessmentUpdateSerializer,
        responses={200: AssessmentSerializer, 400: INVALID, 404: NOT_FOUND, **STALE_RESPONSES},
    )
    def post(self, request: Request, case_id: str, assessment_id: str) -> Response:
        case = policy.case_get_for_user(request.user, case_id, Action.VIEW)
        assessment = _get(case, assessment_id)
        version = request_version(request)
        serializer = AssessmentUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        services.assessment_complete(actor=request.user, case=case, assessment=assessment, answers=d["answers"],
                                     assessed_on=d["assessed_on"], expected_version=version)
        data = _out(request, case, assessment)
        return with_etag(Response(data), data["version"])

