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
- **A provider sees only survivors referred to it**: an enrolment in a programme of another
  organisation than the case's lead is made only on a referral to that provider, for that case,
  which the provider accepted (accepted, in progress or completed), or, when the survivor enrolled
  directly, with the survivor's consent naming the provider (``Enrolment.direct_consent``). The
  provider sees the enrolment (the survivor code) while that basis holds: a referral it accepted
  and nobody revoked since, or a direct consent not withdrawn.
- **Labour-market figures** are imported by platform and organisation administrators.
Anything outside these is 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models import F as models_F
from django.http import Http404

from access import policy
from accounts.models import Role

from . import referrals as referral_rules
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


def _accepted_referrals() -> Any:
    """Referrals the recipient accepted and nobody revoked since (accepted, in progress, completed)."""
    model = referral_rules.slot.get().model  # referrals.models.Referral, registered by the referrals room
    return model.objects.filter(status__in=(model.Status.ACCEPTED, model.Status.IN_PROGRESS,
                                            model.Status.COMPLETED))


def accepted_referral_id(case: Any, organisation_id: Any) -> Any:
    """The latest referral of this case to this organisation that the organisation accepted, or None.
    One query."""
    return (_accepted_referrals().filter(case_id=case.pk, recipient_organisation_id=organisation_id)
            .order_by("-sent_at").values_list("id", flat=True).first())


def provider_basis_q() -> Q:
    """The enrolments a provider may see: on a referral it accepted and that was not revoked since
    (a withdrawn consent revokes its referrals), on a direct consent not withdrawn, or of a case its
    own organisation leads (``Enrolment`` lookups)."""
    return (Q(Exists(_accepted_referrals().filter(pk=OuterRef("referral_id"))))
            | Q(direct_consent__isnull=False, direct_consent__withdrawn_at__isnull=True)
            | Q(case__lead_organisation_id=models_F("opportunity__organisation_id")))


def provider_may_see(user: Any, enrolment: Any) -> bool:
    """A publisher of the programme's organisation, for an enrolment on a basis it may see."""
    if not (may_publish(user) and user.organisation_id == enrolment.opportunity.organisation_id):
        return False
    if enrolment.case.lead_organisation_id == user.organisation_id:
        return True
    if enrolment.referral_id is not None:
        return bool(_accepted_referrals().filter(pk=enrolment.referral_id).exists())
    consent = enrolment.direct_consent
    return consent is not None and consent.withdrawn_at is None


def may_record_completion(user: Any, enrolment: Any) -> bool:
    """The provider of the training (its publishers, for a survivor referred to it or enrolled
    directly with consent) or the case team's editors."""
    return provider_may_see(user, enrolment) or may_edit_livelihood(user, enrolment.case)


def may_import_demand(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active
                and (getattr(user, "is_platform_admin", False)
                     or (acts_in_organisation(user) and user.has_role(Role.ORG_ADMIN))))
