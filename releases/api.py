"""/api/v1/ endpoints of the releases room: the privacy budget and ledger, DP table releases, the
CTDC-shaped data set (check and release), released content, the CTDC reference summary, and the
SIMFONI-PPA export.

Same rules and service functions as the pages: who may release or export is checked first
(access.releases), and anyone else gets 404, as for a route that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from access.releases import may_export_simfoni, may_release
from api.base import INVALID, NOT_FOUND, SintasAPIView

from . import selectors, services, simfoni
from .downloads import read_csv
from .models import PrivacyLedgerEntry, Release
from .tables import TABLES

FORBIDDEN = OpenApiResponse(description="Your role may not make public releases.")
RELEASE_ID = OpenApiParameter("release_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="A release.")


def _releaser(request: Request) -> None:
    if not may_release(request.user):
        raise Http404


def _may_write(request: Request) -> None:
    """Making a release: a role that may not is told so (as registering a survivor is); reading
    releases answers 404 instead, so no release's existence is told."""
    if not may_release(request.user):
        raise PermissionDenied(_("Your role may not make public releases."))


# --- serializers -----------------------------------------------------------------------------------------


class PeriodSerializer(serializers.Serializer[Any]):
    period_start = serializers.DateField()
    period_end = serializers.DateField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["period_end"] < attrs["period_start"]:
            raise serializers.ValidationError({"period_end": [_("The period ends before it starts.")]})
        return attrs


class TableReleaseSerializer(PeriodSerializer):
    table = serializers.ChoiceField(choices=list(TABLES))
    epsilon = serializers.DecimalField(max_digits=8, decimal_places=4, required=False,
                                       help_text="Privacy loss to spend (default SINTAS_DP_RELEASE_EPSILON).")


class ReleaseSerializer(serializers.ModelSerializer[Release]):
    created_by_name = serializers.CharField(source="created_by.display_name", read_only=True)
    # A plain string, so the schema's other "kind" enums are not confused with this one.
    kind = serializers.CharField(read_only=True, help_text="`dp_table` or `dataset`.")

    class Meta:
        model = Release
        fields = ["id", "kind", "table", "period_start", "period_end", "epsilon", "row_count", "created_at",
                  "created_by_name"]
        read_only_fields = fields


class ReleaseDetailSerializer(ReleaseSerializer):
    report = serializers.JSONField(read_only=True)
    rows = serializers.SerializerMethodField(help_text="The released table or records: a header row, then rows.")

    class Meta(ReleaseSerializer.Meta):
        fields = [*ReleaseSerializer.Meta.fields, "report", "rows"]
        read_only_fields = fields

    def get_rows(self, obj: Release) -> list[list[str]]:
        return read_csv(obj.content)


class LedgerEntrySerializer(serializers.ModelSerializer[PrivacyLedgerEntry]):
    class Meta:
        model = PrivacyLedgerEntry
        fields = ["release", "epsilon", "mechanism", "sensitivity", "scale", "total_after", "spent_at"]
        read_only_fields = fields


class BudgetSerializer(serializers.Serializer[Any]):
    total = serializers.DecimalField(max_digits=10, decimal_places=4)
    spent = serializers.DecimalField(max_digits=10, decimal_places=4)
    remaining = serializers.DecimalField(max_digits=10, decimal_places=4)
    default = serializers.DecimalField(max_digits=10, decimal_places=4)
    max_per_release = serializers.DecimalField(max_digits=10, decimal_places=4)
    ledger = LedgerEntrySerializer(many=True)


class DatasetCheckSerializer(serializers.Serializer[Any]):
    before = serializers.JSONField(help_text="k-anonymity / l-diversity report before suppression.")
    after = serializers.JSONField(help_text="The same after suppressing violating classes.")
    suppressed_records = serializers.IntegerField()
    suppressed_share = serializers.FloatField()
    max_suppressed_share = serializers.FloatField()
    releasable = serializers.BooleanField()
    problem = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()


class CtdcReferenceSerializer(serializers.Serializer[Any]):
    file = serializers.JSONField(help_text="The imported CTDC file: name, shape, rows, SHA-256, import time.")
    attribution = serializers.CharField()
    k = serializers.IntegerField()
    total = serializers.IntegerField(allow_null=True)
    tables = serializers.JSONField(help_text="sex, age_band, exploitation: counts below k are null.")


class SimfoniSerializer(serializers.Serializer[Any]):
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


# --- views ----------------------------------------------------------------------------------------------


class ReleaseListView(SintasAPIView):
    serializer_class = ReleaseSerializer

    @extend_schema(summary="Public releases made (releasers only)", responses={200: ReleaseSerializer(many=True),
                                                                              404: NOT_FOUND})
    def get(self, request: Request) -> Response:
        _releaser(request)
        page = self.paginate_queryset(selectors.releases())
        return self.get_paginated_response(ReleaseSerializer(page, many=True).data)


