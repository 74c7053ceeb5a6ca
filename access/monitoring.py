"""Who sees which level of aggregates (the monitoring room; docs/monitoring.md).

Rules:
- **Organisation level**: monitoring & evaluation officers and supervisors (the head of a UPTD PPA)
  of an active organisation see their own organisation's aggregates.
- **Region level**: a monitoring & evaluation officer with a region scope (``MonitoringScope``,
  granted by a platform administrator) sees the aggregates of every organisation located in that
  province or kabupaten/kota (a regional task force's secretariat).
- **National level**: a monitoring & evaluation officer with a national scope.
- Only an active monitoring & evaluation officer may hold a region or national scope; only a
  platform administrator grants or revokes one (``access.accounts.may_manage_organisations``).
- **Periodic reports** are requested by monitoring & evaluation officers at any level they hold, and
  by supervisors at organisation level. A report is visible to its requester and to anyone holding
  the same scope (the same organisation, a region covering the report's region, a national scope).
- The menu entry shows to the organisation-level roles and to platform administrators.

Nobody sees a case or an identity here: every number passes through ``monitoring.disclosure``.
Anything outside a user's levels answers 404. The monitoring room registers a ``MonitoringPolicy``
with its scope model in ``MonitoringConfig.ready()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Role

from .accounts import may_manage_organisations
from .base import PolicySlot, acts_in_organisation

# The levels (the values of monitoring.models.Level).
ORGANISATION = "organisation"
REGION = "region"
NATIONAL = "national"

ORGANISATION_ROLES = (Role.ME_OFFICER, Role.SUPERVISOR)


@dataclass(frozen=True)
class Scope:
    level: str
    organisation_id: int | None = None
    organisation_name: str = ""
    regions: tuple[str, ...] = ()  # region level: the codes the user may filter within

    @property
    def label(self) -> str:
        if self.level == ORGANISATION:
            return self.organisation_name
        if self.level == NATIONAL:
            return _("Indonesia (national)")
        return ", ".join(self.regions)

    def covers_region(self, code: str) -> bool:
        if self.level == NATIONAL:
            return True
        if self.level == REGION:
            return any(code == r or code.startswith(r + ".") for r in self.regions)
        return False


class MonitoringPolicy:
    def __init__(self, *, scope_model: Any) -> None:
        self.scope_model = scope_model  # monitoring.models.MonitoringScope

    def scopes_for(self, user: Any) -> list[Scope]:
        """The levels this user may open, narrowest first (one query for the scopes)."""
        if not acts_in_organisation(user):
            return []
        found: list[Scope] = []
        if user.has_role(*ORGANISATION_ROLES):
            found.append(Scope(ORGANISATION, user.organisation_id, user.organisation.name))
        if user.has_role(Role.ME_OFFICER):
            rows = list(self.scope_model.objects.filter(user=user).values_list("level", "region_id"))
            regions = tuple(sorted(code for level, code in rows if level == REGION and code))
            if regions:
                found.append(Scope(REGION, regions=regions))
            if any(level == NATIONAL for level, _code in rows):
                found.append(Scope(NATIONAL))
        return found


slot: PolicySlot[MonitoringPolicy] = PolicySlot("monitoring")
register = slot.register


def scopes_for(user: Any) -> list[Scope]:
    """The levels this user may open, narrowest first (one query for the scopes)."""
    return slot.get().scopes_for(user)


def scope_get_for_user(user: Any, level: str) -> Scope:
    for scope in scopes_for(user):
        if scope.level == level:
            return scope
    raise Http404


def may_hold_scope(user: Any) -> bool:
    """A region or national scope is held by an active monitoring & evaluation officer only."""
    return acts_in_organisation(user) and bool(user.has_role(Role.ME_OFFICER))


def may_request_reports(user: Any, scope: Scope) -> bool:
    """Periodic reports are the monitoring & evaluation officer's work (and a supervisor's for their
    own organisation)."""
    if scope.level == ORGANISATION:
        return bool(user.has_role(*ORGANISATION_ROLES))
    return bool(user.has_role(Role.ME_OFFICER))


def report_visible_to(user: Any, report: Any, scopes: list[Scope] | None = None) -> bool:
    """The requester, and anyone with the same scope: the same organisation at organisation level,
    a region scope covering the report's region, a national scope for a national report."""
    if report.requested_by_id == user.pk and acts_in_organisation(user):
        return True
    for scope in scopes_for(user) if scopes is None else scopes:
        if scope.level != report.level:
            continue
        if scope.level == ORGANISATION and scope.organisation_id == report.organisation_id:
            return True
        if scope.level == REGION and report.region_id and scope.covers_region(report.region_id):
            return True
        if scope.level == NATIONAL:
            return True
    return False


def shows_menu(user: Any) -> bool:
    """The monitoring menu entry. Cheap: roles are cached on the user; no scope query on every page
    (the index lists the scopes)."""
    return (acts_in_organisation(user) and bool(user.has_role(*ORGANISATION_ROLES))) or may_manage_organisations(user)
