"""Privacy pages. URL keywords: linkage_id (privacy/tests/walk.py names it for the 404 walk)."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/linkage/", views.linkage_list, name="linkage_list"),
    path("privacy/linkage/mine/", views.linkage_mine, name="linkage_mine"),
    path("privacy/linkage/<uuid:linkage_id>/", views.linkage_detail, name="linkage_detail"),
    path("privacy/linkage/<uuid:linkage_id>/ignore/", views.linkage_ignore, name="linkage_ignore"),
    path("privacy/linkage/<uuid:linkage_id>/referral/", views.linkage_propose_referral, name="linkage_referral"),
    path("privacy/linkage/<uuid:linkage_id>/transfer/", views.linkage_propose_transfer, name="linkage_transfer"),
    path("privacy/probing/", views.probing, name="probing"),
]

# Break-the-glass (privacy/emergency.py). URL keyword: grant_id (privacy/tests/walk.py).
urlpatterns += [
    path("privacy/emergency/", views.emergency_open, name="emergency_open"),
    path("privacy/emergency/uses/", views.emergency_list, name="emergency_list"),
    path("privacy/emergency/<uuid:grant_id>/", views.emergency_detail, name="emergency_detail"),
    path("privacy/emergency/<uuid:grant_id>/review/", views.emergency_review, name="emergency_review"),
]
