"""Access rules of the privacy room (linkage requests, probing alerts); docs/privacy.md.

- A **linkage request** is seen only by the supervisors of the organisation whose case was matched
  (``target_organisation``), while that organisation still leads the case. Everyone else, the
  requesting user and organisation and the target organisation's caseworkers included, gets 404.
- The requester sees a request of theirs only once the other organisation has proposed a referral or
  a transfer (an ignored or undecided request shows nothing, so nothing confirms that a person is
  known elsewhere), and only while they may still see their own case.
- Probing alerts are for platform administrators.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Role

from . import policy


def may_decide_linkage(user: Any) -> bool:
    return policy.may_work_on_cases(user) and user.has_role(Role.SUPERVISOR)


def linkage_requests_visible_to(user: Any) -> QuerySet[Any]:
    from privacy.models import LinkageRequest

    if not may_decide_linkage(user):
        return LinkageRequest.objects.none()
    return LinkageRequest.objects.filter(
        target_organisation_id=user.organisation_id, matched_case__lead_organisation_id=user.organisation_id,
    )


def linkage_request_get_for_user(user: Any, linkage_id: Any) -> Any:
    from privacy.models import LinkageRequest

    try:
        return linkage_requests_visible_to(user).select_related(
            "matched_case", "matched_case__survivor", "requesting_organisation", "decided_by",
        ).get(pk=linkage_id)
    except (LinkageRequest.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc


def linkage_outcomes_visible_to(user: Any) -> QuerySet[Any]:
    """The requester's own requests that the other organisation has acted on (a proposal)."""
    from privacy.models import CONFIRMED, LinkageRequest

    if not policy.may_work_on_cases(user):
        return LinkageRequest.objects.none()
    return LinkageRequest.objects.filter(
        requested_by_id=user.pk, status__in=CONFIRMED,
        requesting_case__in=policy.cases_visible_to(user),
    )


def may_see_probing_alerts(user: Any) -> bool:
    return policy.may_manage_organisations(user)  # the platform administrators
