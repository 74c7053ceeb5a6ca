"""The legal room's demo function seeds through the services, with every stage represented."""

from __future__ import annotations

import random

from conftest import Personas, register_case


def test_demo_seed(personas: Personas) -> None:
    from demo.legal import seed
    from legal.models import Claim, Order, Payment, Proceeding

    cases = [personas.case_a] + [register_case(personas.a_caseworker, nik="") for _ in range(7)]
    made = seed(rng=random.Random(7), cases=cases, organisations=[personas.org_a])
    assert made == 8
    stages = set(Proceeding.objects.values_list("stage", flat=True))
    assert {"police_report", "trial", "verdict", "final", "appeal"} <= stages
    assert Claim.objects.exists() and Order.objects.exists()
    assert Payment.objects.count() <= Order.objects.count()
