"""Plan work in the work queue, with a controlled clock and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import Personas
from core.workqueue import work_items_for
from plans.services import ActionInput, GoalInput, PlanInput, plan_save, plan_submit
from plans.workqueue import plan_work_for

from .conftest import TODAY, save

pytestmark = pytest.mark.usefixtures("fixed_clock")


def _plan(p: Personas, n: int = 1) -> None:
    save(p, PlanInput(goals=[GoalInput(domain="safety", description=f"g{i}", actions=[
        ActionInput(description=f"mine due {i}", responsible_organisation_id=p.org_a.pk,
                    responsible_user_id=p.a_psychologist.pk, target_date=TODAY + dt.timedelta(days=3)),
        ActionInput(description=f"far {i}", responsible_organisation_id=p.org_a.pk,
                    target_date=TODAY + dt.timedelta(days=60)),
        ActionInput(description=f"no date {i}", responsible_organisation_id=p.org_a.pk),
    ]) for i in range(n)]))


def titles(items: list[Any]) -> set[str]:
    return {i.title for i in items}


def test_actions_due_and_overdue(personas: Personas, monkeypatch: Any) -> None:
    p = personas
    _plan(p)
    # The psychologist is the responsible person; the lead caseworker sees it too.
    assert titles(plan_work_for(p.a_psychologist)) == {"Plan action: mine due 0"}
    assert titles(plan_work_for(p.a_caseworker)) == {"Plan action: mine due 0"}
    assert plan_work_for(p.a_caseworker)[0].overdue is False
    # Five days later the action is overdue, and the far one is still not due.
    monkeypatch.setattr("core.clock.now", lambda: dt.datetime(2026, 6, 6, 2, 0, tzinfo=dt.UTC))
    items = plan_work_for(p.a_caseworker)
    assert [i.overdue for i in items] == [True] and items[0].kind == "plan_action"
    assert items[0].responsible == p.a_psychologist.display_name
    # Other people and other organisations see nothing of it.
    assert plan_work_for(p.a_caseworker2) == [] and plan_work_for(p.b_supervisor, scope="organisation") == []


def test_supervisor_sees_the_organisation_and_plans_awaiting_approval(personas: Personas) -> None:
    p = personas
    _plan(p)
    assert plan_work_for(p.a_supervisor, scope="mine") == []  # not responsible, not lead
    assert titles(plan_work_for(p.a_supervisor, scope="organisation")) == {"Plan action: mine due 0"}
    plan_submit(actor=p.a_caseworker, case=p.case_a, revision=1)
    for scope in ("mine", "organisation"):
        assert "Plan revision 1 awaits your approval" in titles(plan_work_for(p.a_supervisor, scope=scope))
    assert all(i.kind != "plan_approval" for i in plan_work_for(p.a_caseworker))
    assert any(i.kind == "plan_approval" for i in work_items_for(p.a_supervisor))


def test_work_queue_queries_do_not_grow(personas: Personas) -> None:
    p = personas
    _plan(p, 1)
    plan_save(actor=p.b_caseworker, case=p.case_b, version=0, data=PlanInput(goals=[GoalInput(
        domain="legal", description="b", actions=[ActionInput(description="b due", responsible_organisation_id=p.org_b.pk,
                                                              target_date=TODAY)])]))
    p.a_supervisor.role_set()
    with CaptureQueriesContext(connection) as small:
        plan_work_for(p.a_supervisor, scope="organisation")
    _plan(p, 12)
    with CaptureQueriesContext(connection) as large:
        items = plan_work_for(p.a_supervisor, scope="organisation")
    assert len(items) == 13
    assert len(large.captured_queries) == len(small.captured_queries) <= 2
