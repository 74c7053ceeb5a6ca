"""Importing CTDC files: the three shapes, validation before anything is stored, idempotence, the
command, and the real 2020 extract (skipped where it is absent)."""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from releases import ctdc
from releases.importer import GLOBAL_2020_COLUMNS, CtdcFormatError
from releases.models import CtdcRecord, CtdcSource
from releases.selectors import ctdc_reference_summary
from releases.services import ctdc_import
from tests.shared_data import CTDC_EXTRACT

from .conftest import needs_extract

pytestmark = pytest.mark.django_db


def synthetic_2024(rows: list[dict[str, str]]) -> bytes:
    lines = [",".join(ctdc.VARIABLES)]
    for row in rows:
        full = {v: "NULL" for v in ctdc.VARIABLES}
        full.update(row)
        lines.append(",".join(full[v] for v in ctdc.VARIABLES))
    return ("\n".join(lines) + "\n").encode()


SYNTHETIC = synthetic_2024([
    {"yearOfRegistration": "2019", "gender": "Woman", "ageBroad": "9--17", "citizenship": "IDN",
     "CountryOfExploitation": "MYS", "traffickMonths": "0-12 (0-1 yr)", "isSexualExploit": "1",
     "typeOfSexProstitution": "1", "recruiterRelationFriend": "1"},
    {"yearOfRegistration": "2020", "gender": "Man", "ageBroad": "30--38", "citizenship": "PHL",
     "CountryOfExploitation": "NULL", "isForcedLabour": "1", "meansWithholdDocs": "1"},
    {"yearOfRegistration": "2021", "gender": "NULL", "ageBroad": "48+", "citizenship": "NULL"},
])


def test_2024_shape_is_read_into_the_2024_vocabulary() -> None:
    source = ctdc_import(raw=SYNTHETIC, file_name="ctdc_synthetic.csv")
    assert source.shape == CtdcSource.Shape.SYNTHETIC_2024
    assert source.row_count == 3
    assert source.sha256 == hashlib.sha256(SYNTHETIC).hexdigest()
    first = CtdcRecord.objects.get(source=source, year=2019)
    assert (first.gender, first.age_band, first.citizenship, first.country_of_exploitation) == ("Woman", "9-17", "IDN", "MYS")
    assert first.traffick_months == "0-12 (0-1 yr)"
    assert first.is_sexual_exploit is True and first.is_forced_labour is None  # NULL stays NULL, never "no"
    assert first.type_of_sex_prostitution and first.recruiter_relation_friend
    second = CtdcRecord.objects.get(source=source, year=2020)
    assert second.means_withhold_docs and second.country_of_exploitation == ""
    third = CtdcRecord.objects.get(source=source, year=2021)
    assert (third.gender, third.age_band, third.citizenship) == ("", "48+", "")


def test_the_codebooks_other_spelling_of_variable_14_is_accepted() -> None:
    raw = SYNTHETIC.replace(b"meansWithholdDocs", b"meansWithholdDocuments")
    source = ctdc_import(raw=raw, file_name="other.csv")
    assert CtdcRecord.objects.filter(source=source, means_withhold_docs=True).count() == 1


def test_older_global_dataset_merges_means_of_control_as_appendix_ii_says() -> None:
    header = GLOBAL_2020_COLUMNS
    row = {c: "-99" for c in header}
    row.update({"yearOfRegistration": "2016", "Datasource": "Case Management", "gender": "Female",
                "ageBroad": "18--20", "citizenship": "ID", "CountryOfExploitation": "MY",
                "meansOfControlTakesEarnings": "1", "meansOfControlPhysicalAbuse": "1",
                "isForcedLabour": "0", "isSexualExploit": "1", "isForcedMarriage": "1",
                "meansOfControlConcatenated": "Takes earnings"})
    unknown_row = {c: "-99" for c in header}
    unknown_row.update({"yearOfRegistration": "2017", "gender": "Unknown", "ageBroad": "-99", "citizenship": "00"})
    lines = [";".join(header), ";".join(row[c] for c in header), ";".join(unknown_row[c] for c in header)]
    source = ctdc_import(raw="\n".join(lines).encode(), file_name="global.csv")
    assert source.shape == CtdcSource.Shape.GLOBAL_2020
    record = CtdcRecord.objects.get(source=source, year=2016)
    assert (record.gender, record.age_band, record.citizenship, record.country_of_exploitation) == ("Woman", "18-20", "IDN", "MYS")
    assert record.means_debt_bondage_earnings is True and record.means_abuse_psy_phy_sex is True
    assert record.is_forced_labour is False and record.is_sexual_exploit is True
    assert record.is_other_exploit is True  # forced marriage is "other" in 2024
    assert record.means_threats is None
    blank = CtdcRecord.objects.get(source=source, year=2017)
    assert (blank.gender, blank.age_band, blank.citizenship) == ("", "", "")


