"""/api/v1/ linkage requests. URL keyword: linkage_id (the 404 walker knows it, privacy/tests/walk.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("linkage/", api.LinkageListView.as_view(), name="api-linkage-list"),
    path("linkage/<str:linkage_id>/", api.LinkageDetailView.as_view(), name="api-linkage-detail"),
    path("linkage/<str:linkage_id>/decide/", api.LinkageDecideView.as_view(), name="api-linkage-decide"),
]
