"""Monitoring and evaluation pages. URL keyword: report_id (the 404 walker knows them);
the level and the download format are fixed per pattern, not keywords."""

from django.urls import URLPattern, path

from . import views

app_name = "monitoring"

urlpatterns: list[URLPattern] = [
    path("monitoring/", views.index, name="index"),
    path("monitoring/scopes/", views.scopes, name="scopes"),
    path("monitoring/reports/<uuid:report_id>/", views.report_detail, name="report_detail"),
    path("monitoring/reports/<uuid:report_id>/report.pdf", views.report_download, {"fmt": "pdf"},
         name="report_pdf"),
    path("monitoring/reports/<uuid:report_id>/report.xlsx", views.report_download, {"fmt": "xlsx"},
         name="report_xlsx"),
]

for _level in ("organisation", "region", "national"):
    urlpatterns += [
        path(f"monitoring/{_level}/", views.dashboard, {"level": _level}, name=f"dashboard_{_level}"),
        path(f"monitoring/{_level}/dashboard.csv", views.download, {"level": _level, "fmt": "csv"},
             name=f"download_{_level}_csv"),
        path(f"monitoring/{_level}/dashboard.xlsx", views.download, {"level": _level, "fmt": "xlsx"},
             name=f"download_{_level}_xlsx"),
        path(f"monitoring/{_level}/reports/", views.reports, {"level": _level}, name=f"reports_{_level}"),
    ]
