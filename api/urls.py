"""/api/v1/. Every URL keyword is case_id, consent_id or survivor_id (the 404 walker relies on it)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from . import views
from .permissions import IsVerifiedUser

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="api-case-list"),
    path("cases/<str:case_id>/", views.CaseDetailView.as_view(), name="api-case-detail"),
    path("cases/<str:case_id>/transition/", views.CaseTransitionView.as_view(), name="api-case-transition"),
    path("cases/<str:case_id>/identity/", views.IdentityView.as_view(), name="api-case-identity"),
    path("cases/<str:case_id>/consents/", views.ConsentListView.as_view(), name="api-case-consents"),
    path(
        "cases/<str:case_id>/consents/<str:consent_id>/withdraw/",
        views.ConsentWithdrawView.as_view(),
        name="api-consent-withdraw",
    ),
    path("survivors/", views.SurvivorListView.as_view(), name="api-survivor-list"),
    path("survivors/<str:survivor_id>/", views.SurvivorDetailView.as_view(), name="api-survivor-detail"),
    # Each room's own endpoints (same policy, same services as its pages).
    path("", include("recovery.api_urls")),
    path("", include("plans.api_urls")),
    path("", include("care.api_urls")),
    path("", include("reintegration.api_urls")),
    path("", include("partners.api_urls")),
    path("", include("referrals.api_urls")),
    path("", include("transfers.api_urls")),
    path("", include("interop.api_urls")),
    path("", include("monitoring.api_urls")),
    path("", include("releases.api_urls")),
    path("", include("legal.api_urls")),
    # The OpenAPI schema: for signed-in, two-factor-verified users only.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsVerifiedUser]), name="api-schema"),
]