class ReleaseDetailView(SintasAPIView):
    serializer_class = ReleaseDetailSerializer

    @extend_schema(summary="A release: what was published and its disclosure report", parameters=[RELEASE_ID],
                   responses={200: ReleaseDetailSerializer, 404: NOT_FOUND})
    def get(self, request: Request, release_id: str) -> Response:
        _releaser(request)
        return Response(ReleaseDetailSerializer(selectors.release_get(release_id)).data)


class BudgetView(SintasAPIView):
    serializer_class = BudgetSerializer

    @extend_schema(summary="The privacy budget (epsilon) and its ledger", responses={200: BudgetSerializer,
                                                                                     404: NOT_FOUND})
    def get(self, request: Request) -> Response:
        _releaser(request)
        data = {**selectors.budget_state(), "ledger": list(selectors.ledger()[:500])}
        return Response(BudgetSerializer(data).data)


class TableReleaseView(SintasAPIView):
    serializer_class = TableReleaseSerializer

    @extend_schema(summary="Release a table with differential privacy, spending epsilon",
                   request=TableReleaseSerializer, responses={201: ReleaseDetailSerializer, 400: INVALID,
                                                              403: FORBIDDEN})
    def post(self, request: Request) -> Response:
        _may_write(request)
        serializer = TableReleaseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        release = services.release_table(actor=request.user, table=d["table"], period_start=d["period_start"],
                                         period_end=d["period_end"], epsilon=d.get("epsilon"))
        return Response(ReleaseDetailSerializer(release).data, status=status.HTTP_201_CREATED)


class DatasetCheckView(SintasAPIView):
    serializer_class = DatasetCheckSerializer

    @extend_schema(summary="k-anonymity and l-diversity of the CTDC-shaped data set of a period",
                   parameters=[OpenApiParameter("period_start", OpenApiTypes.DATE, required=True),
                               OpenApiParameter("period_end", OpenApiTypes.DATE, required=True)],
                   responses={200: DatasetCheckSerializer, 400: INVALID, 404: NOT_FOUND})
    def get(self, request: Request) -> Response:
        _releaser(request)
        period = PeriodSerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        check = services.dataset_check(period.validated_data["period_start"], period.validated_data["period_end"])
        check.pop("records")
        return Response(DatasetCheckSerializer(check).data)


class DatasetReleaseView(SintasAPIView):
    serializer_class = PeriodSerializer

    @extend_schema(summary="Release the CTDC-shaped record-level data set of a period",
                   request=PeriodSerializer, responses={201: ReleaseDetailSerializer, 400: INVALID, 403: FORBIDDEN})
    def post(self, request: Request) -> Response:
        _may_write(request)
        serializer = PeriodSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        release = services.release_dataset(actor=request.user, period_start=d["period_start"],
                                           period_end=d["period_end"])
        return Response(ReleaseDetailSerializer(release).data, status=status.HTTP_201_CREATED)


class CtdcReferenceView(SintasAPIView):
    serializer_class = CtdcReferenceSerializer

    @extend_schema(summary="CTDC global reference figures (disclosure-controlled), if CTDC data was imported",
                   responses={200: CtdcReferenceSerializer, 404: NOT_FOUND})
    def get(self, request: Request) -> Response:
        summary = selectors.ctdc_reference_summary()
        if summary is None:
            raise Http404
        data = {**summary, "tables": {key: table.as_dict() for key, table in summary["tables"].items()}}
        data["file"] = {**summary["source"], "imported_at": summary["source"]["imported_at"].isoformat()}
        return Response(CtdcReferenceSerializer(data).data)


class SimfoniView(SintasAPIView):
    serializer_class = SimfoniSerializer

    @extend_schema(summary="SIMFONI-PPA rows of your organisation's TPPO cases (access-logged) [verify]",
                   parameters=[OpenApiParameter("region", OpenApiTypes.STR, required=True,
                                                description="Your organisation's region or a kabupaten/kota in it."),
                               OpenApiParameter("period_start", OpenApiTypes.DATE, required=True),
                               OpenApiParameter("period_end", OpenApiTypes.DATE, required=True)],
                   responses={200: SimfoniSerializer, 400: INVALID, 404: NOT_FOUND})
    def get(self, request: Request) -> Response:
        user: Any = request.user
        if not may_export_simfoni(user):
            raise Http404
        period = PeriodSerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        code = request.query_params.get("region", "")
        region = simfoni.allowed_regions(user.organisation).filter(code=code).first()
        if region is None:
            raise serializers.ValidationError({"region": [_("Unknown region, or not your organisation's.")]})
        cases = list(simfoni.cases_for_export(user.organisation, region, period.validated_data["period_start"],
                                              period.validated_data["period_end"]))
        services.simfoni_export_logged(user=user, cases=cases, request=request._request)
        rows = simfoni.rows_for_export(cases)
        return Response(SimfoniSerializer({"columns": rows[0], "rows": rows[1:]}).data)
