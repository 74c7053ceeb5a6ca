"""/api/v1/: the URL root of the REST API, on top of every room (the interfaces layer).

It only includes each room's ``api_urls`` (same policy, same services as the room's pages) and the
OpenAPI schema; the API's base classes are below the rooms, in ``api``. Every URL keyword is
case_id, consent_id, survivor_id or a room's own ``<thing>_id`` (the 404 walker relies on it).
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from api.permissions import IsVerifiedUser

urlpatterns = [
    path("", include("cases.api_urls")),
    path("", include("survivors.api_urls")),
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
    path("", include("livelihood.api_urls")),
    path("", include("legal.api_urls")),
    path("", include("privacy.api_urls")),
    # The OpenAPI schema: for signed-in, two-factor-verified users only.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsVerifiedUser]), name="api-schema"),
]
