"""Reads of the privacy room, through its access rules (``access.privacy``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from access import privacy as access_privacy

from .models import CONFIRMED, EmergencyGrant, LinkageRequest, ProbingAlert


def linkage_requests_for(user: Any, *, code: str = "", status: str = "") -> QuerySet[LinkageRequest]:
    """The linkage requests a supervisor decides, newest first; ``code`` filters by the start of
    their own case's survivor code, ``status`` by status."""
    qs = access_privacy.linkage_requests_visible_to(user).select_related(
        "matched_case__survivor", "requesting_organisation",
    )
    code = code.strip().upper()
    if code:
        qs = qs.filter(matched_case__survivor__code__startswith=code)
    if status in LinkageRequest.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "pk")


def linkage_outcomes_for(user: Any) -> QuerySet[LinkageRequest]:
    """The requester's requests that the other organisation acted on."""
    return access_privacy.linkage_outcomes_visible_to(user).select_related(
        "requesting_case__survivor", "target_organisation",
    ).order_by("-decided_at", "pk")


def probing_alerts_for(user: Any) -> QuerySet[ProbingAlert]:
    if not access_privacy.may_see_probing_alerts(user):
        return ProbingAlert.objects.none()
    return ProbingAlert.objects.select_related("user", "organisation").order_by("-day", "-created_at")


def persons_of(cases: QuerySet[Any], *, case: str = "pk") -> QuerySet[Any]:
    """The rows of ``cases`` (cases, or per-case figures whose ``case`` column names the case) with
    each linked person once: a case drops out when a confirmed linkage names it as the later
    registration of a case that is in ``cases`` too. A chain (A, B registered as A, C as B) counts once."""
    duplicate_of_counted = LinkageRequest.objects.filter(
        requesting_case_id=OuterRef(case), status__in=CONFIRMED,
        matched_case_id__in=cases.values(case),
    )
    return cases.exclude(Exists(duplicate_of_counted))


def emergency_uses_for(user: Any, *, review: str = "") -> QuerySet[EmergencyGrant]:
    """The uses of emergency access a user may list: a supervisor's to review, their own, or (for
    platform administrators) all; newest first."""
    qs = access_privacy.emergency_uses_visible_to(user).select_related(
        "user", "organisation", "lead_organisation", "reviewed_by",
    )
    if review in EmergencyGrant.Review.values:
        qs = qs.filter(review=review)
    return qs.order_by("-created_at", "pk")
