"""Helpers for the care tests: a controlled clock and the services each organisation provides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation

from care.models import OrganisationService, Service

UTC = dt.UTC
# 5 March 2026, 11:00 in Kupang (WITA, UTC+8): three days after case_a's identification.
NOW = dt.datetime(2026, 3, 5, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Messages are asserted in English (the msgids); pages still follow the request's language."""
    with translation.override("en"):
        yield


@pytest.fixture
def set_now(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.datetime], None]:
    """``set_now(moment)``: every time reading in Sintas (core.clock.now) returns ``moment``."""

    def _set(moment: dt.datetime) -> None:
        monkeypatch.setattr("core.clock.now", lambda: moment)

    _set(NOW)
    return _set


def provide(org: Any, *codes: str) -> None:
    for code in codes:
        OrganisationService.objects.get_or_create(organisation=org, service=Service.objects.get(code=code))


@pytest.fixture
def providing(personas: Any) -> Any:
    """Both organisations provide every service of the catalogue."""
    codes = list(Service.objects.values_list("code", flat=True))
    provide(personas.org_a, *codes)
    provide(personas.org_b, *codes)
    return personas
