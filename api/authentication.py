"""How an API request proves who it comes from.

Two ways, both equivalent to a user who passed the second factor:

- ``Authorization: Token <key>``: a personal API token. Only the SHA-256 of the key is stored
  (``accounts.ApiToken.key_hash``); a token can only be created by a user who passed two-factor
  authentication, so a request carrying a live token (not revoked, not expired) counts as verified.
- The browser session, with CSRF enforced, and only once the session passed two-factor
  authentication (``django_otp``'s ``is_verified()``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header
from rest_framework.request import Request

from accounts.services import ApiTokenRefused, api_token_authenticate

if TYPE_CHECKING:
    from accounts.models import ApiToken, User

KEYWORD = "Token"


def _always_verified() -> bool:
    return True


class HashedTokenAuthentication(BaseAuthentication):
    """``Authorization: Token <key>`` against the hashed keys in ``accounts.ApiToken``.

    An unknown, revoked or expired key, or one of a deactivated person or organisation, is a 401
    (``WWW-Authenticate: Token``) whose ``detail`` says which, so the program's owner knows to make
    a new token. The rule itself is ``accounts.services.api_token_authenticate``: one place."""

    keyword = KEYWORD

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:

        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from exc
        try:
            token = api_token_authenticate(key)
        except ApiTokenRefused as exc:
            raise exceptions.AuthenticationFailed(str(exc)) from exc
        user = token.user
        # Only a two-factor-verified user can create a token: the token stands for that check.
        user.is_verified = _always_verified  # type: ignore[attr-defined]
        return user, token

    def authenticate_header(self, request: Request) -> str:
        # Makes an unauthenticated request a 401 with WWW-Authenticate: Token.
        return self.keyword


class VerifiedSessionAuthentication(SessionAuthentication):
    """The Django session (CSRF enforced), only after the second factor."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        # The user set by AuthenticationMiddleware and wrapped by OTPMiddleware (with is_verified).
        user = getattr(request._request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        is_verified = getattr(user, "is_verified", None)
        if not callable(is_verified) or not is_verified():
            return None
        self.enforce_csrf(request)
        return user, None


# --- OpenAPI: how the two schemes appear in the schema ---------------------------------------------


class HashedTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.HashedTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'A personal API token, sent as "Token <key>".',
        }


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.VerifiedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "The browser session after two-factor sign-in; unsafe methods need the CSRF token.",
        }
