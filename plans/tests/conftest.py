"""Helpers for the plan tests: a fixed clock and a quick way to write a plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from plans.services import ActionInput, GoalInput, PlanInput, plan_save

# 1 June 2026, 10:00 in Kupang (WITA, UTC+8).
NOW = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def fixed_clock(monkeypatch: Any) -> dt.datetime:
    monkeypatch.setattr("core.clock.now", lambda: NOW)
    return NOW


def action(org: Any, description: str = "Accompany to the police PPA unit", **kw: Any) -> ActionInput:
    kw.setdefault("target_date", TODAY + dt.timedelta(days=10))
    return ActionInput(description=description, responsible_organisation_id=org.pk, **kw)


def two_goal_plan(p: Any) -> PlanInput:
    return PlanInput(
        priorities="Aku ingin pulang ke ibu dan bekerja lagi.",
        goals=[
            GoalInput(domain="safety", description="Tinggal di rumah aman", actions=[
                action(p.org_a, "Safety plan with the survivor", responsible_user_id=p.a_caseworker.pk),
                action(p.org_a, "Visit the family", responsible_name="Pak Yohanes"),
            ]),
            GoalInput(domain="economic", description="Ikut pelatihan menjahit", actions=[
                action(p.org_c, "Enrol in the BLK sewing course", responsible_name="Ibu Wayan"),
            ]),
        ],
    )


def save(p: Any, data: PlanInput, *, actor: Any = None, version: int | None = None) -> Any:
    from plans.models import Plan

    if version is None:
        plan = Plan.objects.filter(case=p.case_a).first()
        version = plan.version if plan else 0
    return plan_save(actor=actor or p.a_caseworker, case=p.case_a, version=version, data=data)


@pytest.fixture(autouse=True)
def english(settings: Any) -> Iterator[None]:
    """Assertions read the English msgids; the Indonesian pages are checked in tests/."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
