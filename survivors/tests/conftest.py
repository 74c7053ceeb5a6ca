from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Messages are asserted in English (the msgids)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_throttle_counters() -> None:
    """Throttle counters live in the cache; one test's requests must not count against the next."""
    cache.clear()
