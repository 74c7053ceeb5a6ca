"""/api/v1/ identity, consent and survivor endpoints. URL keywords: case_id, consent_id, survivor_id
(the 404 walker knows them)."""

from django.urls import path

from . import api

urlpatterns = [
    path("cases/<str:case_id>/identity/", api.IdentityView.as_view(), name="api-case-identity"),
    path("cases/<str:case_id>/consents/", api.ConsentListView.as_view(), name="api-case-consents"),
    path(
        "cases/<str:case_id>/consents/<str:consent_id>/withdraw/",
        api.ConsentWithdrawView.as_view(),
        name="api-consent-withdraw",
    ),
    path("survivors/", api.SurvivorListView.as_view(), name="api-survivor-list"),
    path("survivors/<str:survivor_id>/", api.SurvivorDetailView.as_view(), name="api-survivor-detail"),
]
