"""The reads behind the monitoring pages. Who sees which level of aggregates, and which reports, is
decided by ``access.monitoring``; anything outside a user's levels answers 404.

Nobody sees a case or an identity here: every number passes through ``monitoring.disclosure``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from access import monitoring as monitoring_access
from access.monitoring import scope_get_for_user, scopes_for

from .models import ReportRequest

__all__ = ["report_get_for_user", "reports_for", "scope_get_for_user", "scopes_for"]


def report_get_for_user(user: Any, report_id: Any) -> ReportRequest:
    try:
        report = ReportRequest.objects.select_related("region", "organisation").get(pk=report_id)
    except (ReportRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not monitoring_access.report_visible_to(user, report):
        raise Http404
    return report


def reports_for(user: Any) -> list[ReportRequest]:
    """Recent reports this user may download (their own, and their scopes')."""
    scopes = scopes_for(user)
    recent = ReportRequest.objects.select_related("region", "organisation", "requested_by").order_by("-created_at")[:200]
    return [r for r in recent if monitoring_access.report_visible_to(user, r, scopes)][:50]
