"""/api/v1/ case transfers endpoints. URL keywords: case_id, transfer_id (the 404 walker knows them)."""

from django.urls import path

from . import api

urlpatterns = [
    path("cases/<str:case_id>/transfers/", api.CaseTransferListView.as_view(), name="api-case-transfers"),
    path("transfers/incoming/", api.IncomingTransferListView.as_view(), name="api-transfers-incoming"),
    path("transfers/<str:transfer_id>/", api.TransferDetailView.as_view(), name="api-transfer-detail"),
    path("transfers/<str:transfer_id>/accept/", api.TransferAcceptView.as_view(), name="api-transfer-accept"),
    path("transfers/<str:transfer_id>/decline/", api.TransferDeclineView.as_view(), name="api-transfer-decline"),
    path("transfers/<str:transfer_id>/cancel/", api.TransferCancelView.as_view(), name="api-transfer-cancel"),
]
