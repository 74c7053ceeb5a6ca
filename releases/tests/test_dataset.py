"""The CTDC-shaped record-level data set: the Sintas → CTDC mapping, the k/l check before
release, suppression or refusal, and no identifier in the output."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from releases import ctdc
from releases.models import PrivacyLedgerEntry, Release
from releases.services import dataset_check, release_dataset

from .conftest import consent_to_statistics, make_cases

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def test_mapping_of_one_case_to_the_27_variables() -> None:
    row = {
        "identified_on": dt.date(2025, 8, 17), "survivor__sex": "female", "survivor__age_band": "9-17",
        "survivor__nationality": "ID", "exploitation_country": "MY",
        "exploitation_started_on": dt.date(2024, 1, 10), "exploitation_ended_on": dt.date(2025, 6, 1),
        "tppo_means": ["deception", "debt_bondage"], "ilo_indicators": ["retention_of_documents", "isolation"],
        "tppo_purpose": ["forced_labour"], "exploitation_types": ["ForcedLabour", "ForcedMarriage"],
        "forced_labour_industry": "T_ActivitiesOfHouseholdsAsEmployers", "modus": "domestic_work",
        "recruiter_relation": "agent",
    }
    record = ctdc.case_to_ctdc(row)
    assert list(record) == ctdc.VARIABLES and len(record) == 27
    assert record["yearOfRegistration"] == "2025" and record["gender"] == "Woman" and record["ageBroad"] == "9--17"
    assert record["citizenship"] == "IDN" and record["CountryOfExploitation"] == "MYS"
    assert record["traffickMonths"] == "13-24 (1-2 yrs)"
    ones = {k for k, v in record.items() if v == "1"}
    assert ones == {"meansFalsePromises", "meansDebtBondageEarnings", "meansWithholdDocs", "meansDenyBasicNeeds",
                    "isForcedLabour", "isOtherExploit", "typeOfLabourDomesticWork", "recruiterRelationOther"}
    assert all(record[k] == "NULL" for k in ctdc.FLAGS if k not in ones)  # 1/NULL, never 0
    empty = ctdc.case_to_ctdc({"identified_on": dt.date(2025, 1, 1), "survivor__sex": "unknown",
                               "survivor__age_band": "unknown", "survivor__nationality": "", "exploitation_country": ""})
    assert (empty["gender"], empty["ageBroad"], empty["citizenship"], empty["traffickMonths"]) == ("NULL",) * 4


def _records(content: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content)))


@pytest.fixture
def big_population(personas: Any) -> Any:
    """Two large classes, each with two types of exploitation, plus a small class and case_a/case_b."""
    for sex, age in (("female", "18-20"), ("male", "30-38")):
        make_cases(personas.org_a, personas.a_caseworker, 80, survivor__sex=sex, survivor__age_band=age,
                   exploitation_types=["SexualExploitation"], exploitation_country="MY")
        make_cases(personas.org_b, personas.b_caseworker, 40, survivor__sex=sex, survivor__age_band=age,
                   exploitation_types=["ForcedLabour"], exploitation_country="MY")
    make_cases(personas.org_b, personas.b_caseworker, 4, survivor__sex="female", survivor__age_band="48+",
               exploitation_types=["ForcedLabour"], exploitation_country="SA")
    consent_to_statistics([personas.case_a.survivor_id, personas.case_b.survivor_id], personas.a_caseworker)
    return personas


def test_check_reports_k_and_l_and_release_suppresses_the_small_classes(big_population: Any, releaser: Any) -> None:
    check = dataset_check(START, END)
    before, after = check["before"], check["after"]
    assert before["records"] == 246 and before["k"] == 1 and before["l"] == 1
    assert before["k_required"] == 11 and before["l_required"] == 2
    # small classes: the four 48+ records, and case_a / case_b (no exploitation country recorded)
    assert before["violating_records"] == 6 and check["suppressed_records"] == 6
    assert after["records"] == 240 and after["k"] >= 11 and after["l"] >= 2 and after["passes"]
    assert check["releasable"]
    release = release_dataset(actor=releaser, period_start=START, period_end=END)
    assert release.kind == Release.Kind.DATASET and release.row_count == 240 and release.epsilon == 0
    assert not PrivacyLedgerEntry.objects.exists()  # not a DP mechanism: spends no epsilon
    records = _records(release.content)
    assert len(records) == 240 and list(records[0]) == ctdc.VARIABLES
    assert {r["ageBroad"] for r in records} == {"18--20", "30--38"}
    assert {r["CountryOfExploitation"] for r in records} == {"MYS"}
    assert release.report["after"]["k"] >= 11


def test_no_identifier_in_the_released_data_set(personas: Any, releaser: Any, settings: Any) -> None:
    settings.SINTAS_DISCLOSURE_K_PUBLIC = 1
    settings.SINTAS_RELEASE_MIN_L = 1
    consent_to_statistics([personas.case_a.survivor_id, personas.case_b.survivor_id], personas.a_caseworker)
    release = release_dataset(actor=releaser, period_start=START, period_end=END)
    assert release.row_count == 2
    for case in (personas.case_a, personas.case_b):
        identity = case.survivor.identity
        for secret in (case.survivor.code, identity.full_name, identity.nik, str(case.pk), str(case.survivor_id),
                       identity.phone_numbers, "1999-04-12"):
            assert secret and secret not in release.content


def test_refused_when_too_many_records_would_be_suppressed(personas: Any, releaser: Any) -> None:
    consent_to_statistics([personas.case_a.survivor_id, personas.case_b.survivor_id], personas.a_caseworker)
    make_cases(personas.org_a, personas.a_caseworker, 20, exploitation_types=["SexualExploitation"])
    make_cases(personas.org_a, personas.a_caseworker, 10, exploitation_types=["ForcedLabour"])
    make_cases(personas.org_a, personas.a_caseworker, 5, survivor__age_band="48+", exploitation_types=["ForcedLabour"])
    check = dataset_check(START, END)
    assert check["suppressed_records"] == 7 and check["after"]["passes"]  # 5 + case_a + case_b of 37
    assert not check["releasable"] and "18.9% of the records would have to be suppressed" in check["problem"]
    with pytest.raises(ValidationError, match="would have to be suppressed"):
        release_dataset(actor=releaser, period_start=START, period_end=END)
    assert not Release.objects.exists()


def test_empty_period_and_bad_periods_and_roles(personas: Any, releaser: Any) -> None:
    with pytest.raises(ValidationError, match="nothing to release"):
        release_dataset(actor=releaser, period_start=dt.date(2020, 1, 1), period_end=dt.date(2020, 12, 31))
    with pytest.raises(ValidationError) as info:
        release_dataset(actor=releaser, period_start=END, period_end=START)
    assert "ends before it starts" in str(info.value.message_dict["period_end"])
    with pytest.raises(PermissionDenied):
        release_dataset(actor=personas.a_supervisor, period_start=START, period_end=END)
    assert not Release.objects.exists()
