from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Messages are asserted in English (the msgids)."""
    with translation.override("en"):
        yield
