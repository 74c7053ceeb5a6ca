"""Access rules of the privacy room (linkage requests, probing alerts); docs/privacy.md.

- A **linkage request** is seen only by the supervisors of the organisation whose case was matched
  (``target_organisation``), while that organisation still leads the case. Everyone else, the
  requesting user and organisation and the target organisation's caseworkers included, gets 404.
- The requester sees a request of theirs only once the other organisation has proposed a referral or
  a transfer (an ignored or undecided request shows nothing, so nothing confirms that a person is
  known elsewhere), and only while they may still see their own case.
- Probing alerts are for platform administrators.
- **Break-the-glass** (what a grant allows is decided in ``access.policy``): any user with case work
  may ask for emergency access to a case outside their scope. A use is reviewed (accepted or
  reported) by the supervisors of the case's lead organisation while it still leads the case; the
  user who opened it sees their own uses; platform administrators see the list of every use (who,
  which organisations, when, why, the review), never the case. Anyone else gets 404.

The privacy room registers a ``LinkagePolicy`` with its model in ``PrivacyConfig.ready()``, so no
access module imports a room.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Role

from . import accounts, policy
from .base import PolicySlot


class LinkagePolicy:
    def __init__(self, *, model: Any, confirmed: Iterable[str]) -> None:
        self.model = model  # privacy.models.LinkageRequest
        self.confirmed = tuple(confirmed)  # the statuses the requester may learn of

    def requests_visible_to(self, user: Any) -> QuerySet[Any]:
        if not may_decide_linkage(user):
            return self.model.objects.none()  # type: ignore[no-any-return]
        return self.model.objects.filter(  # type: ignore[no-any-return]
            target_organisation_id=user.organisation_id, matched_case__lead_organisation_id=user.organisation_id,
        )

    def request_get_for_user(self, user: Any, linkage_id: Any) -> Any:
        try:
            return self.requests_visible_to(user).select_related(
                "matched_case", "matched_case__survivor", "requesting_organisation", "decided_by",
            ).get(pk=linkage_id)
        except (self.model.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
            raise Http404 from exc

    def outcomes_visible_to(self, user: Any) -> QuerySet[Any]:
        if not policy.may_work_on_cases(user):
            return self.model.objects.none()  # type: ignore[no-any-return]
        return self.model.objects.filter(  # type: ignore[no-any-return]
            requested_by_id=user.pk, status__in=self.confirmed,
            requesting_case__in=policy.cases_visible_to(user),
        )


class EmergencyPolicy:
    def __init__(self, *, model: Any) -> None:
        self.model = model  # privacy.models.EmergencyGrant

    def uses_to_review(self, user: Any) -> QuerySet[Any]:
        if not policy.is_supervisor(user):
            return self.model.objects.none()  # type: ignore[no-any-return]
        return self.model.objects.filter(  # type: ignore[no-any-return]
            lead_organisation_id=user.organisation_id, case__lead_organisation_id=user.organisation_id,
        )

    def uses_visible_to(self, user: Any) -> QuerySet[Any]:
        if may_see_probing_alerts(user):
            return self.model.objects.all()  # type: ignore[no-any-return]
        if not policy.may_work_on_cases(user):
            return self.model.objects.none()  # type: ignore[no-any-return]
        return self.uses_to_review(user) | self.model.objects.filter(user_id=user.pk)  # type: ignore[no-any-return]

    def use_get_for_user(self, user: Any, grant_id: Any) -> Any:
        """A use's page: its reviewers and the user who opened it (not the platform administrators,
        who have the list)."""
        if not policy.may_work_on_cases(user):
            raise Http404
        qs = self.uses_to_review(user) | self.model.objects.filter(user_id=user.pk)
        try:
            return qs.select_related("case__survivor", "user", "organisation", "lead_organisation",
                                     "reviewed_by").get(pk=grant_id)
        except (self.model.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
            raise Http404 from exc


slot: PolicySlot[LinkagePolicy] = PolicySlot("privacy")
emergency_slot: PolicySlot[EmergencyPolicy] = PolicySlot("privacy (break-the-glass)")
emergency_register = emergency_slot.register
register = slot.register


def may_decide_linkage(user: Any) -> bool:
    return policy.may_work_on_cases(user) and user.has_role(Role.SUPERVISOR)


def linkage_requests_visible_to(user: Any) -> QuerySet[Any]:
    return slot.get().requests_visible_to(user)


def linkage_request_get_for_user(user: Any, linkage_id: Any) -> Any:
    return slot.get().request_get_for_user(user, linkage_id)


def linkage_outcomes_visible_to(user: Any) -> QuerySet[Any]:
    """The requester's own requests that the other organisation has acted on (a proposal)."""
    return slot.get().outcomes_visible_to(user)


def may_see_probing_alerts(user: Any) -> bool:
    return accounts.may_manage_organisations(user)  # the platform administrators


def may_open_emergency(user: Any) -> bool:
    """Who may ask for emergency access: anyone with case work (the case must be outside their scope)."""
    return policy.may_work_on_cases(user)


def may_review_emergency(user: Any, grant: Any) -> bool:
    return emergency_slot.get().uses_to_review(user).filter(pk=grant.pk).exists()


def emergency_uses_to_review(user: Any) -> QuerySet[Any]:
    return emergency_slot.get().uses_to_review(user)


def emergency_uses_visible_to(user: Any) -> QuerySet[Any]:
    return emergency_slot.get().uses_visible_to(user)


def emergency_use_get_for_user(user: Any, grant_id: Any) -> Any:
    return emergency_slot.get().use_get_for_user(user, grant_id)
