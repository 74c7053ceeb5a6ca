from __future__ import annotations

import datetime as dt
from typing import Any

from conftest import register_case
from demo.transfers import seed_demo
from transfers.models import CaseTransfer


def test_demo_transfers_in_every_state_and_idempotent(personas: Any) -> None:
    p = personas
    for i in range(3):
        register_case(p.a_caseworker, name=f"Demo {i}", birth_date=dt.date(1990, 1, 1 + i))
    orgs = {"handayani": p.org_a, "ntt": p.org_b}
    assert seed_demo(orgs) == []
    states = sorted(CaseTransfer.objects.values_list("status", flat=True))
    assert states == ["accepted", "cancelled", "declined", "pending"]
    seed_demo(orgs)
    assert CaseTransfer.objects.count() == 4
