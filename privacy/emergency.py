"""Break-the-glass: the facts the access policy reads about emergency grants (docs/privacy.md).

``access.policy`` alone decides what a grant allows (``EMERGENCY_ACTIONS``: view the case file and
its identity). This module tells it, through ``access.policy.emergency_grants_register``:

- whether a request may carry a grant at all (``claimed``, no query): only a read-only request
  (GET or HEAD) of the signed-in browser session that opened the grant, naming that case. A write
  (POST, PUT, PATCH, DELETE), an API call with a token, a command or a task never carries one, so
  every edit route and API write answers 404 as for any case outside the user's scope;
- whether the grant is still live (``granted``, one query per case and request);
- what the access log records when a case is shown under it (``seen``: an ``emergency_view`` entry,
  once per case, request and action).

``EmergencyRequestMiddleware`` keeps the current request for these questions.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from audit.models import AccessLogEntry
from audit.services import access_log_write
from cases.models import Case
from core import clock

from .models import EmergencyGrant

SESSION_KEY = "sintas_emergency_cases"
READ_ONLY_METHODS = frozenset({"GET", "HEAD"})

_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar("sintas_emergency_request",
                                                                              default=None)


class EmergencyRequestMiddleware:
    """Keeps the request for ``EmergencyReader`` (after the session and authentication middleware)."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def session_claims(request: HttpRequest) -> list[str]:
    session = getattr(request, "session", None)
    return list(session.get(SESSION_KEY, [])) if session is not None else []


def session_claim_add(request: HttpRequest, case_id: Any) -> None:
    """The browser session that opened a grant carries it (the grant itself is checked every time)."""
    claims = [c for c in session_claims(request) if c != str(case_id)]
    request.session[SESSION_KEY] = [*claims[-9:], str(case_id)]


def live_grant(user: Any, case_id: Any) -> EmergencyGrant | None:
    return (EmergencyGrant.objects.filter(user_id=user.pk, organisation_id=user.organisation_id, case_id=case_id,
                                          expires_at__gt=clock.now())
            .order_by("-expires_at").first())


class EmergencyReader:
    """The ``access.policy.EmergencyGrants`` this room registers."""

    def claimed(self, user: Any, case_id: Any) -> bool:
        request = _request.get()
        if request is None or request.method not in READ_ONLY_METHODS:
            return False
        signed_in = getattr(request, "user", None)
        if signed_in is None or getattr(signed_in, "pk", None) != getattr(user, "pk", None) or user.pk is None:
            return False
        return str(case_id) in session_claims(request)

    def granted(self, user: Any, case: Case) -> bool:
        return live_grant(user, case.pk) is not None

    def seen(self, user: Any, case: Case, action: str) -> None:
        request = _request.get()
        logged: set[tuple[str, str]] = request.__dict__.setdefault("_emergency_logged", set()) if request else set()
        if (str(case.pk), action) in logged:
            return
        logged.add((str(case.pk), action))
        access_log_write(user=user, what=AccessLogEntry.What.EMERGENCY_VIEW, case_id=case.pk,
                         survivor_id=case.survivor_id, request=request)


READER = EmergencyReader()


def banner_grant(request: HttpRequest) -> EmergencyGrant | None:
    """The live grant of the case this page belongs to, for the banner (no query on other pages)."""
    match = getattr(request, "resolver_match", None)
    case_id = match.kwargs.get("case_id") if match is not None else None
    user: Any = getattr(request, "user", None)
    if case_id is None or user is None or not user.is_authenticated:
        return None
    if str(case_id) not in session_claims(request):
        return None
    return live_grant(user, case_id)
