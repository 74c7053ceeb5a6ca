"""Errors as JSON, in the user's language.

Service functions raise Django's ``ValidationError`` (field -> messages) and the access policy
raises ``Http404``; both become the same shapes DRF uses for its own errors.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core.concurrency import StaleVersion


def validation_error_data(exc: DjangoValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {"detail": [str(m) for m in exc.messages]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        set_rollback()
        return Response(validation_error_data(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, StaleVersion):
        from .concurrency import stale_version_response

        set_rollback()
        return stale_version_response(exc, context.get("request"))
    if isinstance(exc, Http404):
        # Plain and the same for "does not exist" and "not yours": existence must not leak.
        return Response({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        return Response({"detail": _("You do not have permission to perform this action.")},
                        status=status.HTTP_403_FORBIDDEN)
    return drf_exception_handler(exc, context)
