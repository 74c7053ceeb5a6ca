"""Reading referrals: the two lists, the inbox's unread counts, and one referral for each side.

Who sees what is decided by ``access.referrals``. Only "not found" becomes a 404 (no such referral,
or a malformed id); any other error (a database error, a bug) propagates and answers 500.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from access import policy
from access import referrals as referral_access
from cases.models import Case

from .models import Referral, ReferralRead

# What a lookup by a malformed or unknown id raises: "not found", so 404. Nothing else is caught.
NOT_FOUND = (Referral.DoesNotExist, ValidationError, ValueError, TypeError)


def _base() -> QuerySet[Referral]:
    return Referral.objects.select_related("recipient_organisation", "sender_organisation", "service", "sent_by")


def shared_by_us(user: Any) -> QuerySet[Referral]:
    """Referrals of the cases this user may see (the sender's side)."""
    return _base().filter(case__in=policy.cases_visible_to(user)).select_related("case__survivor")


def unread_filter(user: Any) -> Any:
    read = ReferralRead.objects.filter(referral_id=OuterRef("pk"), user_id=user.pk, read_at__gte=OuterRef("last_event_at"))
    return ~Exists(read)


def shared_with_us(user: Any) -> QuerySet[Referral]:
    """Referrals sent to the user's organisation (the partner's side); no case data."""
    if not policy.may_work_on_cases(user):
        return Referral.objects.none()
    return _base().filter(recipient_organisation_id=user.organisation_id).annotate(unread=unread_filter(user))


def unread_count(user: Any) -> int:
    """Active referrals to the user's organisation changed since the user last opened them (one query)."""
    if not policy.may_work_on_cases(user):
        return 0
    return Referral.objects.filter(recipient_organisation_id=user.organisation_id, status__in=Referral.ACTIVE).filter(
        unread_filter(user)).count()


def for_case(case: Case) -> QuerySet[Referral]:
    return Referral.objects.filter(case=case).select_related("recipient_organisation", "service").order_by("-sent_at")


def referral_for_sender(user: Any, referral_id: Any) -> Referral:
    """A referral of a case the user may see (its sender's side); otherwise 404."""
    try:
        referral = _base().select_related("case__lead_organisation", "case__survivor", "goal", "service_region",
                                          "consent").get(pk=referral_id)
    except NOT_FOUND as exc:
        raise Http404 from exc
    if not policy.can(user, policy.Action.VIEW, referral.case):
        raise Http404
    return referral


def referral_get(user: Any, referral_id: Any) -> tuple[Referral, str]:
    """The referral and the side the user is on ("sender" or "recipient"), or 404: for the
    recipient while the referral is open only (after completion, revocation or expiry the packet
    is gone for them)."""
    try:
        referral = _base().select_related("case__lead_organisation", "case__survivor", "goal", "service_region").get(
            pk=referral_id)
    except NOT_FOUND as exc:  # DoesNotExist, a malformed UUID
        raise Http404 from exc
    side = referral_access.side_of(user, referral)
    if side is None:
        raise Http404
    return referral, side


def referral_for_recipient_action(user: Any, referral_id: Any) -> Referral:
    """A referral sent to the user's organisation, whatever its state (the service refuses what
    may not be done, with its reason); anyone else: 404."""
    try:
        referral = Referral.objects.filter(
            Q(recipient_organisation_id=getattr(user, "organisation_id", None))).get(pk=referral_id)
    except NOT_FOUND as exc:
        raise Http404 from exc
    if not referral_access.is_recipient(user, referral):
        raise Http404
    return referral
