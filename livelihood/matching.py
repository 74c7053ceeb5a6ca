"""Matching a survivor to opportunities: explained, configurable, a pure function (no database).

Each open opportunity gets seven factors, each a number in [0, 1], and a score that is their
weighted mean (weights in ``conf.match_weights``, setting SINTAS_LIVELIHOOD_MATCH_WEIGHTS):

- ``interest``: the opportunity's sector is one the survivor named (1), else 0;
- ``skills``: the share of the opportunity's skills the survivor already has (at least basic);
- ``gap``: for training and enterprise support, the share of its skills the survivor has below
  "good" that it would build (the gap it closes); a vacancy closes none;
- ``demand``: openings in the opportunity's sector where the survivor wants to live, relative to
  the sector in most demand there (labour-market imports plus open vacancies recorded in Sintas);
- ``distance``: from the region codes: the same kabupaten/kota 1, the same province 2/3, the same
  island group (the first digit of the province code) 1/3, else 0; online counts as 1;
- ``availability``: starts within the first window (or is rolling) 1, falling to 0 at the second;
- ``constraints``: the share of the survivor's constraints the opportunity accommodates.

Eligibility (places free, minimum age, women-only) excludes; an excluded opportunity is not
ranked. Every suggestion carries its factors, so a caseworker can explain the ranking.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy

from . import conf
from .models import Constraint, OpportunityKind

FACTOR_LABELS = {
    "interest": gettext_lazy("interest"),
    "skills": gettext_lazy("skills already held"),
    "gap": gettext_lazy("skill gap closed"),
    "demand": gettext_lazy("labour-market demand"),
    "distance": gettext_lazy("distance"),
    "availability": gettext_lazy("availability and start date"),
    "constraints": gettext_lazy("constraints accommodated"),
}

# The lowest age of each CTDC age band: an opportunity's minimum age is met if the band starts there.
AGE_BAND_START = {"0-8": 0, "9-17": 9, "18-20": 18, "21-23": 21, "24-26": 24, "27-29": 27, "30-38": 30,
                  "39-47": 39, "48+": 48}


@dataclass
class Survivor:
    interest_sectors: list[str] = field(default_factory=list)
    skills: dict[str, int] = field(default_factory=dict)  # skill code -> level 0..3
    region: str = ""  # preferred kabupaten/kota code
    constraints: list[str] = field(default_factory=list)
    sex: str = ""
    age_band: str = ""
    # For the "matches own exploitation" flag (never shown outside the case team).
    exploitation_sector: str = ""
    exploitation_country: str = ""
    recruitment_region: str = ""
    exploitative_employers: list[str] = field(default_factory=list)


@dataclass
class Factor:
    code: str
    value: float
    weight: float

    @property
    def contribution(self) -> float:
        return self.value * self.weight

    @property
    def label(self) -> str:
        return str(FACTOR_LABELS[self.code])


@dataclass
class Suggestion:
    opportunity: dict[str, Any]
    score: float
    factors: list[Factor]
    flags: list[str] = field(default_factory=list)

    @property
    def id(self) -> Any:
        return self.opportunity["id"]

    def as_dict(self) -> dict[str, Any]:
        return {"opportunity": self.id, "score": round(self.score, 4), "flags": self.flags,
                "factors": [{"code": f.code, "value": round(f.value, 4), "weight": f.weight} for f in self.factors]}


def distance_factor(a: str | None, b: str | None) -> float:
    if not a or not b:
        return 0.0
    if a[:5] == b[:5]:
        return 1.0
    if a[:2] == b[:2]:
        return 2 / 3
    if a[:1] == b[:1]:
        return 1 / 3
    return 0.0


def availability_factor(start: dt.date | None, today: dt.date, window: tuple[int, int] | None = None) -> float:
    if start is None:
        return 1.0
    full, none = window or conf.availability_days()
    days = (start - today).days
    if days < 0:  # already started: a late entry is possible only where the provider allows it
        return 0.5
    if days <= full:
        return 1.0
    if days >= none:
        return 0.0
    return 1 - (days - full) / (none - full)


CONSTRAINT_CODES = frozenset(Constraint.values)


def constraints_factor(s: Survivor, o: dict[str, Any], distance: float, *, part_time: int | None = None) -> float:
    relevant = [c for c in s.constraints if c in CONSTRAINT_CODES]
    if not relevant:
        return 1.0
    part_time = conf.part_time_hours() if part_time is None else part_time
    met = 0
    for c in relevant:
        if c == Constraint.CHILDCARE:
            met += bool(o.get("childcare_available"))
        elif c == Constraint.HEALTH:
            met += bool(o.get("flexible_schedule"))
        elif c == Constraint.TRAVEL:
            met += bool(o.get("online")) or distance >= 1.0
        elif c == Constraint.HOURS:
            hours = o.get("hours_per_week")
            met += bool(o.get("flexible_schedule")) or (hours is not None and hours <= part_time)
        elif c == Constraint.DOCUMENTS:
            met += not o.get("documents_required", True)
    return met / len(relevant)


def eligible(s: Survivor, o: dict[str, Any]) -> bool:
    if o.get("places_free", 0) <= 0:
        return False
    if o.get("women_only") and s.sex != "female":
        return False
    start = AGE_BAND_START.get(s.age_band)
    return not (start is not None and start < int(o.get("min_age") or 0))


def own_exploitation_flags(s: Survivor, o: dict[str, Any]) -> list[str]:
    """Why an offer resembles the survivor's own exploitation (same employer, same sector abroad,
    same recruiter region): flagged to the caseworker, never a reason shown to the partner."""
    flags = []
    employer = (o.get("employer_name") or "").strip().casefold()
    if employer and employer in {e.strip().casefold() for e in s.exploitative_employers if e.strip()}:
        flags.append("same_employer")
    if o.get("abroad") and s.exploitation_sector and o.get("sector") == s.exploitation_sector:
        flags.append("same_sector_abroad")
    if o.get("abroad") and s.exploitation_country and o.get("destination_country") == s.exploitation_country:
        flags.append("same_country")
    if s.recruitment_region and o.get("kind") == OpportunityKind.VACANCY and o.get("abroad") \
            and (o.get("organisation_region") or "")[:5] == s.recruitment_region[:5]:
        flags.append("same_recruiter_region")
    return flags


FACTORS = tuple(FACTOR_LABELS)  # the order of the values below


class _Scorer:
    """Everything that does not depend on the opportunity, computed once per ranking: one survivor
    over 5,000 opportunities is a tight loop (the 300 ms budget, bench/livelihood.py)."""

    def __init__(self, s: Survivor, *, demand: dict[tuple[str, str], int], today: dt.date,
                 weights: dict[str, float]) -> None:
        self.s = s
        self.today = today
        self.here = s.region[:5]
        self.interests = frozenset(s.interest_sectors)
        self.top_demand = max((n for (region, _sector), n in demand.items() if region == self.here), default=0)
        self.demand = {sector: n for (region, sector), n in demand.items() if region == self.here}
        self.window = conf.availability_days()
        self.part_time = conf.part_time_hours()
        self.weights = tuple(weights.get(code, 0.0) for code in FACTORS)
        self.total_weight = sum(self.weights)

    def values(self, o: dict[str, Any]) -> tuple[float, ...]:
        s = self.s
        skills = o.get("skills") or ()
        if skills:
            held = s.skills
            levels = [held.get(k, 0) for k in skills]
            n = len(levels)
            skills_f = (n - levels.count(0)) / n
            gap_f = 0.0 if o.get("kind") == OpportunityKind.VACANCY else (levels.count(0) + levels.count(1)) / n
        else:
            skills_f = gap_f = 0.0
        dist = 1.0 if o.get("online") else distance_factor(s.region, o.get("region_id"))
        demand_f = min(1.0, self.demand.get(o.get("sector") or "", 0) / self.top_demand) if self.top_demand else 0.0
        return (
            1.0 if o.get("sector") in self.interests else 0.0,
            skills_f,
            gap_f,
            demand_f,
            dist,
            availability_factor(o.get("start_date"), self.today, self.window),
            constraints_factor(s, o, dist, part_time=self.part_time),
        )

    def total(self, values: tuple[float, ...]) -> float:
        if not self.total_weight:
            return 0.0
        w = self.weights
        return (values[0] * w[0] + values[1] * w[1] + values[2] * w[2] + values[3] * w[3] + values[4] * w[4]
                + values[5] * w[5] + values[6] * w[6]) / self.total_weight

    def suggestion(self, o: dict[str, Any], values: tuple[float, ...], total: float) -> Suggestion:
        factors = [Factor(code, v, w) for code, v, w in zip(FACTORS, values, self.weights, strict=True)]
        return Suggestion(opportunity=o, score=total, factors=factors, flags=own_exploitation_flags(self.s, o))


def score(s: Survivor, o: dict[str, Any], *, demand: dict[tuple[str, str], int], today: dt.date,
          weights: dict[str, float]) -> Suggestion:
    """One opportunity's suggestion, with every factor (for a single score; ``rank`` for many)."""
    scorer = _Scorer(s, demand=demand, today=today, weights=weights)
    values = scorer.values(o)
    return scorer.suggestion(o, values, scorer.total(values))


def rank(s: Survivor, opportunities: list[dict[str, Any]], *, demand: dict[tuple[str, str], int], today: dt.date,
         weights: dict[str, float] | None = None, limit: int | None = None) -> list[Suggestion]:
    """The eligible opportunities, best first (ties: earlier start, then id). The factors and the
    flags are built for the suggestions returned only."""
    scorer = _Scorer(s, demand=demand, today=today, weights=conf.match_weights() if weights is None else weights)
    far = dt.date.max
    scored = []
    for o in opportunities:
        if eligible(s, o):
            values = scorer.values(o)
            scored.append((-round(scorer.total(values), 9), o.get("start_date") or far, str(o["id"]), values, o))
    scored.sort(key=lambda row: row[:3])
    chosen = scored[:limit] if limit else scored
    return [scorer.suggestion(o, values, -neg) for neg, _start, _id, values, o in chosen]
