"""The decent-work check: each item blocks on its own."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from livelihood import decent_work, wages
from livelihood.decent_work import Terms

GOOD = Terms(region="53.71", monthly_wage=3_000_000, contract_type="pkwt", employer_name="CV Tenun Ina",
             bpjs_registered=True, worker_fee=0, retains_documents=False, hours_per_week=40, accommodation="none")


def test_a_decent_offer_passes() -> None:
    result = decent_work.evaluate(GOOD)
    assert result.passed, [i.message for i in result.failures]
    assert result.minimum_wage == wages.minimum_wage("53.71")


@pytest.mark.parametrize(("change", "item"), [
    ({"monthly_wage": 1_000_000}, "wage"),
    ({"monthly_wage": None}, "wage"),
    ({"contract_type": "none"}, "contract"),
    ({"contract_type": ""}, "contract"),
    ({"employer_name": " "}, "employer"),
    ({"bpjs_registered": False}, "bpjs"),
    ({"worker_fee": 500_000}, "fee"),
    ({"retains_documents": True}, "documents"),
    ({"hours_per_week": 72}, "hours"),
    ({"hours_per_week": None}, "hours"),
    ({"accommodation": "restricted"}, "accommodation"),
    ({"accommodation": "inadequate"}, "accommodation"),
    ({"abroad": True, "region": "", "destination_country": "MY", "p3mi_licence": ""}, "p3mi"),
])
def test_each_item_blocks(change: dict[str, Any], item: str) -> None:
    result = decent_work.evaluate(replace(GOOD, **change))
    assert not result.passed
    assert [i.code for i in result.failures] == [item]


def test_the_umk_applies_where_set_else_the_ump() -> None:
    table = wages.table()
    assert wages.minimum_wage("35.78") == table.umk["35.78"]  # Surabaya has a UMK
    assert wages.minimum_wage("53.05") == table.ump["53"]  # a regency without one: the province's UMP
    assert wages.minimum_wage("53.71.01") == table.umk["53.71"]  # a kecamatan counts as its city
    assert table.year and table.source


def test_a_wage_exactly_at_the_minimum_passes() -> None:
    minimum = wages.minimum_wage("35.78")
    assert decent_work.evaluate(replace(GOOD, region="35.78", monthly_wage=minimum)).passed
    assert not decent_work.evaluate(replace(GOOD, region="35.78", monthly_wage=(minimum or 0) - 1)).passed


def test_ilo_indicators_of_the_intake_are_warning_signs() -> None:
    terms = replace(GOOD, retains_documents=True, worker_fee=100_000)
    result = decent_work.evaluate(terms, survivor_ilo=["retention_of_documents"])
    warnings = {w["ilo"]: w["experienced"] for w in result.warnings}
    assert warnings == {"retention_of_documents": True, "debt_bondage": False}


def test_hours_limit_is_configuration(settings: Any) -> None:
    settings.SINTAS_LIVELIHOOD_MAX_WEEKLY_HOURS = 40
    assert [i.code for i in decent_work.evaluate(replace(GOOD, hours_per_week=45)).failures] == ["hours"]
