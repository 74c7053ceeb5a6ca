"""Who plans and approves (access.plans); moved from plans/tests/test_services.py."""

from __future__ import annotations

import datetime as dt

import pytest

from access import plans as plan_access
from cases.models import CaseTeamMember
from conftest import Personas
from plans import services

NOW = dt.datetime(2026, 3, 5, 3, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("core.clock.now", lambda: NOW)


def test_who_may_plan(personas: Personas) -> None:
    p = personas
    CaseTeamMember.objects.create(case=p.case_a, user=p.a_health)
    assert plan_access.may_plan(p.a_caseworker, p.case_a)
    assert plan_access.may_plan(p.a_psychologist, p.case_a)  # on the team
    assert plan_access.may_plan(p.a_supervisor, p.case_a)
    assert not plan_access.may_plan(p.a_health, p.case_a)  # on the team, but not a planning role
    assert not plan_access.may_plan(p.a_caseworker2, p.case_a)  # not on the team
    assert not plan_access.may_plan(p.b_supervisor, p.case_a)
    with pytest.raises(services.NotAllowed):
        services.phase_change(actor=p.a_health, case=p.case_a, phase="recovery", reason="x")


def test_who_may_approve(personas: Personas) -> None:
    p = personas
    assert plan_access.may_approve(p.a_supervisor, p.case_a)
    for user in (p.a_caseworker, p.a_psychologist, p.b_supervisor, p.a_me, p.platform):
        assert not plan_access.may_approve(user, p.case_a)
