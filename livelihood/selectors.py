"""Reads of the livelihood room, through the access rules (``access.livelihood``); fixed query counts."""

from __future__ import annotations

from typing import Any

from django.db.models import Max, QuerySet, Sum
from django.utils.translation import gettext as _

from access import livelihood as rules
from core import clock
from core.choices import Domain

from . import conf, matching, skills
from .models import (
    SHAREABLE_CONSTRAINTS,
    Constraint,
    DecentWorkCheck,
    EconomicProfile,
    Education,
    Enrolment,
    Enterprise,
    IncomeFollowUp,
    LabourDemand,
    Literacy,
    MatchChoice,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    Placement,
    Sector,
)

# The columns matching reads: one query over every open opportunity, no model instances.
MATCH_COLUMNS = ("id", "kind", "title", "sector", "skills", "region_id", "online", "start_date", "hours_per_week",
                 "places_free", "min_age", "women_only", "childcare_available", "flexible_schedule",
                 "documents_required", "employer_name", "abroad", "destination_country", "monthly_wage",
                 "organisation_id", "organisation__name", "organisation__region_id")

def flag_labels() -> dict[str, str]:
    return {
        "same_employer": _("same employer or recruiter as in the survivor's exploitation"),
        "same_sector_abroad": _("same sector abroad as the survivor's exploitation"),
        "same_country": _("same country as the survivor's exploitation"),
        "same_recruiter_region": _("recruiter from the region where the survivor was recruited"),
    }


def profile_for(case: Any) -> EconomicProfile | None:
    """The profile with its work history and skills (three queries), or None before the first save."""
    return (EconomicProfile.objects.filter(case_id=case.pk).select_related("preferred_region", "updated_by")
            .prefetch_related("work_history", "skills").first())


def survivor_facts(case: Any, profile: EconomicProfile | None) -> matching.Survivor:
    work = list(profile.work_history.all()) if profile else []
    region = (profile.preferred_region_id if profile else None) or case.survivor.origin_regency_id or ""
    return matching.Survivor(
        interest_sectors=list(profile.interest_sectors) if profile else [],
        skills={s.skill: s.level for s in profile.skills.all()} if profile else {},
        region=region, constraints=list(profile.constraints) if profile else [],
        sex=case.survivor.sex, age_band=case.survivor.age_band,
        exploitation_sector=case.forced_labour_industry or "",
        exploitation_country=str(case.exploitation_country or ""),
        recruitment_region=case.recruitment_region_id or "",
        exploitative_employers=[w.employer_name for w in work if w.was_exploitative and w.employer_name],
    )


def open_opportunities(user: Any) -> list[dict[str, Any]]:
    rows = (rules.opportunities_visible_to(user).filter(status=OpportunityStatus.OPEN)
            .values(*MATCH_COLUMNS))
    found = []
    for row in rows:
        row["organisation_region"] = row.pop("organisation__region_id") or ""
        found.append(row)
    return found


def demand_map(region: str) -> dict[tuple[str, str], int]:
    """Openings per sector in a kabupaten/kota: the latest imported period of each source, plus the
    places of open vacancies recorded in Sintas (two queries)."""
    here = (region or "")[:5]
    demand: dict[tuple[str, str], int] = {}
    if not here:
        return demand
    latest = (LabourDemand.objects.filter(region_id=here, openings__isnull=False)
              .values("sector", "source").annotate(period=Max("period")))
    periods = {(r["sector"], r["source"]): r["period"] for r in latest}
    for row in LabourDemand.objects.filter(region_id=here, openings__isnull=False).values(
            "sector", "source", "period", "openings"):
        if periods.get((row["sector"], row["source"])) == row["period"]:
            key = (here, row["sector"])
            demand[key] = demand.get(key, 0) + int(row["openings"] or 0)
    vacancies = (Opportunity.objects.filter(status=OpportunityStatus.OPEN, kind=OpportunityKind.VACANCY,
                                            region_id=here).values("sector").annotate(n=Sum("places_free")))
    for vacancy in vacancies:
        key = (here, str(vacancy["sector"]))
        demand[key] = demand.get(key, 0) + int(vacancy["n"] or 0)
    return demand


