"""Two-factor enforcement and the organisation's time zone."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

# Paths a signed-in but not yet two-factor-verified user may reach.
_OPEN_PREFIXES = ("/static/", "/i18n/", "/api/")


class IdleTimeoutMiddleware:
    """Renew a signed-in session's expiry (SESSION_COOKIE_AGE from now) on activity, at most once a
    minute: the session then ends after that long without a request, and an ordinary request
    costs no session write."""

    RENEW_SECONDS = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            if now - int(request.session.get("_seen", 0)) >= self.RENEW_SECONDS:
                request.session["_seen"] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """After the password, nothing but the OTP step (or enrolment) until the second factor is verified.

    Every Sintas user must pass TOTP: every role but two can see case files, and those two
    (administrators, M&E) hold keys to the rest. The API applies the same rule in its own classes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified():  # type: ignore[attr-defined]  # django-otp adds it
            allowed = {
                reverse("accounts:otp"),
                reverse("accounts:otp_setup"),
                reverse("accounts:logout"),
                reverse("accounts:login"),
            }
            if request.path not in allowed and not request.path.startswith(_OPEN_PREFIXES):
                # Keep where the user was going, so the OTP step can take them there.
                return redirect(f"{reverse('accounts:otp')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class OrganisationTimezoneMiddleware:
    """Times are stored in UTC and shown in the organisation's zone (WIB, WITA or WIT)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        org = getattr(user, "organisation", None) if user.is_authenticated else None
        if org is not None:
            timezone.activate(org.time_zone)
        else:
            timezone.activate("Asia/Jakarta")
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
