"""Who may administer users and organisations, and which menu entries follow from the roles.

Rules:
- **Organisation administrators** manage the users of their own (active) organisation only: list,
  create, change roles, deactivate, revoke API tokens. Anyone else's users answer 404.
- **Platform administrators** (signed in and active; they belong to no organisation) manage every
  organisation, and grant monitoring scopes.
- The menu shows: the access log to supervisors, incoming transfers to supervisors who work on
  cases, user administration to organisation administrators, organisations to platform
  administrators (each page checks again; the menu only hides what would answer 404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Organisation, Role, User

from .base import acts_in_organisation, is_signed_in


def may_manage_users(user: Any) -> bool:
    return acts_in_organisation(user) and bool(user.has_role(Role.ORG_ADMIN))


def users_manageable_by(user: Any) -> QuerySet[User]:
    """Organisation administrators manage the users of their own organisation only."""
    if not may_manage_users(user):
        return User.objects.none()
    return User.objects.filter(organisation_id=user.organisation_id)


def user_get_for_admin(user: Any, user_id: Any) -> User:
    try:
        return users_manageable_by(user).get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def may_manage_organisations(user: Any) -> bool:
    return is_signed_in(user) and bool(user.is_platform_admin)


def organisations_manageable_by(user: Any) -> QuerySet[Organisation]:
    if not may_manage_organisations(user):
        return Organisation.objects.none()
    return Organisation.objects.all()


def holds_admin_role(user: Any) -> bool:
    """The organisation-administrator role: the menu entry and the home page's way to user
    administration (the pages themselves ask ``users_manageable_by``)."""
    return bool(user.has_role(Role.ORG_ADMIN))


def shows_access_log_menu(user: Any) -> bool:
    """The access-log menu entry (the page itself asks ``access.policy.is_supervisor``)."""
    return bool(user.has_role(Role.SUPERVISOR))
