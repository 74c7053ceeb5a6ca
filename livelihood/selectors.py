"""Reads of the livelihood room, through the access rules (``access.livelihood``); fixed query counts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from access import livelihood as rules
from core import clock
from core.choices import Domain
from plans.models import Goal
from recovery.selectors import IncomePoint

from . import conf, matching, skills
from .models import (
    SHAREABLE_CONSTRAINTS,
    Constraint,
    DebtChange,
    DecentWorkCheck,
    EconomicProfile,
    Education,
    Enrolment,
    Enterprise,
    IncomeBand,
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

# The columns matching reads: one query over every open opportunity, no join, no model instances;
# what a suggestion shows besides (title, organisation, the flags' columns) is read for the
# suggestions returned only, in one more query.
MATCH_COLUMNS = ("id", "kind", "sector", "skills", "region_id", "online", "start_date", "hours_per_week",
                 "places_free", "min_age", "women_only", "childcare_available", "flexible_schedule",
                 "documents_required")
SHOW_COLUMNS = ("id", "title", "employer_name", "abroad", "destination_country", "monthly_wage", "organisation_id",
                "organisation__name", "organisation__region_id")


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


def open_opportunities(user: Any, facts: matching.Survivor | None = None) -> list[dict[str, Any]]:
    """Every open opportunity the user may see, as dicts of MATCH_COLUMNS; with ``facts``, only
    those the survivor is eligible for (places free, sex, age), filtered in the database."""
    qs = rules.opportunities_visible_to(user).filter(status=OpportunityStatus.OPEN)
    if facts is not None:
        qs = qs.filter(places_free__gt=0)
        if facts.sex != "female":
            qs = qs.filter(women_only=False)
        start = matching.AGE_BAND_START.get(facts.age_band)
        if start is not None:
            qs = qs.filter(min_age__lte=start)
    return list(qs.values(*MATCH_COLUMNS))


def _with_display(found: list[matching.Suggestion], facts: matching.Survivor) -> list[matching.Suggestion]:
    shown = {row["id"]: row for row in Opportunity.objects.filter(pk__in=[s.id for s in found]).values(*SHOW_COLUMNS)}
    for suggestion in found:
        extra = shown.get(suggestion.id, {})
        suggestion.opportunity.update(extra)
        suggestion.opportunity["organisation_region"] = extra.get("organisation__region_id") or ""
        suggestion.flags = matching.own_exploitation_flags(facts, suggestion.opportunity)
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
    """The ranked suggestions for a case (four queries besides the profile's, however many opportunities)."""
    facts = survivor_facts(case, profile)
    found = matching.rank(facts, open_opportunities(user, facts), demand=demand_map(facts.region),
                          today=clock.today(), limit=limit if limit is not None else conf.suggestions_shown())
    return _with_display(found, facts)


def shareable_summary(profile: EconomicProfile | None) -> str:
    """What a livelihood referral packet may carry of the profile: education, literacy, languages,
    skills and certificates, interests, where the survivor wants to work and the practical
    constraints. Never the work history (it holds the exploitative job), debts, income or health."""
    if profile is None:
        return ""
    def line(label: str, value: str) -> None:
        lines.append("%s: %s" % (label, value))  # noqa: UP031 (gettext calls stay outside f-strings)

    lines: list[str] = []
    if profile.education:
        line(_("Education"), str(Education(profile.education).label))
    if profile.literacy:
        line(_("Literacy"), str(Literacy(profile.literacy).label))
    if profile.languages:
        line(_("Languages"), profile.languages)
    held = ["%s (%s)" % (skills.label(s.skill), s.get_assessed_level_display() if s.assessed_level is not None  # noqa: UP031
                         else s.get_self_level_display()) for s in profile.skills.all()]
    if held:
        line(_("Skills"), ", ".join(held))
    if profile.certificates:
        line(_("Certificates"), profile.certificates)
    sectors = [str(Sector(s).label) for s in profile.interest_sectors if s in Sector.values]
    if sectors:
        line(_("Sectors of interest"), ", ".join(sectors))
    if profile.interests_text:
        line(_("Interests"), profile.interests_text)
    if profile.preferred_region_id:
        line(_("Wants to work in"), profile.preferred_region.name)  # type: ignore[union-attr]
    shared = [str(Constraint(c).label) for c in profile.constraints if c in SHAREABLE_CONSTRAINTS]
    if shared:
        line(_("Practical constraints"), ", ".join(shared))
    return "\n".join(lines)[:2000]


def economic_goals(case: Any) -> list[Any]:

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
    """Enrolments in the user's organisation's programmes (the provider records completion), of the
    survivors referred to it or enrolled directly with consent only (access.livelihood)."""
    if not rules.may_publish(user):
        return Enrolment.objects.none()
    return (Enrolment.objects.filter(opportunity__organisation_id=user.organisation_id)
            .filter(rules.provider_basis_q()).select_related("opportunity", "case__survivor"))


def enrolment_get_for_user(user: Any, enrolment_id: Any) -> Enrolment:

    try:
        enrolment = Enrolment.objects.select_related("opportunity", "case", "case__survivor",
                                                     "direct_consent").get(pk=enrolment_id)
    except (Enrolment.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc
    if not rules.may_record_completion(user, enrolment):
        raise Http404
    return enrolment


def check_get_for_supervisor(user: Any, check_id: Any) -> DecentWorkCheck:

    try:
        check = DecentWorkCheck.objects.select_related("case", "opportunity").get(pk=check_id, case__isnull=False)
    except (DecentWorkCheck.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc
    if check.case is None or check.case.lead_organisation_id != getattr(user, "organisation_id", None) \
            or not rules.may_view_livelihood(user, check.case) and not rules.may_override_check(user, check.case):
        raise Http404
    return check


def risk_screen_hints(case: Any, *, user: Any) -> dict[str, str]:
    """What the livelihood record says for the re-trafficking risk screen (DOMAIN.md section 9: loss
    of income, debt and debts to recruiters are risk factors), as answers the screen starts from; the
    caseworker corrects them. Two queries. Nothing for a user who may not see livelihood data (a
    supervisor off the case team may record a follow-up, but the profile's debts are the team's)."""

    hints: dict[str, str] = {}
    if not rules.may_view_livelihood(user, case):
        return hints
    latest = IncomeFollowUp.objects.filter(case_id=case.pk).order_by("-months_after").first()
    if latest is not None and (not latest.working or latest.band in (IncomeBand.NONE, IncomeBand.BELOW_HALF)
                               or latest.debt_change == DebtChange.INCREASED):
        hints["same_community_hardship"] = "yes"
    if EconomicProfile.objects.filter(case_id=case.pk, debt_to_recruiter=True).exists():
        hints["trafficker_contact"] = "yes"
    return hints


# Where each income band sits on the economic domain's scale (1 high vulnerability .. 4 thriving).
BAND_LEVELS = {IncomeBand.NONE: 1, IncomeBand.BELOW_HALF: 2, IncomeBand.BELOW: 3, IncomeBand.AT_OR_ABOVE: 4}


def income_points_for(user: Any, case: Any) -> list[IncomePoint]:
    """The case's income follow-ups as points of the economic domain of the recovery trajectory
    (registered in ``recovery.selectors``), for those who may see livelihood data only. One query."""
    if user is None or not rules.may_view_livelihood(user, case):
        return []
    points = []
    for f in IncomeFollowUp.objects.filter(case_id=case.pk).order_by("recorded_on", "months_after"):
        band = str(IncomeBand(f.band).label)
        work = _("working") if f.working else _("not working")
        debts = str(DebtChange(f.debt_change).label)
        detail = _("%(work)s; debts: %(debts)s") % {"work": work, "debts": debts}
        title = _("Income at %(months)s months: %(band)s; %(detail)s") % {
            "months": f.months_after, "band": band, "detail": detail}
        points.append(IncomePoint(on=f.recorded_on, level=BAND_LEVELS[IncomeBand(f.band)], title=title, band=band,
                                  detail=detail))
    return points
