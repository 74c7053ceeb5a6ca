"""What ``OPTIONS`` tells about an API route: its name, media types and each write method's fields.

DRF's own metadata builds every write method's serializer through ``get_serializer()`` and, for
PUT, reads the object through ``get_object()``: views that pick their serializer per method, or
read their object through the access policy rather than a ``queryset``, then answered OPTIONS
with a 500. Here no object is read (an OPTIONS must not tell whether a record exists) and a
method whose serializer the view does not name is simply left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework.exceptions import APIException
from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request, clone_request

if TYPE_CHECKING:  # DRF imports this module while rest_framework.views is still loading
    from rest_framework.views import APIView


class SintasMetadata(SimpleMetadata):
    def determine_actions(self, request: Request, view: APIView) -> dict[str, Any]:
        actions: dict[str, Any] = {}
        for method in ("PUT", "POST", "PATCH"):
            if method not in view.allowed_methods:
                continue
            serializer_class = (getattr(view, "serializer_classes", {}).get(method)
                                or getattr(view, "serializer_class", None))
            if serializer_class is None:
                continue
            view.request = clone_request(request, method)
            try:
                view.check_permissions(view.request)
            except (APIException, PermissionDenied, Http404):  # not allowed: left out, as DRF does
                continue
            finally:
                view.request = request
            context = view.get_serializer_context() if hasattr(view, "get_serializer_context") else {}
            actions[method] = self.get_serializer_info(serializer_class(context=context))
        return actions
