"""/api/v1/ partner directory endpoints. URL keyword: partner_id (the 404 walker knows it)."""

from django.urls import path

from . import api

urlpatterns = [
    path("partners/", api.PartnerListView.as_view(), name="api-partner-list"),
    path("partners/mine/", api.MyProfileView.as_view(), name="api-partner-mine"),
    path("partners/<int:partner_id>/", api.PartnerDetailView.as_view(), name="api-partner-detail"),
]
