"""Matching with hand-computed rankings: each factor changes the order on its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from livelihood import matching
from livelihood.conf import DEFAULT_WEIGHTS

TODAY = dt.date(2026, 3, 11)
KUPANG, KAB_KUPANG, SURABAYA, JAKARTA = "53.71", "53.01", "35.78", "31.71"
C, FOOD = "C_Manufacturing", "I_AccommodationAndFoodServiceActivities"


def opp(id: int, **kw: Any) -> dict[str, Any]:
    base = {"id": id, "kind": "training", "sector": C, "skills": [], "region_id": KUPANG, "online": False,
            "start_date": None, "hours_per_week": 40, "places_free": 5, "min_age": 18, "women_only": False,
            "childcare_available": False, "flexible_schedule": False, "documents_required": True,
            "employer_name": "", "abroad": False, "destination_country": "", "organisation_region": ""}
    return {**base, **kw}


def survivor(**kw: Any) -> matching.Survivor:
    base: dict[str, Any] = {"region": KUPANG, "sex": "female", "age_band": "24-26"}
    return matching.Survivor(**{**base, **kw})


def ids(found: list[matching.Suggestion]) -> list[int]:
    return [s.id for s in found]


def test_interest_changes_the_order() -> None:
    s = survivor(interest_sectors=[FOOD])
    found = matching.rank(s, [opp(1, sector=C), opp(2, sector=FOOD)], demand={}, today=TODAY)
    assert ids(found) == [2, 1]


def test_skill_gap_closed_changes_the_order() -> None:
    # Both teach two skills; the survivor is already good at both of the first's: it closes no gap.
    s = survivor(skills={"sewing": 2, "weaving": 2})
    found = matching.rank(s, [opp(1, skills=["sewing", "weaving"]), opp(2, skills=["cooking", "hospitality"])],
                          demand={}, today=TODAY, weights={"gap": 1.0})
    assert ids(found) == [2, 1]
    assert [f.value for f in found[0].factors if f.code == "gap"] == [1.0]


def test_demand_changes_the_order() -> None:
    s = survivor()
    demand = {(KUPANG, C): 10, (KUPANG, FOOD): 40}
    found = matching.rank(s, [opp(1, sector=C), opp(2, sector=FOOD)], demand=demand, today=TODAY)
    assert ids(found) == [2, 1]
    demand_values = {g.id: next(f.value for f in g.factors if f.code == "demand") for g in found}
    assert demand_values == {1: 0.25, 2: 1.0}


def test_distance_changes_the_order() -> None:
    s = survivor()
    found = matching.rank(s, [opp(1, region_id=JAKARTA), opp(2, region_id="51.71"), opp(3, region_id=KAB_KUPANG),
                              opp(4, region_id=KUPANG)], demand={}, today=TODAY, weights={"distance": 1.0})
    assert ids(found) == [4, 3, 2, 1]  # same city, same province, the same island group (5x: Bali and Nusa Tenggara), elsewhere
    assert matching.distance_factor(KUPANG, KAB_KUPANG) == pytest.approx(2 / 3)
    assert matching.distance_factor(SURABAYA, JAKARTA) == pytest.approx(1 / 3)
    assert matching.distance_factor(KUPANG, JAKARTA) == 0.0


def test_a_full_score_computed_by_hand() -> None:
    s = survivor(interest_sectors=[C], skills={"sewing": 1}, constraints=["childcare", "hours"])
    o = opp(1, skills=["sewing", "weaving"], region_id=KAB_KUPANG, start_date=TODAY + dt.timedelta(days=120),
            childcare_available=True, hours_per_week=40)
    demand = {(KUPANG, C): 5, (KUPANG, FOOD): 20}
    [g] = matching.rank(s, [o], demand=demand, today=TODAY)
    values = {f.code: f.value for f in g.factors}
    # interest 1; skills: has 1 of 2 = .5; gap: both below "good" = 1; demand 5/20 = .25;
    # distance same province 2/3; availability: 120 days, window 60..180 -> 1 - 60/120 = .5;
    # constraints: childcare met, hours (40 > 25, not flexible) not met -> .5
    assert values == pytest.approx({"interest": 1, "skills": .5, "gap": 1, "demand": .25, "distance": 2 / 3,
                                    "availability": .5, "constraints": .5})
    w = DEFAULT_WEIGHTS
    expected = (w["interest"] * 1 + w["skills"] * .5 + w["gap"] * 1 + w["demand"] * .25 + w["distance"] * 2 / 3
                + w["availability"] * .5 + w["constraints"] * .5) / sum(w.values())
    assert g.score == pytest.approx(expected)


def test_weights_are_configurable(settings: Any) -> None:
    s = survivor(interest_sectors=[FOOD])
    options = [opp(1, sector=FOOD, region_id=JAKARTA), opp(2, sector=C, region_id=KUPANG)]
    assert ids(matching.rank(s, options, demand={}, today=TODAY)) == [1, 2]
    settings.SINTAS_LIVELIHOOD_MATCH_WEIGHTS = {"interest": 0.1, "distance": 10}
    assert ids(matching.rank(s, options, demand={}, today=TODAY)) == [2, 1]


def test_eligibility_excludes() -> None:
    s = survivor(sex="male", age_band="18-20")
    found = matching.rank(s, [opp(1, places_free=0), opp(2, women_only=True), opp(3, min_age=21), opp(4)],
                          demand={}, today=TODAY)
    assert ids(found) == [4]


def test_an_offer_like_the_survivors_exploitation_is_flagged() -> None:
    s = survivor(exploitation_sector="A_AgricultureForestryAndFishing", exploitation_country="MY",
                 recruitment_region="53.01", exploitative_employers=["PT Sawit Jaya"])
    o = opp(1, kind="vacancy", sector="A_AgricultureForestryAndFishing", abroad=True, destination_country="MY",
            employer_name="pt sawit jaya ", organisation_region="53.01")
    [g] = matching.rank(s, [o], demand={}, today=TODAY)
    assert g.flags == ["same_employer", "same_sector_abroad", "same_country", "same_recruiter_region"]
    [plain] = matching.rank(s, [opp(2, kind="vacancy")], demand={}, today=TODAY)
    assert plain.flags == []