def suggestions_for(user: Any, case: Any, profile: EconomicProfile | None, *,
                    limit: int | None = None) -> list[matching.Suggestion]:
    """The ranked suggestions for a case (three queries besides the profile's, however many opportunities)."""
    facts = survivor_facts(case, profile)
    return matching.rank(facts, open_opportunities(user), demand=demand_map(facts.region), today=clock.today(),
                         limit=limit if limit is not None else conf.suggestions_shown())


def shareable_summary(profile: EconomicProfile | None) -> str:
    """What a livelihood referral packet may carry of the profile: education, literacy, languages,
    skills and certificates, interests, where the survivor wants to work and the practical
    constraints. Never the work history (it holds the exploitative job), debts, income or health."""
    if profile is None:
        return ""
    lines = []
    if profile.education:
        lines.append(f"{_('Education')}: {Education(profile.education).label}")
    if profile.literacy:
        lines.append(f"{_('Literacy')}: {Literacy(profile.literacy).label}")
    if profile.languages:
        lines.append(f"{_('Languages')}: {profile.languages}")
    held = [f"{skills.label(s.skill)} ({s.get_assessed_level_display() if s.assessed_level is not None else s.get_self_level_display()})"  # noqa: E501
            for s in profile.skills.all()]
    if held:
        lines.append(f"{_('Skills')}: {', '.join(held)}")
    if profile.certificates:
        lines.append(f"{_('Certificates')}: {profile.certificates}")
    sectors = [str(Sector(s).label) for s in profile.interest_sectors if s in Sector.values]
    if sectors:
        lines.append(f"{_('Sectors of interest')}: {', '.join(sectors)}")
    if profile.interests_text:
        lines.append(f"{_('Interests')}: {profile.interests_text}")
    if profile.preferred_region_id:
        lines.append(f"{_('Wants to work in')}: {profile.preferred_region.name}")  # type: ignore[union-attr]
    shared = [str(Constraint(c).label) for c in profile.constraints if c in SHAREABLE_CONSTRAINTS]
    if shared:
        lines.append(f"{_('Practical constraints')}: {', '.join(shared)}")
    return "\n".join(lines)[:2000]


def economic_goals(case: Any) -> list[Any]:
    from plans.models import Goal

    return list(Goal.objects.filter(plan__case_id=case.pk, domain=Domain.ECONOMIC).exclude(status="dropped")
                .order_by("id"))


def case_records(case: Any) -> dict[str, Any]:
    """The case's livelihood records (six queries whatever their number)."""
    return {
        "enrolments": list(Enrolment.objects.filter(case_id=case.pk).select_related("opportunity",
                                                                                      "opportunity__organisation")),
        "placements": list(Placement.objects.filter(case_id=case.pk).select_related("region", "work_check")),
        "enterprises": list(Enterprise.objects.filter(case_id=case.pk).select_related("support")),
        "follow_ups": list(IncomeFollowUp.objects.filter(case_id=case.pk)),
        "choices": list(MatchChoice.objects.filter(case_id=case.pk).select_related("opportunity", "recorded_by")[:10]),
        "checks": list(DecentWorkCheck.objects.filter(case_id=case.pk).select_related("opportunity")[:10]),
    }


def enrolments_for_provider(user: Any) -> QuerySet[Enrolment]:
    """Enrolments in the user's organisation's programmes (the provider records completion)."""
    if not rules.may_publish(user):
        return Enrolment.objects.none()
    return (Enrolment.objects.filter(opportunity__organisation_id=user.organisation_id)
            .select_related("opportunity", "case__survivor"))


def enrolment_get_for_user(user: Any, enrolment_id: Any) -> Enrolment:
    from django.core.exceptions import ValidationError
    from django.http import Http404

    try:
        enrolment = Enrolment.objects.select_related("opportunity", "case", "case__survivor").get(pk=enrolment_id)
    except (Enrolment.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc
    if not rules.may_record_completion(user, enrolment):
        raise Http404
    return enrolment


def check_get_for_supervisor(user: Any, check_id: Any) -> DecentWorkCheck:
    from django.core.exceptions import ValidationError
    from django.http import Http404

    try:
        check = DecentWorkCheck.objects.select_related("case", "opportunity").get(pk=check_id, case__isnull=False)
    except (DecentWorkCheck.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc
    if check.case is None or check.case.lead_organisation_id != getattr(user, "organisation_id", None) \
            or not rules.may_view_livelihood(user, check.case) and not rules.may_override_check(user, check.case):
        raise Http404
    return check
