"""Error answers that never need the database: friendly pages, JSON for the API, 503 for an outage.

Django's error handlers (``handler404`` ... ``handler500`` in ``sintas.urls``) and
``core.middleware.DatabaseUnavailableMiddleware`` come here. The pages are rendered without the
request (no context processors: they would read the signed-in user, the menu and messages from
the database that may be what just failed), in the language the request had already chosen.

A database that cannot be reached (a restart, a refused or dropped connection, SQLite locked for
too long) is not a bug in the request: it answers 503 with ``Retry-After``, and the broken
connection is closed so that the next request opens a fresh one by itself.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Seconds a client should wait before trying again: a PostgreSQL restart takes a few seconds;
# a minute is what the page tells people.
RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)


def is_api(request: HttpRequest | None) -> bool:
    return request is not None and request.path.startswith("/api/")


def error_page(template: str, status: int) -> HttpResponse:
    body = loader.get_template(template).render({"status": status})
    response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def error_json(detail: str, status: int) -> JsonResponse:
    """The shape every other API error has (``api.exceptions``): ``{"detail": message}``."""
    response = JsonResponse({"detail": detail}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def close_broken_connections() -> None:
    """Close every open connection, so the next request reconnects instead of reusing a dead one.

    A connection still inside a transaction is left to that transaction's owner (it is rolled
    back there; closing it here would break the block that is still unwinding)."""
    for conn in connections.all(initialized_only=True):
        if conn.in_atomic_block:
            continue
        try:
            conn.close()
        except DATABASE_ERRORS:  # closing a connection the server already dropped
            conn.connection = None


def database_down(exc: BaseException) -> None:
    """Note the outage and drop the dead connection (the answer is the caller's: page or JSON)."""
    logger.warning("Database unavailable (%s: %s): answered 503", type(exc).__name__, exc)
    close_broken_connections()


def database_unavailable(request: HttpRequest | None, exc: BaseException) -> HttpResponse:
    database_down(exc)
    response: HttpResponse
    if is_api(request):
        response = error_json(_("The database cannot be reached right now; try again in a minute."), 503)
    else:
        response = error_page("503.html", 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return error_json(_("Bad request."), 400)
    return error_page("400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return error_json(_("You do not have permission to perform this action."), 403)
    return error_page("403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return error_json(_("Not found."), 404)
    return error_page("404.html", 404)


def server_error(request: HttpRequest | None = None, *args: Any) -> HttpResponse:
    """``handler500``: called while the exception is being handled, so it can still be seen."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_ERRORS):
        return database_unavailable(request, exc)
    if is_api(request):
        return error_json(_("A server error occurred."), 500)
    return error_page("500.html", 500)
