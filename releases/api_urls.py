"""/api/v1/ public releases endpoints. URL keyword: release_id (the 404 walker knows it)."""

from django.urls import path

from . import api

urlpatterns = [
    path("releases/", api.ReleaseListView.as_view(), name="api-release-list"),
    path("releases/budget/", api.BudgetView.as_view(), name="api-release-budget"),
    path("releases/tables/", api.TableReleaseView.as_view(), name="api-release-table"),
    path("releases/dataset/", api.DatasetReleaseView.as_view(), name="api-release-dataset"),
    path("releases/dataset/check/", api.DatasetCheckView.as_view(), name="api-release-dataset-check"),
    path("releases/<str:release_id>/", api.ReleaseDetailView.as_view(), name="api-release-detail"),
    path("ctdc/reference/", api.CtdcReferenceView.as_view(), name="api-ctdc-reference"),
    path("simfoni/", api.SimfoniView.as_view(), name="api-simfoni"),
]
