"""What every room's API views stand on: the base view, the shared path parameter and responses,
and the access-log helper.

Below the rooms: this module imports no room (only the spine's audit log). Each room's ``api.py``
holds its own serializers and views and imports them from here; the URL root that includes every
room's ``api_urls`` is ``sintas.api_urls``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.serializers import BaseSerializer

from audit.services import access_log_write

CASE_ID = OpenApiParameter("case_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The case's id.")

NOT_FOUND = OpenApiResponse(description="Not found, or outside your scope (the two are not told apart).")
INVALID = OpenApiResponse(description="Invalid input: an object of field name -> list of messages.")


def access_log(request: Request, what: str, *, case_id: Any = None, survivor_id: Any = None) -> None:
    """Write one showing to the access log (``audit.AccessLogEntry``), from an API request."""
    access_log_write(user=request.user, what=what, case_id=case_id, survivor_id=survivor_id,
                     request=request._request)


class SintasAPIView(generics.GenericAPIView[Any]):
    """Common ground: the organisation's time zone for token requests too.

    OrganisationTimezoneMiddleware runs before DRF authenticates a token; dates such as "today"
    in the services must still be the organisation's (WIB, WITA, WIT). The middleware deactivates
    the zone when the response leaves.
    """

    # The serializer for each method (the browsable API builds its forms from these).
    serializer_classes: ClassVar[dict[str, type[BaseSerializer[Any]]]] = {}

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        method = getattr(getattr(self, "request", None), "method", None) or "GET"
        found = self.serializer_classes.get(method)
        return found if found is not None else super().get_serializer_class()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        organisation = getattr(request.user, "organisation", None)
        if organisation is not None:
            timezone.activate(organisation.time_zone)
