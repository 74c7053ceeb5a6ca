"""/api/v1/ case endpoints. URL keyword: case_id (the 404 walker knows it)."""

from django.urls import path

from . import api

urlpatterns = [
    path("cases/", api.CaseListView.as_view(), name="api-case-list"),
    path("cases/<str:case_id>/", api.CaseDetailView.as_view(), name="api-case-detail"),
    path("cases/<str:case_id>/transition/", api.CaseTransitionView.as_view(), name="api-case-transition"),
]
