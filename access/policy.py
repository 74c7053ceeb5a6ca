"""The case scope: who may see and change a case (the other rooms' rules build on it; the index
of every policy is in ``access/__init__.py``).

Every page, API endpoint, command and task asks ``access``; nothing else decides visibility.

The rules (docs/privacy.md explains why):
- A case is visible to its lead organisation's **case team** (the lead caseworker and the members
  added to it) and to that organisation's **supervisors**.
- The survivor's **identity** (names, NIK, birth date, phones, address, photo) is visible to the
  case team only, not to supervisors who are not on the team.
- The case can be changed (intake, status, consent, guardians) by team members who are caseworkers,
  and by the lead organisation's supervisors. The team is managed by the lead caseworker and supervisors.
- Monitoring & evaluation officers, organisation administrators and platform administrators never
  open a case from those roles alone.
- Only caseworkers and supervisors register a survivor (and so open a case); only a supervisor names
  someone else as lead caseworker.
- The work queues' organisation-wide scope is for supervisors.
- The people who may be added to a case team: active, of the lead organisation, holding a case role.
- Anything outside a user's scope is **404**, never 403, so its existence does not leak.
- **Break-the-glass** (docs/privacy.md): a live emergency grant lets one user *view* one case outside
  their scope (``EMERGENCY_ACTIONS``: the case file and its identity, read-only) until it expires.
  Only this module decides what a grant allows: never an edit, never a team change, never outside a
  read-only request. The grants themselves are facts the privacy room keeps; it registers a reader
  of them (``emergency_grants_register``), so ``access`` imports no room.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from accounts.models import CASE_ROLES, Role, User
from cases.models import Case, CaseTeamMember
from core.models import Region

from .base import acts_in_organisation


class Action:
    VIEW = "view"
    EDIT = "edit"
    VIEW_IDENTITY = "view_identity"
    EDIT_IDENTITY = "edit_identity"
    MANAGE_TEAM = "manage_team"
    VIEW_ACCESS_LOG = "view_access_log"


EMERGENCY_ACTIONS = frozenset({Action.VIEW, Action.VIEW_IDENTITY})


class EmergencyGrants(Protocol):
    """What the privacy room tells the policy about emergency grants (``privacy.emergency``)."""

    def claimed(self, user: Any, case_id: Any) -> bool:
        """Without a query: whether the current request is a read-only one that may carry a grant
        of ``user`` for ``case_id`` (false outside a request, in an API call or any write)."""

    def granted(self, user: Any, case: Case) -> bool:
        """Whether a grant of ``user`` for ``case`` is live now (not expired, not ended)."""

    def seen(self, user: Any, case: Case, action: str) -> None:
        """The case was opened under a grant: the access log's emergency entry."""


_emergency: list[EmergencyGrants] = []


def emergency_grants_register(grants: EmergencyGrants) -> None:
    _emergency[:] = [grants]


def _emergency_claimed(user: Any, case_id: Any) -> bool:
    return bool(_emergency) and _emergency[0].claimed(user, case_id)


def emergency_granted(user: Any, case: Case) -> bool:
    """Whether ``user`` views ``case`` under a live emergency grant in this request (cached on the case)."""
    if not may_work_on_cases(user):
        return False
    cache: dict[int, bool] = case.__dict__.setdefault("_emergency_cache", {})
    if user.pk not in cache:
        cache[user.pk] = _emergency_claimed(user, case.pk) and _emergency[0].granted(user, case)
    return cache[user.pk]


def may_work_on_cases(user: Any) -> bool:
    return acts_in_organisation(user) and user.has_role(*CASE_ROLES)


def may_register_survivor(user: Any) -> bool:
    return acts_in_organisation(user) and user.has_role(Role.CASEWORKER, Role.SUPERVISOR)


def is_supervisor(user: Any) -> bool:
    """A supervisor who works on cases (the organisation-wide pages: access log, incoming transfers)."""
    return may_work_on_cases(user) and bool(user.has_role(Role.SUPERVISOR))


def may_see_organisation_scope(user: Any) -> bool:
    """The work queues' "organisation" scope (every open case of the organisation, not only the
    user's own) is for supervisors; the cases in it are still those of ``cases_visible_to``."""
    return bool(user.has_role(Role.SUPERVISOR))


