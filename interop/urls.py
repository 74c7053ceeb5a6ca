"""Interoperability pages. URL keywords: case_id (the 404 walker knows it)."""

from django.urls import path

from . import views

app_name = "interop"

urlpatterns = [
    path("interop/import/", views.import_document, name="import"),
    path("cases/<uuid:case_id>/htcds/", views.export_case, name="export"),
]
