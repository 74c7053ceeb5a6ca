"""Public releases pages. URL keyword: release_id (the 404 walker knows it, see tests/walk.py)."""

from django.urls import path

from . import views

app_name = "releases"

urlpatterns = [
    path("releases/", views.index, name="index"),
    path("releases/tables/new/", views.table_new, name="table_new"),
    path("releases/dataset/", views.dataset, name="dataset"),
    path("releases/ledger/", views.ledger, name="ledger"),
    path("releases/<uuid:release_id>/", views.detail, name="detail"),
    path("releases/<uuid:release_id>/download.csv", views.download, {"fmt": "csv"}, name="download_csv"),
    path("releases/<uuid:release_id>/download.xlsx", views.download, {"fmt": "xlsx"}, name="download_xlsx"),
    path("releases/<uuid:release_id>/report.csv", views.download, {"fmt": "report.csv"}, name="report_csv"),
    path("simfoni/", views.simfoni_export, name="simfoni"),
]