def may_choose_lead_caseworker(user: Any) -> bool:
    """Only a supervisor names someone else as lead caseworker of a case they open (an import)."""
    return bool(user.has_role(Role.SUPERVISOR))


def cases_visible_to(user: Any) -> QuerySet[Case]:
    if not may_work_on_cases(user):
        return Case.objects.none()
    qs = Case.objects.filter(lead_organisation_id=user.organisation_id)
    if user.has_role(Role.SUPERVISOR):
        return qs
    on_team = CaseTeamMember.objects.filter(case_id=OuterRef("pk"), user_id=user.pk)
    return qs.filter(Exists(on_team))


def is_on_team(user: Any, case: Case) -> bool:
    """Whether the user is on the case team (cached on the case object for the request)."""
    cache: dict[int, bool] = case.__dict__.setdefault("_team_cache", {})
    if user.pk not in cache:
        cache[user.pk] = case.lead_caseworker_id == user.pk or case.team_members.filter(user_id=user.pk).exists()
    return cache[user.pk]


def is_supervisor_of(user: Any, case: Case) -> bool:
    return bool(user.has_role(Role.SUPERVISOR)) and user.organisation_id == case.lead_organisation_id


def can(user: Any, action: str, case: Case) -> bool:
    if not may_work_on_cases(user):
        return False
    if user.organisation_id == case.lead_organisation_id and _can_in_scope(user, action, case):
        return True
    return action in EMERGENCY_ACTIONS and emergency_granted(user, case)


def _can_in_scope(user: Any, action: str, case: Case) -> bool:
    team = is_on_team(user, case)
    supervisor = is_supervisor_of(user, case)
    if action == Action.VIEW:
        return team or supervisor
    if action == Action.EDIT:
        return (team and user.has_role(Role.CASEWORKER)) or supervisor
    if action == Action.VIEW_IDENTITY:
        return team
    if action == Action.EDIT_IDENTITY:
        return team and user.has_role(Role.CASEWORKER, Role.SUPERVISOR)
    if action == Action.MANAGE_TEAM:
        return supervisor or (case.lead_caseworker_id == user.pk)
    if action == Action.VIEW_ACCESS_LOG:
        return supervisor
    raise ValueError(f"unknown action {action!r}")


def case_get_for_user(user: Any, case_id: Any, action: str = Action.VIEW) -> Case:
    """The case, if this user may do ``action`` to it; otherwise 404 (never 403)."""
    qs = Case.objects.select_related("survivor", "lead_organisation", "lead_caseworker")
    try:
        claimed = _emergency_claimed(user, case_id)
        if not claimed:  # no grant in play: the organisation's cases only, as always
            qs = qs.filter(lead_organisation_id=getattr(user, "organisation_id", None))
        case = qs.get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError, ValidationError) as exc:  # incl. a malformed UUID
        raise Http404 from exc
    if not can(user, action, case):
        raise Http404
    if case.__dict__.get("_emergency_cache", {}).get(user.pk):
        _emergency[0].seen(user, case, action)
    _attach_regions(case)
    return case


def _attach_regions(case: Case) -> None:
    """The case's five region references in one query by primary key, instead of five more joins
    in the case fetch (a ten-table join costs PostgreSQL more to plan than to run)."""
    holders = [(case, "identification_region"), (case, "recruitment_region"), (case, "exploitation_region"),
               (case.survivor, "origin_province"), (case.survivor, "origin_regency")]
    codes = {getattr(obj, f"{name}_id") for obj, name in holders} - {None, ""}
    found = Region.objects.in_bulk(codes) if codes else {}
    for obj, name in holders:
        code = getattr(obj, f"{name}_id")
        if code in found:
            obj._meta.get_field(name).set_cached_value(obj, found[code])  # type: ignore[union-attr]


def team_candidates(case: Case) -> QuerySet[User]:
    """Users who may be added to a case team: active, in the lead organisation, with a case role."""
    return (
        User.objects.filter(organisation_id=case.lead_organisation_id, is_active=True, roles__role__in=CASE_ROLES)
        .distinct()
        .order_by("first_name", "username")
    )
