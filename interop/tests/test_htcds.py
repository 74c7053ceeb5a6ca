"""The mapping module: packet <-> HTCDS 2.0 document, without the database."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from interop.htcds import (
    EXTENSION_KEY,
    FIELDS,
    FIELDS_BY_PATH,
    NOT_IMPORTED_KEY,
    field_table,
    htcds_to_values,
    packet_to_htcds,
    picklists,
)


def _sintas_values(path: str) -> list[Any]:
    """Every Sintas value of a mapped key (one sample for free text and dates)."""
    field = FIELDS_BY_PATH[path]
    if field.kind == "text":
        return ["Sari"]
    if field.kind == "date":
        return [dt.date(2001, 2, 3)]
    if field.kind in ("country", "country_list"):
        return picklists()["citizenship"]
    return field.allowed_sintas()


CASES = [(f.path, v) for f in FIELDS for v in _sintas_values(f.path)]


def test_every_mapped_field_is_an_htcds_field_and_picklists_match() -> None:
    table = field_table()
    for field in FIELDS:
        assert field.htcds in table, field.htcds
        if field.picklist and field.kind not in ("country", "country_list"):
            listed = table[field.htcds]["values"]
            assert set(picklists()[field.picklist]) == set(listed), field.htcds


@pytest.mark.parametrize(("path", "value"), CASES, ids=[f"{p}={v}" for p, v in CASES])
def test_round_trip_preserves_every_mapped_value(path: str, value: Any) -> None:
    field = FIELDS_BY_PATH[path]
    packet = {path: [value] if field.kind == "many" else value}
    doc = packet_to_htcds(packet)
    assert field.htcds in doc
    assert EXTENSION_KEY not in doc
    assert htcds_to_values(json.loads(json.dumps(doc))) == packet


def test_multiselect_round_trip_and_extension_keeps_unmapped_keys() -> None:
    packet = {
        "case.exploitation_types": ["ForcedLabour", "SexualExploitation", "Servitude"],
        "survivor.age_band": "18-20",
        "case.urgent_needs": ["medical", "shelter"],
        "referral.purpose": "Vocational training",
    }
    doc = packet_to_htcds(packet)
    assert doc["vic_TypeOfExploitation"] == ["ForcedLabour", "SexualExploitation", "Servitude"]
    assert doc[EXTENSION_KEY] == {"survivor.age_band": "18-20", "case.urgent_needs": ["medical", "shelter"],
                                  "referral.purpose": "Vocational training"}
    assert htcds_to_values(doc) == packet


def test_sintas_sex_is_written_as_the_htcds_gender() -> None:
    assert packet_to_htcds({"survivor.sex": "female"})["prs_Gender"] == "Feminine"
    assert packet_to_htcds({"survivor.sex": "unknown"})["prs_Gender"] == "NonSpecifiedUnknown"
    # HTCDS genders Sintas has no value for read as "not stated"
    assert htcds_to_values({"prs_Gender": "NonConforming"}) == {"survivor.sex": "unknown"}


def test_unknown_picklist_values_and_fields_are_named() -> None:
    doc = {"prs_Gender": "Female", "vic_TypeOfExploitation": ["ForcedLabour", "Slavery"],
           "vic_Favourite": "x", "prs_Citizenship": ["XX"]}
    with pytest.raises(ValidationError) as exc:
        htcds_to_values(doc)
    errors = exc.value.message_dict
    assert set(errors) == {"prs_Gender", "vic_TypeOfExploitation", "vic_Favourite", "prs_Citizenship"}
    assert "“Slavery”" in errors["vic_TypeOfExploitation"][0]
    assert "Unknown field: vic_Favourite" in errors["vic_Favourite"][0]


def test_messages_are_translated() -> None:
    with translation.override("id"), pytest.raises(ValidationError) as exc:
        htcds_to_values({"vic_Favourite": "x"})
    assert "bukan kolom HTCDS 2.0" in exc.value.message_dict["vic_Favourite"][0]


def test_known_htcds_fields_sintas_does_not_keep_are_listed_not_refused() -> None:
    values = htcds_to_values({"prs_MaritalStatus": "Single", "prs_FirstName": "Sari"})
    assert values == {"identity.first_name": "Sari", NOT_IMPORTED_KEY: ["prs_MaritalStatus"]}


def test_one_value_fields_refuse_several() -> None:
    with pytest.raises(ValidationError, match="one value"):
        htcds_to_values({"vic_MethodOfRecruitment": ["AtWork", "Other"]})


def test_xlsform_spellings_are_read() -> None:
    assert htcds_to_values({"prs_First_Name": "Sari"}) == {"identity.first_name": "Sari"}


def test_export_refuses_values_outside_sintas_lists() -> None:
    with pytest.raises(ValidationError) as exc:
        packet_to_htcds({"survivor.sex": "Feminine", "case.exploitation_types": ["Slavery"]})
    assert set(exc.value.message_dict) == {"survivor.sex", "case.exploitation_types"}


def test_wrong_version_and_bad_dates_are_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        htcds_to_values({"htcds_version": "1.0", "prs_Birthdate": "12/04/1999"})
    assert set(exc.value.message_dict) == {"htcds_version", "prs_Birthdate"}


def test_mapped_keys_in_the_extension_are_refused() -> None:
    with pytest.raises(ValidationError, match="prs_Gender"):
        htcds_to_values({EXTENSION_KEY: {"survivor.sex": "female"}})
