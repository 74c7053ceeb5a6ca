from django.urls import include, path
from django.views.i18n import set_language

from cases.views import home

urlpatterns = [
    path("", home, name="home"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("cases/", include("cases.urls")),
    path("", include("recovery.urls")),
    path("", include("plans.urls")),
    path("", include("care.urls")),
    path("", include("reintegration.urls")),
    path("", include("partners.urls")),
    path("", include("referrals.urls")),
    path("", include("transfers.urls")),
    path("", include("interop.urls")),
    path("", include("monitoring.urls")),
    path("", include("releases.urls")),
    path("", include("privacy.urls")),
    path("", include("livelihood.urls")),
    path("", include("legal.urls")),
    path("api/v1/", include("sintas.api_urls")),
]

# Friendly pages (JSON under /api/) that need no database; 503 when the database is unreachable.
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
