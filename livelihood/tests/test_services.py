"""The livelihood services: every write validated, refused whole, recorded in history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from audit.models import ChangeRecord
from core.concurrency import StaleVersion
from livelihood import selectors, services
from livelihood.models import (
    CheckStatus,
    DecentWorkCheck,
    Enrolment,
    LabourDemand,
    Opportunity,
    Placement,
    ProfileRevision,
)
from livelihood.services import NotAllowed, ProfileInput, SkillInput, WorkInput

from .conftest import TRAINING, VACANCY, placement_input, refer

pytestmark = pytest.mark.django_db


def _profile(**kw: Any) -> ProfileInput:
    base: dict[str, Any] = {
        "education": "junior", "literacy": "fluent", "languages": "Indonesia, Dawan",
        "interests_text": "Saya ingin menjahit", "interest_sectors": ["C_Manufacturing"],
        "constraints": ["childcare", "health"], "income_sources": ["family"], "debt_amount": 4_000_000,
        "debt_to_recruiter": True, "preferred_region": "53.71",
        "work_history": [WorkInput(sector="A_AgricultureForestryAndFishing", role="pekerja kebun",
                                   employer_name="PT Sawit Jaya", country="MY", months=14, was_exploitative=True)],
        "skills": [SkillInput(skill="sewing", self_level=1), SkillInput(skill="cooking", self_level=2,
                                                                         assessed_level=1)],
    }
    return ProfileInput(**{**base, **kw})


def test_profile_is_versioned_like_the_plan(personas: Any) -> None:
    p = services.profile_save(actor=personas.a_caseworker, case=personas.case_a, version=0, data=_profile())
    assert p.version == 1 and p.skills.count() == 2 and p.work_history.get().was_exploitative
    p = services.profile_save(actor=personas.a_caseworker, case=personas.case_a, version=1,
                              data=_profile(languages="Indonesia"))
    assert p.version == 2
    assert list(ProfileRevision.objects.filter(profile=p).values_list("number", flat=True)) == [2, 1]
    assert ProfileRevision.objects.get(profile=p, number=1).snapshot["languages"] == "Indonesia, Dawan"
    with pytest.raises(StaleVersion) as exc:
        services.profile_save(actor=personas.a_caseworker, case=personas.case_a, version=1,
                              data=_profile(languages="lama"))
    assert "languages" in exc.value.changed_fields
    record = ChangeRecord.objects.filter(model="livelihood.economicprofile", action="create").first()
    assert record is not None and record.changes["debt_amount"][1] != 4_000_000  # redacted


def test_profile_bad_input_is_refused_whole(personas: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.profile_save(actor=personas.a_caseworker, case=personas.case_a, version=0, data=_profile(
            debt_amount=-5, interest_sectors=["Z"], preferred_region="53",
            skills=[SkillInput(skill="sewing", self_level=1), SkillInput(skill="sewing", self_level=2)]))
    assert set(exc.value.message_dict) == {"debt_amount", "interest_sectors", "preferred_region", "skills.1.skill"}
    assert not personas.case_a.__class__.objects.get(pk=personas.case_a.pk).__dict__.get("economic_profile")
    assert selectors.profile_for(personas.case_a) is None or selectors.profile_for(personas.case_a).version == 0  # type: ignore[union-attr]


def test_profile_is_for_the_case_team_only(personas: Any) -> None:
    for user in (personas.a_supervisor, personas.a_caseworker2, personas.b_caseworker):
        with pytest.raises(NotAllowed):
            services.profile_save(actor=user, case=personas.case_a, version=0, data=_profile())


def test_the_shareable_summary_never_carries_the_exploitation(personas: Any) -> None:
    p = services.profile_save(actor=personas.a_caseworker, case=personas.case_a, version=0, data=_profile())
    text = selectors.shareable_summary(selectors.profile_for(personas.case_a))
    assert "Sawit" not in text and "kebun" not in text and "4000000" not in text and "4.000.000" not in text
    assert "Dawan" in text and "menjahit" in text.lower()
    assert "health" not in text.lower() and "kesehatan" not in text.lower()
    assert p.pk


def test_a_vacancy_below_the_minimum_wage_cannot_be_opened(employer: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.opportunity_save(actor=employer, opportunity=None, version=None,
                                  values={**VACANCY, "monthly_wage": 1_500_000})
    assert any("minimum" in m or "minimum" in m.lower() or "upah" in m.lower()
               for m in exc.value.message_dict["status"])
    assert not Opportunity.objects.exists() and not DecentWorkCheck.objects.exists()
    draft = services.opportunity_save(actor=employer, opportunity=None, version=None,
                                      values={**VACANCY, "monthly_wage": 1_500_000, "status": "draft"})
    assert draft.checks.get().status == CheckStatus.FAILED


@pytest.mark.parametrize(("change", "field"), [
    ({"places_free": 0}, "places_free"),
    ({"cost": -1}, "cost"),
    ({"start_date": dt.date(2026, 5, 1), "end_date": dt.date(2026, 4, 1)}, "end_date"),
    ({"region": "99.99"}, "region"),
    ({"skills": ["juggling"]}, "skills"),
])
def test_bad_opportunities_are_refused(provider: Any, change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.opportunity_save(actor=provider, opportunity=None, version=None, values={**TRAINING, **change})
    assert field in exc.value.message_dict
    assert not Opportunity.objects.exists()


def test_only_publishers_publish(personas: Any) -> None:
    with pytest.raises(NotAllowed):
        services.opportunity_save(actor=personas.a_caseworker, opportunity=None, version=None, values=dict(TRAINING))


def test_an_opportunity_edit_is_version_checked(provider: Any, training: Any) -> None:
    services.opportunity_save(actor=provider, opportunity=training, version=1, values={"title": "Baru"})
    with pytest.raises(StaleVersion):
        services.opportunity_save(actor=provider, opportunity=training, version=1, values={"title": "Lama"})
    assert Opportunity.objects.get(pk=training.pk).title == "Baru"


def test_enrolment_twice_and_without_places_are_refused(personas: Any, training: Any, provider: Any) -> None:
    refer(personas, provider.organisation, accept_by=provider)
    refer(personas, provider.organisation, case=personas.case_b, actor=personas.b_caseworker, accept_by=provider)
    enrolled = services.enrolment_create(actor=personas.a_caseworker, case=personas.case_a,
                                         opportunity_id=training.pk, enrolled_on=dt.date(2026, 3, 10))
    assert Opportunity.objects.get(pk=training.pk).places_free == 1
    with pytest.raises(ValidationError) as exc:
        services.enrolment_create(actor=personas.a_caseworker, case=personas.case_a, opportunity_id=training.pk,
                                  enrolled_on=dt.date(2026, 3, 10))
    assert "opportunity" in exc.value.message_dict
    Opportunity.objects.filter(pk=training.pk).update(places_free=0)
    with pytest.raises(ValidationError) as exc:
        services.enrolment_create(actor=personas.b_caseworker, case=personas.case_b, opportunity_id=training.pk,
                                  enrolled_on=dt.date(2026, 3, 10))
    assert "opportunity" in exc.value.message_dict
    assert Enrolment.objects.count() == 1 and enrolled.status == "enrolled"


def test_the_provider_records_completion(personas: Any, provider: Any, training: Any) -> None:
    refer(personas, provider.organisation, accept_by=provider)
    enrolment = services.enrolment_create(actor=personas.a_caseworker, case=personas.case_a,
                                          opportunity_id=training.pk, enrolled_on=dt.date(2026, 3, 1))
    with pytest.raises(NotAllowed):
        services.enrolment_complete(actor=personas.b_livelihood, enrolment=enrolment,
                                    completed_on=dt.date(2026, 3, 10))
    with pytest.raises(ValidationError):
        services.enrolment_complete(actor=provider, enrolment=enrolment, completed_on=dt.date(2026, 2, 1))
    done = services.enrolment_complete(actor=provider, enrolment=enrolment, completed_on=dt.date(2026, 3, 10),
                                       certificate="BNSP 123")
    assert done.status == "completed" and done.certificate == "BNSP 123"
    assert ChangeRecord.objects.filter(model="livelihood.enrolment", action="update").exists()


def test_a_placement_needs_the_decent_work_check(personas: Any) -> None:
    case = personas.case_a
    with pytest.raises(ValidationError) as exc:
        services.placement_record(actor=personas.a_caseworker, case=case,
                                  data=placement_input(monthly_wage=1_000_000, bpjs_registered=False))
    assert len(exc.value.message_dict["__all__"]) == 3  # the header and two failed items
    assert not Placement.objects.exists()
    # The failed check is recorded, then a supervisor overrides it with a reason.
    check = services.decent_work_check_run(actor=personas.a_caseworker, case=case,
                                           terms=placement_input(monthly_wage=1_000_000).terms())
    assert check.status == CheckStatus.FAILED
    with pytest.raises(NotAllowed):
        services.decent_work_override(actor=personas.a_caseworker, check=check, reason="saya setuju")
    with pytest.raises(ValidationError):
        services.decent_work_override(actor=personas.a_supervisor, check=check, reason=" ")
    services.decent_work_override(actor=personas.a_supervisor, check=check, reason="Magang bergaji di atas UMP")
    assert ChangeRecord.objects.filter(model="livelihood.decentworkcheck", action="update",
                                       object_id=str(check.pk)).exists()
    # The override covers exactly the terms it was given for.
    with pytest.raises(ValidationError):
        services.placement_record(actor=personas.a_caseworker, case=case,
                                  data=placement_input(monthly_wage=900_000, check_id=check.pk))
    placement = services.placement_record(actor=personas.a_caseworker, case=case,
                                          data=placement_input(monthly_wage=1_000_000, check_id=check.pk))
    assert placement.work_check_id == check.pk
    ok = services.placement_record(actor=personas.a_caseworker, case=case, data=placement_input())
    assert ok.work_check.status == CheckStatus.PASSED


def test_dates_out_of_order_are_refused(personas: Any) -> None:
    placement = services.placement_record(actor=personas.a_caseworker, case=personas.case_a, data=placement_input())
    with pytest.raises(ValidationError):
        services.placement_end(actor=personas.a_caseworker, placement=placement, ended_on=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError):
        services.enterprise_record(actor=personas.a_caseworker, case=personas.case_a, business_type="warung",
                                   sector="I_AccommodationAndFoodServiceActivities", started_on=dt.date(2026, 3, 1),
                                   first_sales_on=dt.date(2026, 2, 1), support_amount=-10)


def test_the_choice_is_recorded_also_when_none(personas: Any, training: Any, vacancy: Any) -> None:
    case = personas.case_a
    services.profile_save(actor=personas.a_caseworker, case=case, version=0, data=_profile())
    suggestions = selectors.suggestions_for(personas.a_caseworker, case, selectors.profile_for(case))
    assert {s.id for s in suggestions} == {training.pk, vacancy.pk}
    with pytest.raises(ValidationError):
        services.choice_record(actor=personas.a_caseworker, case=case, opportunity_id=None, note="",
                               shown=services.shown_of(suggestions))
    none = services.choice_record(actor=personas.a_caseworker, case=case, opportunity_id=None,
                                  note="Belum siap bekerja", shown=services.shown_of(suggestions))
    assert none.opportunity is None and len(none.shown) == 2
    chose = services.choice_record(actor=personas.a_caseworker, case=case, opportunity_id=vacancy.pk, note="",
                                   shown=services.shown_of(suggestions))
    assert chose.work_check is not None and chose.work_check.status == CheckStatus.PASSED


def test_income_follow_up_is_banded_against_the_minimum_wage(personas: Any) -> None:
    case = personas.case_a
    f = services.income_follow_up_record(actor=personas.a_caseworker, case=case, months_after=6,
                                         recorded_on=dt.date(2026, 3, 10), working=True, monthly_income=3_000_000,
                                         debt_change="decreased", decent_work=True)
    assert f.band == "at_or_above" and f.minimum_wage > 0
    with pytest.raises(ValidationError) as exc:
        services.income_follow_up_record(actor=personas.a_caseworker, case=case, months_after=6,
                                         recorded_on=dt.date(2026, 3, 10), working=False, monthly_income=-1,
                                         debt_change="same")
    assert set(exc.value.message_dict) == {"months_after", "monthly_income"}
    with pytest.raises(ValidationError) as exc:  # a visit before the survivor was even identified
        services.income_follow_up_record(actor=personas.a_caseworker, case=case, months_after=12,
                                         recorded_on=case.identified_on - dt.timedelta(days=1), working=True,
                                         monthly_income=3_000_000, debt_change="same")
    assert "sebelum kasus diidentifikasi" in exc.value.message_dict["recorded_on"][0]
    assert not case.income_follow_ups.filter(months_after=12).exists()
    assert services.income_band(1_000_000, 2_723_750) == "below_half"
    assert services.income_band(2_000_000, 2_723_750) == "below"


SAMPLE = Path(__file__).resolve().parents[1] / "data" / "labour_demand_sample.csv"


def test_the_sample_labour_market_file_imports(personas: Any) -> None:
    n = services.labour_demand_import(actor=personas.a_admin, text=SAMPLE.read_text(), source="Disnaker (sintetis)",
                                      source_date=dt.date(2026, 1, 15))
    assert n == LabourDemand.objects.count() == 12
    assert selectors.demand_map("53.71")[("53.71", "I_AccommodationAndFoodServiceActivities")] == 420


def test_a_labour_market_file_with_unknown_regions_or_sectors_is_refused_whole(personas: Any) -> None:
    text = ("region,sector,period,openings,growth_percent\n53.71,C_Manufacturing,2026,10,\n"
            "99.99,C_Manufacturing,2026,5,\n53.71,Z_Nothing,2026,5,\n53.71,C_Manufacturing,26,-4,x\n")
    with pytest.raises(ValidationError) as exc:
        services.labour_demand_import(actor=personas.a_admin, text=text, source="x", source_date=dt.date(2026, 1, 1))
    assert len(exc.value.message_dict["file"]) == 3
    assert not LabourDemand.objects.exists()
    with pytest.raises(NotAllowed):
        services.labour_demand_import(actor=personas.a_caseworker, text=text, source="x",
                                      source_date=dt.date(2026, 1, 1))
