"""Helpers for the transfer tests."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Messages are asserted in English (the msgids)."""
    with translation.override("en"):
        yield


@pytest.fixture
def proposed(personas: Any) -> Any:
    """case_a (org A) proposed for transfer to org B by A's supervisor."""
    from transfers.services import transfer_propose

    return transfer_propose(actor=personas.a_supervisor, case=personas.case_a, to_organisation_id=personas.org_b.pk,
                            reason="Reintegration in the home regency")
