"""Errors as JSON, in the user's language, and documented in the OpenAPI schema.

Service functions raise Django's ``ValidationError`` (field -> messages) and the access policy
raises ``Http404``; both become the same shapes DRF uses for its own errors. An unreachable
database answers 503 with ``Retry-After`` (``core.errors``); errors outside a view (an unknown
URL, a 500) get the same ``{"detail": ...}`` shape from the project's error handlers.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core.concurrency import StaleVersion
from core.errors import RETRY_AFTER_SECONDS, database_down

from .concurrency import stale_version_response


def validation_error_data(exc: DjangoValidationError) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {"detail": [str(m) for m in exc.messages]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        set_rollback()
        return Response(validation_error_data(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, StaleVersion):

        set_rollback()
        return stale_version_response(exc, context.get("request"))
    if isinstance(exc, Http404):
        # Plain and the same for "does not exist" and "not yours": existence must not leak.
        return Response({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, OperationalError | InterfaceError):
        # The database is restarting or unreachable: not the client's fault, and worth a retry.
        set_rollback()
        database_down(exc)
        return Response({"detail": _("The database cannot be reached right now; try again in a minute.")},
                        status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    if isinstance(exc, DjangoPermissionDenied):
        return Response({"detail": _("You do not have permission to perform this action.")},
                        status=status.HTTP_403_FORBIDDEN)
    return drf_exception_handler(exc, context)


# --- the errors in the schema ----------------------------------------------------------------------

ERROR_SCHEMA: dict[str, Any] = {
    "description": "An error: `detail` (a message, or a list of messages), or for invalid input an object "
                   "of field name -> list of messages (nested objects for nested fields).",
    "oneOf": [
        {"type": "object", "additionalProperties": {}},
        {"type": "array", "items": {}},
    ],
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
# Answered by every operation: no or a bad credential, not allowed, not found or not yours (also a
# page number past the end of a list), too many requests, a fault, the database unreachable.
COMMON_ERRORS = {
    "401": "Not signed in: no valid API token or two-factor session.",
    "403": "Not allowed for your role.",
    "404": "Not found, or outside your scope (the two are not told apart); for a list, a page past its end.",
    "429": "Too many requests: wait for the time given in Retry-After.",
    "500": "A fault in Sintas (reported to the administrators).",
    "503": "The database cannot be reached right now (a restart): try again after Retry-After seconds.",
}
INPUT_ERRORS = {
    "400": "Invalid input: an object of field name -> list of messages.",
    "415": "The request body's content type is not one this operation reads.",
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again."}}


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing hook: every operation documents the errors it can answer,
    with the one error shape above, so a client (and the schemathesis test) can rely on them."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "put", "post", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            wanted = dict(COMMON_ERRORS)
            if operation.get("parameters") or operation.get("requestBody"):
                wanted.update(INPUT_ERRORS)
            for code, description in wanted.items():
                response = responses.setdefault(code, {"description": description})
                response.setdefault("content", {"application/json": {"schema": ERROR_REF}})
                if code in {"429", "503"}:
                    response.setdefault("headers", RETRY_AFTER)
    return result
