"""Recovery test helpers. The instruments come from the data migration; a test that flushed the
database (browser tests) loses them, so they are reloaded when missing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from recovery.instruments import instruments_load
from recovery.models import Assessment, Instrument


@pytest.fixture(autouse=True)
def instruments(db: Any) -> None:
    if not Instrument.objects.filter(code="SHRS").exists():
        instruments_load()


@pytest.fixture(autouse=True)
def _fresh_throttle_counters() -> None:
    cache.clear()


def instrument(code: str) -> Instrument:
    return Instrument.objects.get(code=code, version=1)


def all_answers(code: str, value: int) -> dict[int, int]:
    return {item.number: value for item in instrument(code).items.all()}


def holistic_answers(by_domain: dict[str, list[int | None]]) -> dict[int, int | None]:
    """Answers by domain, in item order within each domain (None = unanswered)."""
    answers: dict[int, int | None] = {}
    items = list(instrument("SHRS").items.order_by("number"))
    for domain, values in by_domain.items():
        numbers = [i.number for i in items if i.domain == domain]
        for number, value in zip(numbers, values, strict=False):
            answers[number] = value
    return answers


def completed(actor: Any, case: Any, *, code: str = "SHRS", value: int = 3, kind: str = "baseline",
              on: dt.date = dt.date(2026, 3, 10), answers: dict[int, Any] | None = None) -> Assessment:
    from recovery.services import assessment_complete, assessment_start

    a = assessment_start(actor=actor, case=case, instrument=instrument(code), kind=kind, assessed_on=on)
    return assessment_complete(actor=actor, case=case, assessment=a,
                               answers=answers if answers is not None else all_answers(code, value))


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    """Assertions read the English msgids; the Indonesian pages are checked in tests/."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
