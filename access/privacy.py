"""Access rules of the privacy room (linkage requests, probing alerts); docs/privacy.md.

- A **linkage request** is seen only by the supervisors of the organisation whose case was matched
  (``target_organisation``), while that organisation still leads the case. Everyone else, the
  requesting user and organisation and the target organisation's caseworkers included, gets 404.
- The requester sees a request of theirs only once the other organisation has proposed a referral or
  a transfer (an ignored or undecided request shows nothing, so nothing confirms that a person is
  known elsewhere), and only while they may still see their own case.
- Probing alerts are for platform administrators.

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


slot: PolicySlot[LinkagePolicy] = PolicySlot("privacy")
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
