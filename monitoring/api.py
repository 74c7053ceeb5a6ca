"""Monitoring endpoints under /api/v1/: the indicator registry, and a dashboard's data for one of
the user's levels. Every number passes through ``monitoring.disclosure`` exactly as on the page:
hidden counts are null, never the value."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from api.base import INVALID, NOT_FOUND, SintasAPIView

from . import selectors
from .dashboard import EFFECTIVENESS_NOTE, dashboard_build
from .forms import DashboardForm
from .indicators import registry
from .models import Level
from .tasks import facts_refresh_soon
from .views import _params, _scope_label


class IndicatorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=["count", "share", "median", "sum"])
    group = serializers.CharField()
    source = serializers.CharField(help_text="The law or policy the indicator comes from.")  # type: ignore[assignment]
    period = serializers.CharField(help_text="How the period applies, in words.")
    disaggregations = serializers.ListField(child=serializers.CharField())


class TableSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    k = serializers.IntegerField(help_text="Counts below k (and their complements) are null.")
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.DictField(), help_text="code, label, cells (null: hidden), total")
    column_totals = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    total = serializers.IntegerField(allow_null=True)
    suppressed_symbol = serializers.CharField()


def _amounts(result: Any, i: int) -> dict[str, Any]:
    """A sum's row also gives its amount and part in rupiah (null where hidden)."""
    if result.indicator.kind != "sum":
        return {}
    found = result.sums[i] if i < len(result.sums) else None
    return {"amount": str(found[0]) if found else None, "part": str(found[1]) if found else None}


class IndicatorResultSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text=(
        "Count, percentage, median days, or for a sum the amount in rupiah (with a part: the percentage "
        "of the amount); null: hidden."))
    previous_value = serializers.FloatField(allow_null=True)
    breakdown = serializers.CharField(allow_null=True)
    rows = serializers.ListField(child=serializers.DictField(), help_text=(
        "label, value (null: hidden); for a sum also amount and part (rupiah, null: hidden)"))
    table = TableSerializer()


class EffectRowSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]
    n = serializers.IntegerField(allow_null=True)
    mean = serializers.FloatField(allow_null=True)
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)


class EffectTableSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    rows = EffectRowSerializer(many=True)


class DashboardSerializer(serializers.Serializer[Any]):
    level = serializers.CharField()
    scope = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    previous_start = serializers.DateField()
    previous_end = serializers.DateField()
    breakdown = serializers.CharField()
    k = serializers.IntegerField()
    legend = serializers.CharField()
    indicators = IndicatorResultSerializer(many=True)
    effectiveness = EffectTableSerializer(many=True)
    effectiveness_note = serializers.CharField()


class IndicatorListView(SintasAPIView):
    serializer_class = IndicatorSerializer
    pagination_class = None

    @extend_schema(summary="The indicator registry", responses={200: IndicatorSerializer(many=True), 404: NOT_FOUND})
    def get(self, request: Request) -> Response:
        if not selectors.scopes_for(request.user):
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        data = [{"code": i.code, "title": str(i.title), "kind": i.kind, "group": str(i.group), "source": str(i.source),
                 "period": str(i.period), "disaggregations": list(i.disaggregations)} for i in registry()]
        return Response(IndicatorSerializer(data, many=True).data)


LEVEL = OpenApiParameter("level", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=Level.values,
                         description="organisation, region or national (one the user holds).")
START = OpenApiParameter("start", OpenApiTypes.DATE, OpenApiParameter.QUERY, description="First day of the period.")
END = OpenApiParameter("end", OpenApiTypes.DATE, OpenApiParameter.QUERY, description="Last day of the period.")
REGION = OpenApiParameter("region", OpenApiTypes.STR, OpenApiParameter.QUERY,
                          description="Province (53) or regency/city (53.71) code within the user's scope.")
BREAKDOWN = OpenApiParameter("breakdown", OpenApiTypes.STR, OpenApiParameter.QUERY,
                             description="A disaggregation: sex, age_band, child, province, regency, nationality, "
                                         "exploitation, modus, organisation.")


class DashboardView(SintasAPIView):
    serializer_class = DashboardSerializer
    pagination_class = None

    @extend_schema(summary="A dashboard's data (disclosure-controlled)", parameters=[LEVEL, START, END, REGION, BREAKDOWN],
                   responses={200: DashboardSerializer, 400: INVALID, 404: NOT_FOUND})
    def get(self, request: Request) -> Response:
        level = request.query_params.get("level", Level.ORGANISATION)
        if level not in Level.values:
            return Response({"level": ["Unknown level."]}, status=status.HTTP_400_BAD_REQUEST)
        scope = selectors.scope_get_for_user(request.user, level)
        form = DashboardForm(request.query_params, scope=scope)
        if not form.is_valid():
            return Response(form.errors.get_json_data() and {k: [e["message"] for e in v] for k, v in
                                                              form.errors.get_json_data().items()},
                            status=status.HTTP_400_BAD_REQUEST)
        params, breakdown = _params(scope, form)
        board = dashboard_build(level=level, scope_label=_scope_label(scope, params), params=params,
                                breakdown=breakdown, with_charts=False)
        indicators = []
        for block in board.blocks:
            indicators.append({
                "code": block.indicator.code, "title": str(block.indicator.title), "kind": block.indicator.kind,
                "value": block.current.headline, "previous_value": block.previous.headline,
                "breakdown": block.current.breakdown,
                "rows": [{"label": label, "value": block.current.row_value(i), **_amounts(block.current, i)}
                         for i, label in enumerate(block.current.table.row_labels)],
                "table": block.current.table.as_dict(),
            })
        data = {
            "level": level, "scope": board.scope_label, "start": params.start, "end": params.end,
            "previous_start": params.previous().start, "previous_end": params.previous().end,
            "breakdown": breakdown, "k": board.k, "legend": board.legend, "indicators": indicators,
            "effectiveness": [{"title": t.title, "rows": [r.__dict__ for r in t.rows]} for t in board.effectiveness],
            "effectiveness_note": str(EFFECTIVENESS_NOTE),
        }
        response = Response(DashboardSerializer(data).data)
        facts_refresh_soon(response)  # after the response, never while the client waits
        return response
