"""Case transfers pages. URL keywords: case_id, transfer_id (the 404 walker knows them)."""

from django.urls import path

from . import views

app_name = "transfers"

urlpatterns = [
    path("cases/<uuid:case_id>/transfer/", views.propose, name="propose"),
    path("transfers/incoming/", views.incoming, name="incoming"),
    path("transfers/transferred/", views.transferred, name="transferred"),
    path("transfers/<uuid:transfer_id>/", views.detail, name="detail"),
    path("transfers/<uuid:transfer_id>/accept/", views.accept, name="accept"),
    path("transfers/<uuid:transfer_id>/decline/", views.decline, name="decline"),
    path("transfers/<uuid:transfer_id>/cancel/", views.cancel, name="cancel"),
    path("transfers/<uuid:transfer_id>/records/", views.records, name="records"),
]
