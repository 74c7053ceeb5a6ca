"""What the survivor reads return: only survivors of cases the user may see, a NIK found only by
its exact value, and whether a consent holds on a given day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from conftest import Personas, register_case
from survivors.models import ConsentRecord
from survivors.selectors import (
    consent_is_active,
    consent_is_superseded,
    consents_of_case,
    survivors_find_by_nik,
    survivors_visible_to,
)
from survivors.services import ConsentInput, consent_record, consent_withdraw

GIVEN = dt.date(2026, 3, 3)


@pytest.fixture(autouse=True)
def _today(time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 3, 10, 3, 0, tzinfo=dt.UTC), tick=False)


def _consent(p: Personas, case: Any, **extra: Any) -> ConsentRecord:
    return consent_record(actor=p.a_caseworker, case=case, data=ConsentInput(
        purpose="case_management", lawful_basis="consent", given_by="survivor", given_on=GIVEN, **extra))


def test_survivors_visible_are_those_of_the_cases_visible(personas: Personas, time_machine: Any) -> None:
    time_machine.shift(dt.timedelta(hours=1))
    second = register_case(personas.a_caseworker, name="Dewi", nik="", birth_date=dt.date(1995, 5, 5))
    mine = list(survivors_visible_to(personas.a_caseworker))
    assert [s.pk for s in mine] == [second.survivor.pk, personas.case_a.survivor.pk]  # newest first
    assert [c.pk for c in mine[1].visible_cases] == [personas.case_a.pk]  # type: ignore[attr-defined]
    assert [s.pk for s in survivors_visible_to(personas.b_caseworker)] == [personas.case_b.survivor.pk]
    assert list(survivors_visible_to(personas.outsider)) == []


def test_a_survivor_is_found_by_the_exact_nik_only(personas: Personas) -> None:
    survivor_id = personas.case_a.survivor.pk
    assert survivors_find_by_nik("5371 0152 0499 0001") == [survivor_id]
    assert survivors_find_by_nik("5371015204990002") == []  # one digit off
    assert survivors_find_by_nik("53710152") == []  # a part of a NIK finds nothing
    assert survivors_find_by_nik("") == []


def test_consents_of_a_case_are_its_survivors_only(personas: Personas) -> None:
    mine = _consent(personas, personas.case_a)
    consent_record(actor=personas.b_caseworker, case=personas.case_b, data=ConsentInput(
        purpose="case_management", lawful_basis="consent", given_by="survivor", given_on=GIVEN))
    assert list(consents_of_case(personas.case_a)) == [mine]


def test_a_record_is_superseded_once_a_new_version_exists(personas: Personas) -> None:
    first = _consent(personas, personas.case_a)
    assert not consent_is_superseded(first)
    consent_record(actor=personas.a_caseworker, case=personas.case_a, supersedes=first, data=ConsentInput(
        purpose="case_management", lawful_basis="consent", given_by="survivor", given_on=dt.date(2026, 3, 9)))
    assert consent_is_superseded(first)


def test_a_consent_holds_from_the_day_given_until_it_expires_or_is_withdrawn(personas: Personas) -> None:
    record = _consent(personas, personas.case_a, expires_on=dt.date(2026, 9, 1))
    assert not consent_is_active(record, on=GIVEN - dt.timedelta(days=1))
    assert consent_is_active(record, on=GIVEN)
    assert consent_is_active(record)  # today, 10 March 2026
    assert not consent_is_active(record, on=dt.date(2026, 9, 1))  # the expiry day itself
    withdrawn = consent_withdraw(actor=personas.a_caseworker, case=personas.case_a, record=record,
                                 reason="The survivor changed her mind.")
    assert withdrawn.withdrawn_at is not None and withdrawn.withdrawn_at <= timezone.now()
    assert not consent_is_active(withdrawn, on=GIVEN)
