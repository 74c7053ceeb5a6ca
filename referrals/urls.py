"""Referral pages. URL keywords: case_id, referral_id (the 404 walker knows them)."""

from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("cases/<uuid:case_id>/referrals/new/", views.referral_new, name="new"),
    path("referrals/", views.inbox, name="inbox"),
    path("referrals/<uuid:referral_id>/", views.detail, name="detail"),
    path("referrals/<uuid:referral_id>/htcds.json", views.packet_htcds, name="htcds"),
    path("referrals/<uuid:referral_id>/accept/", views.accept, name="accept"),
    path("referrals/<uuid:referral_id>/decline/", views.decline, name="decline"),
    path("referrals/<uuid:referral_id>/start/", views.start, name="start"),
    path("referrals/<uuid:referral_id>/complete/", views.complete, name="complete"),
    path("referrals/<uuid:referral_id>/revoke/", views.revoke, name="revoke"),
]
