"""Bahasa Indonesia first."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from core.errors import DATABASE_ERRORS, database_unavailable


class IndonesianFirstMiddleware:
    """Pages speak Bahasa Indonesia unless the user chose English with the language switch.

    Many phones in field offices are set to English; the browser's Accept-Language header is
    therefore ignored for pages (the choice is kept in the language cookie). API clients still
    get their messages in the language they ask for.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A view that finds the database unreachable answers the 503 page (or JSON), not a 500.

    Errors raised inside other middleware reach ``handler500`` (``core.errors.server_error``),
    which gives the same answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable(request, exception)
        return None