def _expect_error(raw: bytes, *fragments: str) -> None:
    with pytest.raises(CtdcFormatError) as info:
        ctdc_import(raw=raw, file_name="bad.csv")
    text = "\n".join(info.value.messages)
    for fragment in fragments:
        assert fragment in text, text


def test_unknown_columns_are_named_and_nothing_is_stored() -> None:
    raw = SYNTHETIC.replace(b"traffickMonths", b"traffickDays")
    _expect_error(raw, "Unknown columns: traffickDays", "Missing columns of the 2024 Global Synthetic Dataset: traffickMonths")
    assert not CtdcSource.objects.exists() and not CtdcRecord.objects.exists()


def test_unknown_values_are_named_with_their_line_and_nothing_is_half_written() -> None:
    good = ctdc_import(raw=SYNTHETIC, file_name="bad.csv")  # an earlier good import of the same name
    raw = synthetic_2024([
        {"yearOfRegistration": "2019", "gender": "Woman"},
        {"yearOfRegistration": "2019", "gender": "Female", "citizenship": "XXX"},  # 2020 words, bad code
        {"yearOfRegistration": "19", "isForcedLabour": "yes", "ageBroad": "18-25"},
    ])
    _expect_error(raw, "Line 3, column gender: unknown value 'Female'", "Line 3, column citizenship: unknown value 'XXX'",
                  "Line 4, column yearOfRegistration", "Line 4, column isForcedLabour", "Line 4, column ageBroad")
    # the earlier import of that name is untouched
    assert CtdcSource.objects.get().pk == good.pk and CtdcRecord.objects.count() == 3


def test_not_a_ctdc_file_and_empty_files_are_refused() -> None:
    _expect_error(b"name,nik\nSari,5371015204990001\n", "not a CTDC data file")
    _expect_error(b"", "empty")
    _expect_error(b",".join(v.encode() for v in ctdc.VARIABLES) + b"\n", "no records")
    _expect_error(SYNTHETIC + b"2020,Woman\n", "Line 5 has 2 values")
    assert not CtdcSource.objects.exists()


def test_reimport_of_the_same_file_replaces_its_rows() -> None:
    first = ctdc_import(raw=SYNTHETIC, file_name="/downloads/ctdc_synthetic.csv")
    assert first.file_name == "ctdc_synthetic.csv"
    again = ctdc_import(raw=SYNTHETIC, file_name="ctdc_synthetic.csv")
    assert CtdcSource.objects.count() == 1 and CtdcRecord.objects.count() == 3
    assert again.pk != first.pk and again.sha256 == first.sha256
    other = ctdc_import(raw=synthetic_2024([{"yearOfRegistration": "2022"}]), file_name="ctdc_synthetic.csv")
    assert CtdcRecord.objects.count() == 1 and other.row_count == 1


def test_command_imports_and_reports_errors(tmp_path: Path) -> None:
    good = tmp_path / "synthetic.csv"
    good.write_bytes(SYNTHETIC)
    call_command("import_ctdc", str(good))
    assert CtdcSource.objects.get().row_count == 3
    bad = tmp_path / "bad.csv"
    bad.write_bytes(SYNTHETIC.replace(b"Woman", b"Frau"))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_ctdc", str(bad))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_ctdc", str(tmp_path / "missing.csv"))


