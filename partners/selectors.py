"""Reading the partner directory: search, nearest region first, and coverage checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from care.models import OrganisationService

from .models import PartnerProfile, PartnerRegion

ELIGIBILITY = {
    "children": "serves_children",
    "women": "serves_women",
    "men": "serves_men",
    "foreign_nationals": "serves_foreign_nationals",
}
ELIGIBILITY_CHOICES = [
    ("children", _("children")),
    ("women", _("women")),
    ("men", _("men")),
    ("foreign_nationals", _("foreign nationals")),
]
AVAILABILITY_CHOICES = [
    ("accepting", _("accepting referrals now")),
    ("shelter_beds", _("free shelter beds")),
    ("training_places", _("free training places")),
]
# Nearness of an organisation to the region searched for, best first.
RANK_LABELS = {
    0: _("serves this regency or city"),
    1: _("serves this province"),
    2: _("serves all of Indonesia"),
    3: _("does not list this region"),
}


@dataclass(frozen=True)
class SearchParams:
    service: str = ""
    region: str = ""  # a province ("53") or kabupaten/kota code ("53.71")
    eligible: tuple[str, ...] = ()
    availability: tuple[str, ...] = ()
    q: str = ""


def _with_related(qs: QuerySet[PartnerProfile]) -> QuerySet[PartnerProfile]:
    return qs.select_related("organisation", "organisation__region").prefetch_related(
        Prefetch("regions", queryset=PartnerRegion.objects.select_related("region").order_by("region_id")),
        Prefetch("organisation__provided_services",
                 queryset=OrganisationService.objects.select_related("service").order_by("service__sort_order"),
                 to_attr="services_list"),
    )


def listed() -> QuerySet[PartnerProfile]:
    return PartnerProfile.objects.filter(is_listed=True, organisation__is_active=True)


def directory_search(params: SearchParams) -> QuerySet[PartnerProfile]:
    """Listed, active organisations matching every filter given; with a region, those serving the
    same kabupaten/kota first, then the same province, then national coverage, then the others."""
    qs = listed()
    if params.service:
        qs = qs.filter(Exists(OrganisationService.objects.filter(
            organisation_id=OuterRef("organisation_id"), service__code=params.service)))
    for key in params.eligible:
        if key in ELIGIBILITY:
            qs = qs.filter(**{ELIGIBILITY[key]: True})
    if "accepting" in params.availability:
        qs = qs.filter(accepting_referrals=True)
    if "shelter_beds" in params.availability:
        qs = qs.filter(shelter_beds_available__gt=0)
    if "training_places" in params.availability:
        qs = qs.filter(training_places_available__gt=0)
    if params.q:
        qs = qs.filter(Q(organisation__name__icontains=params.q) | Q(description__icontains=params.q))
    if params.region:
        code = params.region
        province = code[:2]
        exact = PartnerRegion.objects.filter(profile_id=OuterRef("pk"), region_id=code)
        in_province = PartnerRegion.objects.filter(profile_id=OuterRef("pk")).filter(
            Q(region_id=province) | Q(region__code__startswith=f"{province}."))
        qs = qs.annotate(rank=Case(
            When(Exists(exact), then=Value(0)),
            When(Exists(in_province), then=Value(1)),
            When(national=True, then=Value(2)),
            default=Value(3), output_field=IntegerField(),
        )).order_by("rank", "organisation__name")
    else:
        qs = qs.annotate(rank=Value(None, output_field=IntegerField())).order_by("organisation__name")
    return _with_related(qs)


def profile_get(partner_id: Any) -> PartnerProfile:
    """A listed profile of an active organisation; otherwise 404."""
    try:
        return _with_related(listed()).get(organisation_id=int(str(partner_id)))
    except (PartnerProfile.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def serves_region(profile: PartnerProfile, region_code: str) -> bool:
    """Whether the organisation covers the kabupaten/kota (itself, its province, or nationally)."""
    if profile.national:
        return True
    return PartnerRegion.objects.filter(profile=profile, region_id__in=[region_code, region_code[:2]]).exists()
