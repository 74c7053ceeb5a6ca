"""Registering a survivor, changing their identity, adding a guardian: what the caseworker sees
happen, what is refused (all problems at once), and that a refusal saves nothing."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from audit.models import ChangeRecord
from cases.models import Case, CaseStatus, CaseStatusChange
from conftest import Personas, register_case
from core.concurrency import StaleVersion
from survivors.models import Guardian, Identity, Survivor
from survivors.services import GuardianInput, RegistrationInput, guardian_add, identity_update, survivor_register

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 10, 3, 0, tzinfo=dt.UTC), tick=False)


def counts() -> tuple[int, int, int, int]:
    return Survivor.objects.count(), Identity.objects.count(), Case.objects.count(), Guardian.objects.count()


# --- registration --------------------------------------------------------------------------------


def test_registration_opens_a_case_in_intake_led_by_the_caseworker(personas: Personas) -> None:
    case = register_case(personas.a_caseworker, name="Rina Kartika", nik="5371014302000003",
                         birth_date=dt.date(2000, 2, 3))
    survivor = case.survivor
    assert re.fullmatch(r"SNT-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}", survivor.code)
    assert case.status == CaseStatus.INTAKE and case.lead_caseworker == personas.a_caseworker
    assert case.lead_organisation == personas.org_a
    assert list(case.team_members.values_list("user", flat=True)) == [personas.a_caseworker.pk]
    assert survivor.age_band == "24-26" and not survivor.is_child_at_identification
    assert survivor.origin_province_id == "53" and survivor.origin_regency_id == "53.71"
    identity = Identity.objects.get(survivor=survivor)
    assert (identity.full_name, identity.nik, identity.birth_date) == ("Rina Kartika", "5371014302000003", "2000-02-03")
    assert CaseStatusChange.objects.get(case=case).to_status == CaseStatus.INTAKE
    assert ChangeRecord.objects.filter(case_id=case.pk, action=ChangeRecord.Action.CREATE).exists()


def test_every_problem_is_reported_at_once_and_nothing_is_saved(personas: Personas) -> None:
    before = counts()
    data = RegistrationInput(full_name="  ", sex="other", identified_on=dt.date(2026, 3, 2), channel="pigeon",
                             origin_province="53", origin_regency="35.78")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        survivor_register(actor=personas.a_caseworker, data=data)
    errors = exc.value.message_dict
    assert errors["full_name"] == ["Enter the survivor's name (or the name they use)."]
    assert errors["origin_regency"] == ["This regency/city is not in the chosen province."]
    assert {"sex", "channel", "age_band"} <= set(errors)
    assert counts() == before


def test_a_nik_must_match_the_sex_and_is_only_for_indonesians(personas: Personas) -> None:
    before = counts()
    with pytest.raises(ValidationError) as exc:  # day 12: a man's NIK, for a woman
        register_case(personas.a_caseworker, name="Rina", nik="5371011204990001", birth_date=None, age_band="21-23")
    assert list(exc.value.message_dict) == ["nik"]
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        register_case(personas.a_caseworker, name="Rina", nik="5371014302000003", birth_date=dt.date(2000, 2, 3),
                      nationality="MY")
    assert exc.value.message_dict["nik"] == ["A NIK is issued only to Indonesian citizens; check the nationality."]
    assert counts() == before


def test_roles_that_do_not_register_are_refused(personas: Personas) -> None:
    before = counts()
    for user in (personas.a_psychologist, personas.a_me, personas.b_legal):
        with pytest.raises(ValidationError):
            register_case(user, name="Uji")
    assert counts() == before


def test_a_supervisor_registers_for_a_caseworker_of_the_same_organisation_only(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        register_case(personas.a_supervisor, name="Uji")  # no lead named: a supervisor is not one
    assert list(exc.value.message_dict) == ["lead_caseworker"]
    with pytest.raises(ValidationError) as exc:
        register_case(personas.a_supervisor, name="Uji", lead_caseworker_id=personas.b_caseworker.pk)
    assert list(exc.value.message_dict) == ["lead_caseworker"]
    case = register_case(personas.a_supervisor, name="Uji", lead_caseworker_id=personas.a_caseworker2.pk)
    assert case.lead_caseworker == personas.a_caseworker2


def test_a_child_without_guardian_needs_a_documented_reason(personas: Personas) -> None:
    case = register_case(personas.a_caseworker, name="Anak", birth_date=dt.date(2014, 1, 5),
                         guardian_override_reason="Both parents are named in the police report.")
    assert case.survivor.is_child_at_identification
    override = ChangeRecord.objects.get(model="survivors.guardianoverride", object_id=str(case.survivor.pk))
    assert override.changes == {"reason": [None, "Both parents are named in the police report."]}
    assert override.actor == personas.a_caseworker
    with pytest.raises(ValidationError) as exc:
        register_case(personas.a_caseworker, name="Anak", birth_date=dt.date(2014, 1, 5),
                      guardian=GuardianInput(full_name=" ", relationship="neighbour"))
    assert set(exc.value.message_dict) == {"guardian_name", "guardian_relationship"}


# --- identity ------------------------------------------------------------------------------------


def test_identity_change_is_saved_and_counted(personas: Personas) -> None:
    identity = identity_update(actor=personas.a_caseworker, case=personas.case_a,
                               values={"full_name": "Sari W.", "address": "  Jl. Mawar 9  "}, version=1)
    identity.refresh_from_db()
    assert (identity.full_name, identity.address, identity.version) == ("Sari W.", "Jl. Mawar 9", 2)
    assert identity.nik == "5371015204990001"  # not sent: unchanged


def test_identity_change_based_on_an_old_version_saves_nothing(personas: Personas) -> None:
    identity_update(actor=personas.a_caseworker, case=personas.case_a, values={"aliases": "Sari"}, version=1)
    with pytest.raises(StaleVersion):
        identity_update(actor=personas.a_caseworker, case=personas.case_a, values={"aliases": "Wulan"}, version=1)
    assert Identity.objects.get(survivor=personas.case_a.survivor).aliases == "Sari"


def test_identity_needs_a_name_and_a_birth_date_not_after_the_exploitation(personas: Personas) -> None:
    case = personas.case_a
    Case.objects.filter(pk=case.pk).update(exploitation_started_on=dt.date(2015, 1, 1))
    case.refresh_from_db()
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        identity_update(actor=personas.a_caseworker, case=case,
                        values={"full_name": "", "nik": "", "birth_date": dt.date(2016, 5, 5)})
    assert exc.value.message_dict == {
        "full_name": ["Enter the survivor's name (or the name they use)."],
        "birth_date": ["The exploitation began before this date of birth."],
    }
    assert Identity.objects.get(survivor=case.survivor).full_name == "Sari Wulandari"


def test_a_new_birth_date_recomputes_the_age_band(personas: Personas) -> None:
    case = personas.case_a
    identity_update(actor=personas.a_caseworker, case=case, values={"nik": "", "birth_date": dt.date(2012, 6, 1)})
    survivor = Survivor.objects.get(pk=case.survivor.pk)
    assert survivor.age_band == "9-17" and survivor.is_child_at_identification


def test_photo_is_kept_then_removed(personas: Personas) -> None:
    case = personas.case_a
    identity_update(actor=personas.a_caseworker, case=case, values={}, photo=io.BytesIO(PNG))
    identity = Identity.objects.get(survivor=case.survivor)
    assert identity.photo is not None and bytes(identity.photo) == PNG and identity.photo_content_type == "image/png"
    identity_update(actor=personas.a_caseworker, case=case, values={}, remove_photo=True)
    identity.refresh_from_db()
    assert identity.photo is None and identity.photo_content_type == ""


def test_only_the_case_team_with_an_identity_role_changes_the_identity(personas: Personas) -> None:
    for user in (personas.a_psychologist, personas.a_caseworker2, personas.b_caseworker):
        with pytest.raises(ValidationError):
            identity_update(actor=user, case=personas.case_a, values={"full_name": "X"})
    assert Identity.objects.get(survivor=personas.case_a.survivor).full_name == "Sari Wulandari"


# --- guardians -----------------------------------------------------------------------------------


def test_guardian_is_added_with_its_history(personas: Personas) -> None:
    guardian = guardian_add(actor=personas.a_caseworker, case=personas.case_a, full_name=" Ibu Sari ",
                            relationship="mother", phone=" +6281111111 ", is_suspect=True)
    assert (guardian.full_name, guardian.phone, guardian.is_suspect) == ("Ibu Sari", "+6281111111", True)
    assert list(personas.case_a.survivor.guardians.all()) == [guardian]
    assert ChangeRecord.objects.filter(model="survivors.guardian", object_id=str(guardian.pk),
                                       case_id=personas.case_a.pk).exists()


def test_guardian_input_problems_are_reported_together(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        guardian_add(actor=personas.a_caseworker, case=personas.case_a, full_name="", relationship="neighbour")
    assert set(exc.value.message_dict) == {"full_name", "relationship"}
    with pytest.raises(ValidationError):
        guardian_add(actor=personas.b_caseworker, case=personas.case_a, full_name="Ibu", relationship="mother")
    assert not Guardian.objects.filter(survivor=personas.case_a.survivor).exists()