def test_reference_summary_is_none_without_data_and_suppresses_small_counts() -> None:
    assert ctdc_reference_summary() is None
    rows = [{"yearOfRegistration": "2020", "gender": "Woman", "ageBroad": "18--20", "isSexualExploit": "1"}] * 40
    rows += [{"yearOfRegistration": "2020", "gender": "Man", "ageBroad": "30--38", "isForcedLabour": "1"}] * 3
    ctdc_import(raw=synthetic_2024(rows), file_name="small.csv")
    summary = ctdc_reference_summary()
    assert summary is not None
    assert "Counter-Trafficking Data Collaborative" in summary["attribution"]
    assert summary["source"]["row_count"] == 43
    sex = summary["tables"]["sex"]
    shown = {label: sex.cell(i) for i, label in enumerate(sex.row_labels)}
    assert shown["men and boys"] is None  # 3 < 11
    assert shown["women and girls"] is None  # hidden too, or 43 - 40 would give the 3 away
    for table in summary["tables"].values():
        smallest = table.min_shown_positive()
        assert smallest is None or smallest >= 11


@needs_extract
def test_real_extract_imports_all_14299_rows_and_matches_the_files_own_totals() -> None:
    raw = CTDC_EXTRACT.read_bytes()
    with CTDC_EXTRACT.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    source = ctdc_import(raw=raw, file_name=CTDC_EXTRACT.name)
    assert source.row_count == len(rows) == 14299
    assert source.shape == CtdcSource.Shape.GLOBAL_2020_RECODED
    by_gender = Counter(r["gender"] for r in rows)
    summary = ctdc_reference_summary()
    assert summary is not None and summary["total"] == 14299
    sex = summary["tables"]["sex"]
    assert sex.cell(sex.row_labels.index("women and girls")) == by_gender["Female"]
    assert sex.cell(sex.row_labels.index("men and boys")) == by_gender["Male"]
    ages = Counter(r["ageCategories"].removeprefix("Age ") for r in rows)
    age = summary["tables"]["age_band"]
    for i, code in enumerate(age.codes):
        band = code.replace("--", "-")
        if band in ages:
            assert age.cell(i) == ages[band], band
    exploit = summary["tables"]["exploitation"]
    sexual = sum(1 for r in rows if r["ExploitType"] == "Sexual Exploitation")
    assert exploit.cell(exploit.codes.index("isSexualExploit"), 0) == sexual
    # citizenship "0" in the extract is unknown: stored as NULL; "ID" as IDN
    assert CtdcRecord.objects.filter(source=source, citizenship="").count() == sum(1 for r in rows if r["citizenship"] == "0")
    assert CtdcRecord.objects.filter(source=source, citizenship="IDN").count() == sum(1 for r in rows if r["citizenship"] == "ID")
    # and once more: idempotent
    ctdc_import(raw=raw, file_name=CTDC_EXTRACT.name)
    assert CtdcRecord.objects.count() == 14299




def test_reference_summary_costs_four_queries(django_assert_max_num_queries: Any) -> None:
    ctdc_import(raw=SYNTHETIC, file_name="s.csv")
    with django_assert_max_num_queries(4):
        summary = ctdc_reference_summary()
    assert summary is not None and summary["source"]["file_name"] == "s.csv"


def test_reference_rows_for_a_dashboard() -> None:
    from releases.selectors import ctdc_reference_rows

    assert ctdc_reference_rows() == []
    rows = [{"yearOfRegistration": "2020", "gender": "Woman", "ageBroad": "18--20", "isSexualExploit": "1"}] * 30
    rows += [{"yearOfRegistration": "2020", "gender": "Man", "ageBroad": "18--20", "isForcedLabour": "1"}] * 20
    ctdc_import(raw=synthetic_2024(rows), file_name="ref.csv")
    facts = {r["label"]: r["value"] for r in ctdc_reference_rows()}
    assert facts["CTDC records"] == "50"
    assert facts["CTDC records by gender: women and girls"] == "30"
    assert facts["CTDC records by type of exploitation: forced labour"] == "20"
    assert "Counter-Trafficking Data Collaborative" in facts["Source"]
