"""The demo function writes only reachable states, through the services."""

from __future__ import annotations

import random
from typing import Any

import pytest

from accounts.models import Organisation, Role
from conftest import make_user
from livelihood.models import CheckStatus, DecentWorkCheck, EconomicProfile, MatchChoice, Opportunity

pytestmark = pytest.mark.django_db


def test_the_demo_seed(personas: Any) -> None:
    from demo.livelihood import seed

    centre = Organisation.objects.create(name="BLK Demo", kind="training", region_id="53.71")
    make_user("demo_blk", centre, [Role.LIVELIHOOD_OFFICER, Role.ORG_ADMIN])
    employer = Organisation.objects.create(name="PT Demo", kind="employer", region_id="35.78")
    make_user("demo_pt", employer, [Role.LIVELIHOOD_OFFICER])
    counts = seed(rng=random.Random(5), cases=[personas.case_a, personas.case_b], organisations=[centre, employer])
    assert counts["profiles"] == EconomicProfile.objects.count() == 2
    assert counts["choices"] == MatchChoice.objects.count() == 2
    assert counts["demand_rows"] == 12
    assert Opportunity.objects.filter(status="open").count() + counts["drafts_below_minimum"] == counts["opportunities"]
    # Every open vacancy passed its check.
    assert not DecentWorkCheck.objects.filter(case=None, opportunity__status="open", status=CheckStatus.FAILED).exists()
