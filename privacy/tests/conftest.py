from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _midday(time_machine: Any) -> Iterator[None]:
    """Registrations and the probing day in the middle of a day everywhere in Indonesia."""
    time_machine.move_to(dt.datetime(2026, 6, 10, 5, 0, tzinfo=dt.UTC), tick=True)
    yield
