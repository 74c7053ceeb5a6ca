"""Reference data copied into the repository: region codes and HTCDS picklists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core import choices
from core.models import Region

HTCDS = json.loads((Path(__file__).resolve().parent.parent / "core/data/htcds/picklists.json").read_text())


@pytest.mark.django_db
def test_all_regions_loaded_with_their_hierarchy() -> None:
    assert Region.objects.filter(level=1).count() == 38
    assert Region.objects.filter(level=2).count() == 514
    assert Region.objects.filter(level=3).count() == 7285
    assert Region.objects.get(code="53.71").parent_id == "53"
    assert Region.objects.get(code="53.71").kind == "kota"
    assert Region.objects.get(code="53.01").kind == "kabupaten"


@pytest.mark.django_db
def test_loading_regions_twice_changes_nothing() -> None:
    from core.regions import regions_load

    before = Region.objects.count()
    regions_load()
    assert Region.objects.count() == before


@pytest.mark.parametrize("ours, picklist", [
    (choices.ExploitationType, "typeofexploitation"),
    (choices.ForcedLabourIndustry, "forcedlabourindustry"),
    (choices.RecruitmentMethod, "methodofrecruitment"),
    (choices.TraffickingStatus, "traffickingstatus"),
    (choices.StatusDecidedBy, "traffickingstatusdecisionmakingorg"),
])
def test_value_lists_are_exactly_the_htcds_picklists(ours: type, picklist: str) -> None:
    assert set(ours.values) == {item["name"] for item in HTCDS["picklists"][picklist]}  # type: ignore[attr-defined]


def test_sex_maps_to_htcds_gender() -> None:
    genders = {item["name"] for item in HTCDS["picklists"]["gender"]}
    assert set(choices.SEX_TO_HTCDS) == set(choices.Sex.values)
    assert set(choices.SEX_TO_HTCDS.values()) <= genders


def test_age_bands_are_the_ctdc_brackets() -> None:
    assert [choices.age_band_for(a) for a in (0, 8, 9, 17, 18, 20, 21, 29, 30, 38, 39, 47, 48, 90)] == [
        "0-8", "0-8", "9-17", "9-17", "18-20", "18-20", "21-23", "27-29", "30-38", "30-38", "39-47", "39-47",
        "48+", "48+"]
