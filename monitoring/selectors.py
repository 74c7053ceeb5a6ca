"""Who sees which level of aggregates, and the reads behind the pages.

- **Organisation level**: monitoring & evaluation officers and supervisors (the head of a UPTD PPA)
  see their own organisation's aggregates.
- **Region level**: a monitoring & evaluation officer with a region scope (``MonitoringScope``,
  granted by a platform administrator) sees the aggregates of every organisation located in that
  province or kabupaten/kota (a regional task force's secretariat).
- **National level**: a monitoring & evaluation officer with a national scope.

Nobody sees a case or an identity here: every number passes through ``monitoring.disclosure``.
Anything outside a user's levels answers 404, like everything out of scope in Sintas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from access.policy import _active
from accounts.models import Role

from .models import Level, MonitoringScope, ReportRequest

ORGANISATION_ROLES = (Role.ME_OFFICER, Role.SUPERVISOR)


@dataclass(frozen=True)
class Scope:
    level: str
    organisation_id: int | None = None
    organisation_name: str = ""
    regions: tuple[str, ...] = ()  # region level: the codes the user may filter within

    @property
    def label(self) -> str:
        if self.level == Level.ORGANISATION:
            return self.organisation_name
        if self.level == Level.NATIONAL:
            return _("Indonesia (national)")
        return ", ".join(self.regions)

    def covers_region(self, code: str) -> bool:
        if self.level == Level.NATIONAL:
            return True
        if self.level == Level.REGION:
            return any(code == r or code.startswith(r + ".") for r in self.regions)
        return False


def scopes_for(user: Any) -> list[Scope]:
    """The levels this user may open, narrowest first (one query for the scopes)."""
    if not _active(user):
        return []
    found: list[Scope] = []
    if user.has_role(*ORGANISATION_ROLES):
        found.append(Scope(Level.ORGANISATION, user.organisation_id, user.organisation.name))
    if user.has_role(Role.ME_OFFICER):
        rows = list(MonitoringScope.objects.filter(user=user).values_list("level", "region_id"))
        regions = tuple(sorted(code for level, code in rows if level == Level.REGION and code))
        if regions:
            found.append(Scope(Level.REGION, regions=regions))
        if any(level == Level.NATIONAL for level, _code in rows):
            found.append(Scope(Level.NATIONAL))
    return found


def scope_get_for_user(user: Any, level: str) -> Scope:
    for scope in scopes_for(user):
        if scope.level == level:
            return scope
    raise Http404


def may_request_reports(user: Any, scope: Scope) -> bool:
    """Periodic reports are the monitoring & evaluation officer's work (and a supervisor's for their
    own organisation)."""
    if scope.level == Level.ORGANISATION:
        return bool(user.has_role(*ORGANISATION_ROLES))
    return bool(user.has_role(Role.ME_OFFICER))


def report_visible_to(user: Any, report: ReportRequest, scopes: list[Scope] | None = None) -> bool:
    """The requester, and anyone with the same scope: the same organisation at organisation level,
    a region scope covering the report's region, a national scope for a national report."""
    if report.requested_by_id == user.pk and _active(user):
        return True
    for scope in scopes_for(user) if scopes is None else scopes:
        if scope.level != report.level:
            continue
        if scope.level == Level.ORGANISATION and scope.organisation_id == report.organisation_id:
            return True
        if scope.level == Level.REGION and report.region_id and scope.covers_region(report.region_id):
            return True
        if scope.level == Level.NATIONAL:
            return True
    return False


def report_get_for_user(user: Any, report_id: Any) -> ReportRequest:
    try:
        report = ReportRequest.objects.select_related("region", "organisation").get(pk=report_id)
    except (ReportRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not report_visible_to(user, report):
        raise Http404
    return report


def reports_for(user: Any) -> list[ReportRequest]:
    """Recent reports this user may download (their own, and their scopes')."""
    scopes = scopes_for(user)
    recent = ReportRequest.objects.select_related("region", "organisation", "requested_by").order_by("-created_at")[:200]
    return [r for r in recent if report_visible_to(user, r, scopes)][:50]
