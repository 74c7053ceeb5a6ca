"""/api/v1/ referrals endpoints. URL keywords: case_id, referral_id (the 404 walker knows them)."""

from django.urls import path

from . import api

urlpatterns = [
    path("cases/<str:case_id>/referrals/", api.CaseReferralListView.as_view(), name="api-case-referrals"),
    path("referrals/", api.ReferralListView.as_view(), name="api-referral-list"),
    path("referrals/<str:referral_id>/", api.ReferralDetailView.as_view(), name="api-referral-detail"),
    path("referrals/<str:referral_id>/htcds/", api.ReferralHtcdsView.as_view(), name="api-referral-htcds"),
    path("referrals/<str:referral_id>/accept/", api.AcceptView.as_view(), name="api-referral-accept"),
    path("referrals/<str:referral_id>/decline/", api.DeclineView.as_view(), name="api-referral-decline"),
    path("referrals/<str:referral_id>/start/", api.StartView.as_view(), name="api-referral-start"),
    path("referrals/<str:referral_id>/complete/", api.CompleteView.as_view(), name="api-referral-complete"),
    path("referrals/<str:referral_id>/revoke/", api.RevokeView.as_view(), name="api-referral-revoke"),
]
