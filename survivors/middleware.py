"""Identity never travels in a URL.

A query string is written in plaintext to web-server, proxy and load-balancer logs, browser
history and Referer headers, none of which the identity vault's encryption covers. So no route
accepts identity in its query string: a request whose query string names an identity field
(``nik``, ``name``, ``phone``...) or carries a value shaped like a NIK or a phone number (a run of
ten or more digits, spaces and hyphens ignored) is answered 400 before any view, sign-in redirect
or slash redirect could use it or copy it into a ``Location`` header or a link; the answer echoes
nothing of it. Searches by NIK are POSTed (``cases.views.caseload``). The value has already reached
the logs in front of Sintas by then: the refusal makes a client that builds such URLs visible at
once, so it is fixed rather than quietly working.

Sits after ``LocaleMiddleware`` (the answer is in the user's language) and before
``CommonMiddleware`` (whose slash redirect would copy the query string into ``Location``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

# Parameter names that would carry identity (compared case-insensitively).
IDENTITY_PARAMETERS = frozenset({
    "nik", "nik_hash", "name", "full_name", "first_name", "second_name", "last_name", "alias", "aliases",
    "phone", "phones", "phone_number", "phone_numbers", "mobile", "address", "birth_date", "birthdate",
    "date_of_birth", "dob", "guardian", "guardian_name", "guardian_phone",
})
# Ten or more digits in a row: a NIK (16) or a phone number (10 to 13), never a page number, an id,
# a date or a region code (whose dots separate at most four digits).
_DIGIT_RUN = re.compile(r"\d{10,}")
_SEPARATORS = re.compile(r"[\s\-]")


def identity_in_query(query: QueryDict) -> bool:
    """Whether a query string names an identity field or carries a NIK- or phone-shaped value."""
    for key, values in query.lists():
        if key.strip().lower() in IDENTITY_PARAMETERS:
            return True
        if any(_DIGIT_RUN.search(_SEPARATORS.sub("", value)) for value in values):
            return True
    return False


def identity_in_url_refused(request: HttpRequest) -> HttpResponse:
    """The 400 answer: it names the rule and repeats nothing of what was sent."""
    message = _("Identity (NIK, name, phone number, address) is never sent in a page address, where web "
                "servers and proxies would record it. Search by NIK with the search form on the caseload.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    # Rendered without the request: no context processor can copy the address into the page.
    body = render_to_string("survivors/identity_in_url.html", {"message": message})
    return HttpResponse(body, status=400)


class IdentityNotInURLMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("QUERY_STRING") and identity_in_query(request.GET):
            return identity_in_url_refused(request)
        return self.get_response(request)
