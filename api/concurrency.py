"""The API side of optimistic concurrency (``core/concurrency.py``).

A detail GET answers with ``ETag: "<version>"``. An update carries the version it is based on:
``If-Match: "<version>"`` (the ETag, as HTTP intends) or a ``version`` field in the body. A stale
update writes nothing and answers 412 Precondition Failed (If-Match) or 409 Conflict (version
field), with the version saved now and the fields that differ. An update carrying neither is
refused with 428 Precondition Required: without it a save could overwrite someone else's change
unseen.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from core.concurrency import StaleVersion

# Where the request's version came from: decides 412 (If-Match) or 409 (body).
_SOURCE_ATTR = "_sintas_version_source"
IF_MATCH_SOURCE = "if-match"
BODY_SOURCE = "body"


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"

    def __init__(self) -> None:
        super().__init__(_(
            "Send the version you read: an If-Match header with the ETag of your last GET, or a \"version\" "
            "field. Without it this change could overwrite someone else's unseen."
        ))


def request_version(request: Request) -> int:
    """The version an update is based on, from ``If-Match`` or the body's ``version``; 428 without."""
    header = request.headers.get("If-Match")
    if header is not None:
        tag = header.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        tag = tag.strip('"')
        if not tag.isdigit():
            raise ValidationError({"If-Match": [_("Send one ETag exactly as a GET returned it, e.g. \"3\".")]})
        setattr(request, _SOURCE_ATTR, IF_MATCH_SOURCE)
        return int(tag)
    data = request.data if hasattr(request.data, "get") else {}
    value = data.get("version")
    if value is None or value == "":
        raise PreconditionRequired()
    try:
        version = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"version": [_("A valid integer is required.")]}) from exc
    setattr(request, _SOURCE_ATTR, BODY_SOURCE)
    return version


def with_etag(response: Response, version: int) -> Response:
    response["ETag"] = f'"{version}"'
    return response


def stale_version_response(exc: StaleVersion, request: Any) -> Response:
    by_header = getattr(request, _SOURCE_ATTR, None) == IF_MATCH_SOURCE
    body = {
        "detail": _("Someone else saved this record after the version you sent. Nothing was saved: read it "
                    "again (GET), then send your change with the new version."),
        "version": exc.current_version,
        "changed_fields": exc.changed_fields,
    }
    response = Response(body, status=status.HTTP_412_PRECONDITION_FAILED if by_header else status.HTTP_409_CONFLICT)
    return with_etag(response, exc.current_version)


# --- schema ------------------------------------------------------------------------------------------


class VersionConflictSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    version = serializers.IntegerField(help_text="The version saved now: read the record again, then retry with it.")
    changed_fields = serializers.ListField(
        child=serializers.CharField(), help_text="The fields you sent whose saved value is not what you sent.")


class PreconditionRequiredSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()


IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description='The ETag of your last GET, e.g. "3". Or send a `version` field in the body instead; one of the '
                "two is required.",
)
ETAG = OpenApiParameter(
    "ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 201, 409, 412],
    description='The record\'s version, quoted ("3"): send it back as If-Match when you change the record.',
)

STALE_RESPONSES: dict[int, Any] = {
    409: OpenApiResponse(VersionConflictSerializer,
                         description="The `version` you sent is not the one saved now; nothing was saved."),
    412: OpenApiResponse(VersionConflictSerializer,
                         description="The If-Match you sent is not the version saved now; nothing was saved."),
    428: OpenApiResponse(PreconditionRequiredSerializer,
                         description="Neither If-Match nor a `version` field was sent; nothing was saved."),
}


def version_input() -> serializers.IntegerField:
    """The ``version`` field of an update body (optional when ``If-Match`` is sent)."""
    return serializers.IntegerField(
        required=False, min_value=0,
        help_text="The version you read (the ETag of your GET). Required unless you send If-Match. A stale one "
                  "is refused with 409 and nothing is saved.",
    )
