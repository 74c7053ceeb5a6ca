"""/api/v1/ interoperability endpoints. URL keywords: case_id (the 404 walker knows it)."""

from django.urls import path

from . import api

urlpatterns = [
    path("interop/htcds/import/", api.HtcdsImportView.as_view(), name="api-htcds-import"),
    path("cases/<str:case_id>/htcds/", api.HtcdsExportView.as_view(), name="api-case-htcds"),
]
