"""/api/v1/cases/<case_id>/legal/... URL keywords: case_id and the room's own ids (legal/tests/walk.py)."""

from django.urls import path

from . import api

_c = "cases/<str:case_id>/legal/"
_p = f"{_c}proceedings/<int:proceeding_id>/"

urlpatterns = [
    path(_c, api.LegalSummaryView.as_view(), name="api-case-legal"),
    path(f"{_c}losses/", api.LossListView.as_view(), name="api-case-legal-losses"),
    path(f"{_c}losses/prefill/", api.LossPrefillView.as_view(), name="api-case-legal-losses-prefill"),
    path(f"{_c}orders/<int:order_id>/payments/", api.OrderPaymentListView.as_view(),
         name="api-legal-order-payments"),
    path(f"{_c}payments/<int:payment_id>/corrections/", api.PaymentCorrectionView.as_view(),
         name="api-legal-payment-corrections"),
    path(f"{_c}proceedings/", api.ProceedingListView.as_view(), name="api-case-legal-proceedings"),
    path(_p, api.ProceedingDetailView.as_view(), name="api-legal-proceeding-detail"),
    path(f"{_p}stages/", api.StageListView.as_view(), name="api-legal-proceeding-stages"),
    path(f"{_p}parties/", api.PartyListView.as_view(), name="api-legal-proceeding-parties"),
    path(f"{_p}hearings/", api.HearingListView.as_view(), name="api-legal-proceeding-hearings"),
    path(f"{_p}claims/", api.ClaimListView.as_view(), name="api-legal-proceeding-claims"),
    path(f"{_p}orders/", api.OrderListView.as_view(), name="api-legal-proceeding-orders"),
    path(f"{_c}hearings/<int:hearing_id>/", api.HearingDetailView.as_view(), name="api-legal-hearing-detail"),
    path(f"{_c}claims/<int:claim_id>/pdf/", api.ClaimPdfView.as_view(), name="api-legal-claim-pdf"),
    path(f"{_c}lpsk/", api.LpskListView.as_view(), name="api-case-legal-lpsk"),
    path(f"{_c}lpsk/<int:lpsk_id>/decision/", api.LpskDecisionView.as_view(), name="api-legal-lpsk-decision"),
]
