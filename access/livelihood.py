"""Access rules of the livelihood room (docs/livelihood.md), beside the one policy they build on.

- The **economic profile** (work history, debts, the exploitative job) is the case team's only:
  ``policy.is_on_team``; a supervisor who is not on the team does not see it. A partner sees only
  what a referral packet carries (the profile's shareable summary, chosen by the sender).
- The case's livelihood records (choices, enrolments, placements, enterprises, income) are
  changed by team members who are caseworkers, livelihood officers or supervisors.
- A failed decent-work check is overridden only by a supervisor of the case's lead organisation.
- **Opportunities** are published by an organisation's livelihood officers, supervisors and
  administrators. An open opportunity is visible to everyone who works on cases or publishes; a
  draft or closed one to its own organisation only. A training provider records the completion of
  enrolments in its own programmes and sees nothing else of the case.
- **Labour-market figures** are imported by platform and organisation administrators.
Anything outside these is 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from access import policy
from accounts.models import Role

from .base import PolicySlot, acts_in_organisation

EDIT_ROLES = (Role.CASEWORKER, Role.LIVELIHOOD_OFFICER, Role.SUPERVISOR)
PUBLISH_ROLES = (Role.LIVELIHOOD_OFFICER, Role.SUPERVISOR, Role.ORG_ADMIN)


def may_view_livelihood(user: Any, case: Any) -> bool:
    return bool(policy.may_work_on_cases(user) and user.organisation_id == case.lead_organisation_id
                and policy.is_on_team(user, case))


def may_edit_livelihood(user: Any, case: Any) -> bool:
    return may_view_livelihood(user, case) and user.has_role(*EDIT_ROLES)


def may_override_check(user: Any, case: Any) -> bool:
    return bool(policy.may_work_on_cases(user) and policy.is_supervisor_of(user, case))


def livelihood_case_get(user: Any, case_id: Any, *, edit: bool = False) -> Any:
    """The case, if the user may see (or change) its livelihood records; else 404."""
    case = policy.case_get_for_user(user, case_id, policy.Action.VIEW)
    if not (may_edit_livelihood(user, case) if edit else may_view_livelihood(user, case)):
        raise Http404
    return case


def may_publish(user: Any) -> bool:
    return bool(acts_in_organisation(user) and user.has_role(*PUBLISH_ROLES))


def may_see_opportunities(user: Any) -> bool:
    return policy.may_work_on_cases(user) or may_publish(user)


class OpportunityPolicy:
    """The opportunity rules that need the livelihood room's model, registered by that room in
    ``LivelihoodConfig.ready()`` (no access module imports a room)."""

    def __init__(self, *, model: Any, open_status: str) -> None:
        self.model = model  # livelihood.models.Opportunity
        self.open_status = open_status

    def visible_to(self, user: Any) -> QuerySet[Any]:
        if not may_see_opportunities(user):
            return self.model.objects.none()  # type: ignore[no-any-return]
        return self.model.objects.filter(  # type: ignore[no-any-return]
            Q(status=self.open_status) | Q(organisation_id=user.organisation_id))

    def get_for_user(self, user: Any, opportunity_id: Any) -> Any:
        try:
            return self.visible_to(user).select_related("organisation", "region").get(pk=opportunity_id)
        except (self.model.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
            raise Http404 from exc

    def get_for_publisher(self, user: Any, opportunity_id: Any) -> Any:
        if not may_publish(user):
            raise Http404
        try:
            return self.model.objects.select_related("organisation", "region").get(
                pk=opportunity_id, organisation_id=user.organisation_id)
        except (self.model.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
            raise Http404 from exc


slot: PolicySlot[OpportunityPolicy] = PolicySlot("livelihood")
register = slot.register


def opportunities_visible_to(user: Any) -> QuerySet[Any]:
    return slot.get().visible_to(user)


def opportunity_get_for_user(user: Any, opportunity_id: Any) -> Any:
    return slot.get().get_for_user(user, opportunity_id)


def opportunity_get_for_publisher(user: Any, opportunity_id: Any) -> Any:
    """An opportunity of the user's own organisation, for someone who publishes; else 404."""
    return slot.get().get_for_publisher(user, opportunity_id)


def may_record_completion(user: Any, enrolment: Any) -> bool:
    """The provider of the training (its publishers) or the case team's editors."""
    if may_publish(user) and user.organisation_id == enrolment.opportunity.organisation_id:
        return True
    return may_edit_livelihood(user, enrolment.case)


def may_import_demand(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active
                and (getattr(user, "is_platform_admin", False)
                     or (acts_in_organisation(user) and user.has_role(Role.ORG_ADMIN))))
