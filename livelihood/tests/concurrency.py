"""The livelihood room's records for the concurrency walk (tests/test_concurrency_walk.py)."""

from __future__ import annotations

from typing import Any


def profile_other(p: Any, o: dict[str, Any]) -> None:
    from livelihood.services import ProfileInput, profile_save

    profile_save(actor=p.a_caseworker, case=p.case_a, version=0, data=ProfileInput(languages="theirs"))


def profile_saved(p: Any, o: dict[str, Any]) -> Any:
    from livelihood.models import EconomicProfile

    return EconomicProfile.objects.get(case=p.case_a).languages


def opportunity(p: Any) -> dict[str, Any]:
    from livelihood.services import opportunity_save

    return {"opportunity": opportunity_save(actor=p.a_livelihood, opportunity=None, version=None, values={
        "kind": "training", "status": "draft", "title": "first", "sector": "C_Manufacturing", "region": "53.71"})}


def opportunity_other(p: Any, o: dict[str, Any]) -> None:
    from livelihood.services import opportunity_save

    opportunity_save(actor=p.a_livelihood, opportunity=o["opportunity"], version=1, values={"title": "theirs"})


def opportunity_saved(p: Any, o: dict[str, Any]) -> Any:
    from livelihood.models import Opportunity

    return Opportunity.objects.get(pk=o["opportunity"].pk).title


# What the profile form posts besides its own fields: its two row sets, empty.
PROFILE_ROWS = {"work-TOTAL_FORMS": "0", "work-INITIAL_FORMS": "0", "skill-TOTAL_FORMS": "0",
                "skill-INITIAL_FORMS": "0", "languages": "mine"}
