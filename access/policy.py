"""The one access policy: who may see and change what.

Every page, API endpoint, command and task asks this module; nothing else decides visibility.

The rules (docs/privacy.md explains why):
- A case is visible to its lead organisation's **case team** (the lead caseworker and the members
  added to it) and to that organisation's **supervisors**.
- The survivor's **identity** (names, NIK, birth date, phones, address, photo) is visible to the
  case team only, not to supervisors who are not on the team.
- The case can be changed (intake, status, consent, guardians) by team members who are caseworkers,
  and by the lead organisation's supervisors. The team is managed by the lead caseworker and supervisors.
- Monitoring & evaluation officers, organisation administrators and platform administrators never
  open a case from those roles alone.
- Anything outside a user's scope is **404**, never 403, so its existence does not leak.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from accounts.models import CASE_ROLES, Role

if TYPE_CHECKING:
    from accounts.models import Organisation, User
    from cases.models import Case


class Action:
    VIEW = "view"
    EDIT = "edit"
    VIEW_IDENTITY = "view_identity"
    EDIT_IDENTITY = "edit_identity"
    MANAGE_TEAM = "manage_team"
    VIEW_ACCESS_LOG = "view_access_log"


def _active(user: Any) -> bool:
    """Signed in, active, and belonging to an active organisation (a deactivated organisation's
    people lose access at once, whatever their roles)."""
    return bool(
        user and user.is_authenticated and user.is_active and getattr(user, "organisation_id", None)
        and user.organisation.is_active
    )


def may_work_on_cases(user: Any) -> bool:
    return _active(user) and user.has_role(*CASE_ROLES)


def may_register_survivor(user: Any) -> bool:
    return _active(user) and user.has_role(Role.CASEWORKER, Role.SUPERVISOR)


def cases_visible_to(user: Any) -> QuerySet[Case]:
    from cases.models import Case, CaseTeamMember

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
    return user.has_role(Role.SUPERVISOR) and user.organisation_id == case.lead_organisation_id


def can(user: Any, action: str, case: Case) -> bool:
    if not may_work_on_cases(user) or user.organisation_id != case.lead_organisation_id:
        return False
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
    from cases.models import Case

    try:
        case = (
            Case.objects.select_related("survivor", "lead_organisation", "lead_caseworker")
            .filter(lead_organisation_id=getattr(user, "organisation_id", None))
            .get(pk=case_id)
        )
    except (Case.DoesNotExist, ValueError, TypeError, ValidationError) as exc:  # incl. a malformed UUID
        raise Http404 from exc
    if not can(user, action, case):
        raise Http404
    _attach_regions(case)
    return case


def _attach_regions(case: Case) -> None:
    """The case's five region references in one query by primary key, instead of five more joins
    in the case fetch (a ten-table join costs PostgreSQL more to plan than to run)."""
    from core.models import Region

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
    from accounts.models import User

    return (
        User.objects.filter(organisation_id=case.lead_organisation_id, is_active=True, roles__role__in=CASE_ROLES)
        .distinct()
        .order_by("first_name", "username")
    )


# --- Case transfers (transfers room, docs/transfers.md) --------------------------------------------
# A transfer moves ``lead_organisation``: the receiver then has the access above, the sender none.
# The only access a sending organisation may keep is the read-only view of its own records, when
# SINTAS_TRANSFER_SENDER_ACCESS = "own_records".


def may_propose_transfer(user: Any, case: Case) -> bool:
    """The lead organisation's supervisors and the lead caseworker (who manage the case team)."""
    return can(user, Action.MANAGE_TEAM, case)


def may_decide_transfer(user: Any, transfer: Any) -> bool:
    """Accept or decline (while pending): a supervisor of the receiving organisation."""
    return bool(_active(user) and user.has_role(Role.SUPERVISOR) and user.organisation_id == transfer.to_organisation_id)


def transfer_get_for_user(user: Any, transfer_id: Any) -> Any:
    """A transfer, for the receiving organisation's supervisors and for whoever may view its case; else 404."""
    from transfers.models import CaseTransfer

    try:
        transfer = CaseTransfer.objects.select_related(
            "case", "case__survivor", "case__lead_organisation", "from_organisation", "to_organisation",
            "proposed_by", "decided_by", "new_lead_caseworker",
        ).get(pk=transfer_id)
    except (CaseTransfer.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc
    if may_decide_transfer(user, transfer) or (may_work_on_cases(user) and can(user, Action.VIEW, transfer.case)):
        return transfer
    raise Http404


def transferred_records_get_for_user(user: Any, transfer_id: Any) -> Any:
    """An accepted transfer whose sending organisation keeps read access to its own records: for that
    organisation's supervisors and the people on the case team at handover. Otherwise 404."""
    from transfers.conf import OWN_RECORDS, sender_access
    from transfers.models import CaseTransfer

    if sender_access() != OWN_RECORDS or not may_work_on_cases(user):
        raise Http404
    try:
        transfer = CaseTransfer.objects.select_related("case", "case__survivor", "from_organisation",
                                                       "to_organisation").get(
            pk=transfer_id, status=CaseTransfer.Status.ACCEPTED, from_organisation_id=user.organisation_id)
    except (CaseTransfer.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc
    if user.has_role(Role.SUPERVISOR) or user.pk in (transfer.former_team or []):
        return transfer
    raise Http404


# --- Administration --------------------------------------------------------------------------


def users_manageable_by(user: Any) -> QuerySet[User]:
    """Organisation administrators manage the users of their own organisation only."""
    from accounts.models import User

    if not (_active(user) and user.has_role(Role.ORG_ADMIN)):
        return User.objects.none()
    return User.objects.filter(organisation_id=user.organisation_id)


def user_get_for_admin(user: Any, user_id: Any) -> User:
    from accounts.models import User

    try:
        return users_manageable_by(user).get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def may_manage_organisations(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_platform_admin)


def organisations_manageable_by(user: Any) -> QuerySet[Organisation]:
    from accounts.models import Organisation

    if not may_manage_organisations(user):
        return Organisation.objects.none()
    return Organisation.objects.all()
