"""/api/v1/ monitoring and evaluation endpoints (no URL keywords)."""

from django.urls import URLPattern, path

from . import api

urlpatterns: list[URLPattern] = [
    path("monitoring/indicators/", api.IndicatorListView.as_view(), name="api-monitoring-indicators"),
    path("monitoring/dashboard/", api.DashboardView.as_view(), name="api-monitoring-dashboard"),
]
