"""The room's API tests count requests against the throttle: each test starts from zero."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttle_counters() -> None:
    """Throttle counters live in the cache; one test's requests must not count against the next."""
    cache.clear()
