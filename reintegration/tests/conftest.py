"""Helpers for the reintegration tests: a controlled clock and a closed case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache

CLOSED_AT = dt.datetime(2026, 1, 31, 5, 0, tzinfo=dt.UTC)  # 12:00 WIB, 13:00 WITA: the same date everywhere


@pytest.fixture(autouse=True)
def _fresh_throttle_counters() -> None:
    cache.clear()


@pytest.fixture
def clock_at(monkeypatch: pytest.MonkeyPatch) -> Callable[[Any], None]:
    """Set the one clock (core.clock.now; core.clock.today follows it)."""

    def set_clock(when: dt.datetime | dt.date) -> None:
        if not isinstance(when, dt.datetime):
            when = dt.datetime.combine(when, dt.time(5, 0), tzinfo=dt.UTC)
        monkeypatch.setattr("core.clock.now", lambda: when)

    set_clock(CLOSED_AT)
    return set_clock


def close(p: Any, *, case: Any = None, actor: Any = None, reason: str = "restored", note: str = "",
          follow_up_declined: bool = False) -> Any:
    from reintegration.services import case_close

    return case_close(actor=actor or p.a_caseworker, case=case or p.case_a, reason=reason, note=note,
                      follow_up_declined=follow_up_declined)


NO_RISK = {
    "young_at_first_trafficking": "no", "same_community_hardship": "no", "family_dysfunction": "no",
    "stigma_on_return": "no", "assistance_ended_early": "no", "pressure_to_remigrate": "no",
    "substance_or_mental_health": "no", "trafficker_contact": "no",
}


def answers(**yes: str) -> dict[str, str]:
    return {**NO_RISK, **yes}


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    """Assertions read the English msgids; the Indonesian pages are checked in tests/."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
