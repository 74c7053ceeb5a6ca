"""The floor for ``bench/http.py``: the cheapest page Django can serve from the same database.

A bare Django view, no middleware, no context processors: it runs one indexed query through the
ORM (a case by its primary key, on an unmanaged model of the case table) and returns a small page
rendered from a template. It is its own settings, URLs and WSGI module
(``gunicorn bench.floor:application``) and never part of the product's URLs. The case file and
the caseload are measured against it, so the ratios hold on a noisy machine where times do not.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# --- settings (this module is DJANGO_SETTINGS_MODULE) -------------------------------------
DEBUG = False
SECRET_KEY = "bench-floor-not-a-secret"  # noqa: S105 (no sessions, no signing here)
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = __name__
INSTALLED_APPS = ["bench"]  # for the unmanaged model below; bench/ has no migrations
MIDDLEWARE: list[str] = []
USE_TZ = True
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": False}]
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL", default=f"sqlite:///{Path(os.environ.get('SINTAS_VAR_DIR', ROOT / 'var')) / 'sintas.sqlite3'}",
        conn_max_age=int(os.environ.get("SINTAS_DB_CONN_MAX_AGE") or 60),
    )
}

os.environ["DJANGO_SETTINGS_MODULE"] = __name__

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()  # sets Django up: the model and the URLs come after

from django.db import models  # noqa: E402
from django.http import Http404, HttpRequest, HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.urls import path  # noqa: E402


class FloorCase(models.Model):
    """The case table, read-only: only what the floor page shows."""

    id = models.UUIDField(primary_key=True)
    status = models.CharField(max_length=20)
    opened_at = models.DateTimeField()
    objects: models.Manager[FloorCase] = models.Manager()

    class Meta:
        app_label = "bench"
        managed = False
        db_table = "cases_case"

    def __str__(self) -> str:
        return str(self.pk)


PAGE = engines["django"].from_string(
    "<!doctype html><html lang=\"id\"><title>floor</title><p>{{ case.status }} {{ case.opened_at|date:\"j M Y\" }}</p>"
)


def floor(request: HttpRequest, case_id: str) -> HttpResponse:
    """One indexed query (the case by its primary key), a small page."""
    try:
        case = FloorCase.objects.only("status", "opened_at").get(pk=case_id)
    except FloorCase.DoesNotExist:
        raise Http404 from None
    return HttpResponse(PAGE.render({"case": case}))


urlpatterns = [path("floor/<uuid:case_id>/", floor)]
