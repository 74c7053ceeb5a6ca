"""Who may call the API at all. What each user may see is the access policy's business."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .authentication import HashedTokenAuthentication, VerifiedSessionAuthentication


class IsVerifiedUser(BasePermission):
    """Signed in with an API token, or with a session that passed two-factor authentication."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        authenticator = request.successful_authenticator
        if isinstance(authenticator, HashedTokenAuthentication):
            return request.auth is not None
        if isinstance(authenticator, VerifiedSessionAuthentication):
            is_verified = getattr(user, "is_verified", None)
            return callable(is_verified) and bool(is_verified())
        return False
