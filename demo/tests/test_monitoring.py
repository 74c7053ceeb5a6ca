"""Demo monitoring scopes: created once, the national officer returned as a demo account."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from demo.monitoring import NATIONAL_USERNAME, seed_demo
from demo.staff import organisations_and_users
from monitoring.models import MonitoringScope
from monitoring.selectors import scopes_for


def test_seed_demo_is_idempotent(db: Any) -> None:
    orgs, _accounts = organisations_and_users(10)
    accounts = seed_demo(orgs)
    assert [a.username for a in accounts] == [NATIONAL_USERNAME]
    assert MonitoringScope.objects.count() == 2
    seed_demo(orgs)
    assert MonitoringScope.objects.count() == 2
    levels = {s.level for s in scopes_for(User.objects.get(username="ntt.me"))}
    assert levels == {"organisation", "region"}
    assert "national" in {s.level for s in scopes_for(User.objects.get(username=NATIONAL_USERNAME))}
