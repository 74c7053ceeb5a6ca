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
    # An enrolment in another organisation's programme rests on a referral it accepted or a direct consent.
    from livelihood.models import Enrolment

    for enrolment in Enrolment.objects.select_related("opportunity", "case"):
        if enrolment.opportunity.organisation_id != enrolment.case.lead_organisation_id:
            assert enrolment.basis in ("referral", "direct")


def test_the_demo_follows_income_at_each_visit_since_the_start(personas: Any, time_machine: Any) -> None:
    """A case identified long ago: work or a business, then each income follow-up due, at its date."""
    import datetime as dt

    from demo.livelihood import seed
    from livelihood.models import Enterprise, IncomeFollowUp, Placement

    time_machine.move_to(dt.datetime(2028, 3, 11, 2, 0, tzinfo=dt.UTC), tick=False)
    centre = Organisation.objects.create(name="BLK Demo", kind="training", region_id="53.71")
    make_user("demo_blk", centre, [Role.LIVELIHOOD_OFFICER])
    for n in range(6):
        seed(rng=random.Random(n), cases=[personas.case_a], organisations=[centre])
        if Placement.objects.exists() or Enterprise.objects.exists():
            break
        EconomicProfile.objects.all().delete()
        MatchChoice.objects.all().delete()
    started = (Placement.objects.values_list("started_on", flat=True).first()
               or Enterprise.objects.values_list("started_on", flat=True).first())
    assert started is not None
    visits = list(IncomeFollowUp.objects.order_by("months_after").values_list("months_after", "recorded_on"))
    assert [m for m, _on in visits] == [3, 6, 12]  # two years after identification: 24 months not yet due
    for months, on in visits:
        assert abs((on - started).days - months * 30.44) < 1
