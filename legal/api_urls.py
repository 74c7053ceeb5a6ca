"""/api/v1/cases/<case_id>/legal/... URL keywords: case_id, order_id (legal/tests/walk.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("cases/<str:case_id>/legal/", api.LegalSummaryView.as_view(), name="api-case-legal"),
    path("cases/<str:case_id>/legal/losses/", api.LossListView.as_view(), name="api-case-legal-losses"),
    path("cases/<str:case_id>/legal/orders/<int:order_id>/payments/", api.OrderPaymentListView.as_view(),
         name="api-legal-order-payments"),
]
