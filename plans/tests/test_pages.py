"""The plan pages: editing on one page, conflicts shown side by side, approval, phase, 404s."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import CaseTeamMember
from conftest import Personas, login
from plans.models import Action, Goal, PhaseChange, Plan, PlanRevision, RevisionStatus
from plans.services import GoalInput, PlanInput, plan_save, plan_submit

from .conftest import action, save, two_goal_plan

pytestmark = pytest.mark.usefixtures("fixed_clock")


def url(name: str, case: Any, **kw: Any) -> str:
    return reverse(f"plans:{name}", kwargs={"case_id": case.pk, **kw})


def blank_post(version: int, priorities: str = "") -> dict[str, Any]:
    return {"version": version, "priorities": priorities, "goal_count": 0}


def test_write_a_plan_on_the_page(personas: Personas) -> None:
    p = personas
    client = login(Client(), p.a_caseworker)
    page = client.get(url("edit", p.case_a))
    assert page.status_code == 200
    assert b'name="g0-domain"' in page.content and b'name="g0-a0-target_date"' in page.content
    response = client.post(url("edit", p.case_a), {
        "version": 0, "priorities": "Ingin pulang", "goal_count": 1,
        "g0-domain": "safety", "g0-description": "Rumah aman", "g0-status": "open", "g0-action_count": 2,
        "g0-a0-description": "Safety plan", "g0-a0-responsible_organisation": p.org_a.pk,
        "g0-a0-responsible_user": p.a_caseworker.pk, "g0-a0-target_date": "2026-06-20", "g0-a0-status": "open",
        # the second (blank) action form stays blank: nothing is added
        "g0-a1-responsible_organisation": p.org_a.pk, "g0-a1-status": "open",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = Plan.objects.get(case=p.case_a)
    assert plan.version == 1 and plan.priorities == "Ingin pulang"
    assert Action.objects.filter(goal__plan=plan).count() == 1
    view = client.get(url("plan", p.case_a))
    assert b"Rumah aman" in view.content and b"Safety plan" in view.content


def test_page_shows_the_services_errors_on_the_right_fields_and_keeps_input(personas: Personas) -> None:
    p = personas
    client = login(Client(), p.a_caseworker)
    response = client.post(url("edit", p.case_a), {
        "version": 0, "priorities": "Tetap tersimpan di formulir", "goal_count": 1,
        "g0-domain": "", "g0-description": "Goal tanpa ranah", "g0-status": "open", "g0-action_count": 1,
        "g0-a0-description": "", "g0-a0-responsible_organisation": p.org_a.pk, "g0-a0-target_date": "2026-05-01",
        "g0-a0-status": "open",
    })
    assert response.status_code == 200
    text = response.content.decode()
    assert "Choose the recovery domain" in text or "Pilih ranah" in text
    assert "Tetap tersimpan di formulir" in text and "Goal tanpa ranah" in text
    assert not Goal.objects.exists()


def test_concurrent_edit_on_the_page_shows_the_difference_and_overwrites_nothing(personas: Personas) -> None:
    p = personas
    CaseTeamMember.objects.create(case=p.case_a, user=p.a_caseworker2)
    plan = save(p, two_goal_plan(p))
    goal = Goal.objects.get(plan=plan, domain="safety")
    first, second = login(Client(), p.a_caseworker), login(Client(), p.a_caseworker2)
    form = {"version": 1, "goal_count": 1, "g0-id": goal.pk, "g0-domain": "safety", "g0-status": "open",
            "g0-action_count": 0}
    assert first.post(url("edit", p.case_a), {**form, "priorities": "Saved by the first",
                                               "g0-description": "First's goal text"}).status_code == 302
    response = second.post(url("edit", p.case_a), {**form, "priorities": "Typed by the second",
                                                    "g0-description": "Second's goal text"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    text = response.content.decode()
    assert response.context["conflict"] is not None
    diff = response.context["conflict"].differences
    assert {"Saved by the first", "Typed by the second"} <= {v for row in diff for v in (row["saved"], row["yours"])}
    assert "First&#x27;s goal text" in text and "Second&#x27;s goal text" in text
    # The form keeps what the second typed, and is now based on the saved version.
    assert response.context["editor"].plan_form["version"].value() == "2"
    assert 'name="priorities"' in text and "Typed by the second</textarea>" in text
    plan.refresh_from_db()
    goal.refresh_from_db()
    assert plan.priorities == "Saved by the first" and goal.description == "First's goal text"
    assert plan.version == 2


def test_suggested_goals_from_low_scores(personas: Personas, monkeypatch: Any) -> None:
    p = personas
    monkeypatch.setattr("plans.selectors.latest_domain_scores",
                        lambda case_id: {"safety": 1.5, "mental": 2.9, "economic": 3.0, "social": 3.5})
    client = login(Client(), p.a_caseworker)
    page = client.get(url("edit", p.case_a))
    blocks = [b for b in page.context["editor"].blocks if b.suggestion]
    assert [b.suggestion.domain for b in blocks] == ["safety", "mental"]
    # Ticking the safety suggestion adds it; the untouched mental one adds nothing.
    response = client.post(url("edit", p.case_a), {
        "version": 0, "priorities": "", "goal_count": 2,
        "g0-suggested": "True", "g0-include": "on", "g0-domain": "safety", "g0-description": "Suggested text",
        "g0-status": "open", "g0-action_count": 0,
        "g1-suggested": "True", "g1-domain": "mental", "g1-description": "Other", "g1-status": "open",
        "g1-action_count": 0,
    })
    assert response.status_code == 302
    assert list(Goal.objects.values_list("domain", flat=True)) == ["safety"]
    # With an open safety goal, only mental is still suggested.
    from plans.selectors import goal_suggestions

    assert [s.domain for s in goal_suggestions(p.case_a, list(Goal.objects.all()))] == ["mental"]


def test_no_suggestions_before_any_assessment(personas: Personas) -> None:
    from plans.selectors import goal_suggestions

    assert goal_suggestions(personas.case_a) == []


def test_submit_and_approve_on_the_pages(personas: Personas) -> None:
    p = personas
    save(p, two_goal_plan(p))
    caseworker = login(Client(), p.a_caseworker)
    assert caseworker.post(url("submit", p.case_a), {"revision": 1}).status_code == 302
    assert PlanRevision.objects.get().status == RevisionStatus.SUBMITTED
    # A caseworker who opens the approval page is told they cannot approve; a POST is refused.
    page = caseworker.get(url("decide", p.case_a), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and page.context["may_approve"] is False
    response = caseworker.post(url("decide", p.case_a), {"revision": 1, "approve": "1"}, follow=True)
    assert any("supervisor" in str(m) for m in response.context["messages"])
    assert PlanRevision.objects.get().status == RevisionStatus.SUBMITTED
    supervisor = login(Client(), p.a_supervisor)
    assert supervisor.post(url("decide", p.case_a), {"revision": 1, "approve": "1"}).status_code == 302
    assert PlanRevision.objects.get().status == RevisionStatus.APPROVED


def test_return_without_comment_shows_the_error(personas: Personas) -> None:
    p = personas
    save(p, two_goal_plan(p))
    plan_submit(actor=p.a_caseworker, case=p.case_a, revision=1)
    supervisor = login(Client(), p.a_supervisor)
    response = supervisor.post(url("decide", p.case_a), {"revision": 1, "return": "1", "comment": ""})
    assert response.status_code == 200 and response.context["form"].errors["comment"]
    assert PlanRevision.objects.get().status == RevisionStatus.SUBMITTED


def test_revision_pages(personas: Personas) -> None:
    p = personas
    save(p, two_goal_plan(p))
    save(p, PlanInput(priorities="Kedua"))
    client = login(Client(), p.a_psychologist)
    listing = client.get(url("revisions", p.case_a))
    assert listing.status_code == 200 and len(listing.context["revisions"]) == 2
    first = PlanRevision.objects.get(number=1)
    page = client.get(url("revision", p.case_a, revision_id=first.pk))
    assert page.status_code == 200 and b"Aku ingin pulang" in page.content and b"Tinggal di rumah aman" in page.content


def test_phase_page(personas: Personas) -> None:
    p = personas
    client = login(Client(), p.a_psychologist)
    response = client.post(url("phase", p.case_a), {"phase": "recovery", "reason": "", "version": "0"})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert client.post(url("phase", p.case_a), {"phase": "recovery", "reason": "Stabil", "version": "0"}).status_code == 302
    assert PhaseChange.objects.get().phase == "recovery"
    case_file = client.get(reverse("cases:detail", kwargs={"case_id": p.case_a.pk}))
    assert b"Stabil" in case_file.content


def test_planning_pages_are_404_for_those_who_may_not_plan(personas: Personas) -> None:
    p = personas
    CaseTeamMember.objects.create(case=p.case_a, user=p.a_health)
    client = login(Client(), p.a_health)
    assert client.get(url("plan", p.case_a)).status_code == 200  # on the team: sees the plan
    for name in ("edit", "phase"):
        assert client.get(url(name, p.case_a)).status_code == 404


def test_other_organisations_case_and_revisions_are_404(personas: Personas) -> None:
    p = personas
    plan_save(actor=p.b_caseworker, case=p.case_b, version=0, data=PlanInput(goals=[
        GoalInput(domain="safety", description="B", actions=[action(p.org_b)])]))
    b_rev = PlanRevision.objects.get(plan__case=p.case_b)
    client = login(Client(), p.a_supervisor)
    for name in ("plan", "edit", "submit", "decide", "revisions", "phase"):
        assert client.get(url(name, p.case_b)).status_code == 404, name
        assert client.post(url(name, p.case_b), {}).status_code == 404, name
    assert client.get(url("revision", p.case_b, revision_id=b_rev.pk)).status_code == 404
    # Their revision under our own case: 404 too.
    assert client.get(url("revision", p.case_a, revision_id=b_rev.pk)).status_code == 404


def _case_file_queries(client: Client, case: Any) -> int:
    client.get(reverse("cases:detail", kwargs={"case_id": case.pk}))  # steady state: session renewed once a minute
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("cases:detail", kwargs={"case_id": case.pk}))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_case_file_section_uses_a_fixed_number_of_queries(personas: Personas) -> None:
    p = personas
    client = login(Client(), p.a_caseworker)
    domains = ["safety", "legal", "mental", "economic", "social", "physical"]
    save(p, PlanInput(goals=[GoalInput(domain=d, description=f"goal {d}", actions=[action(p.org_a)])
                             for d in domains[:2]]))
    small = _case_file_queries(client, p.case_a)
    save(p, PlanInput(goals=[
        GoalInput(domain=domains[i % 6], description=f"goal {i}", actions=[
            action(p.org_a, f"action {i}.{j}", responsible_user_id=p.a_caseworker.pk) for j in range(3)])
        for i in range(13)]))
    assert Goal.objects.count() == 15 and Action.objects.count() == 41
    large = _case_file_queries(client, p.case_a)
    assert large == small
    page = client.get(reverse("cases:detail", kwargs={"case_id": p.case_a.pk}))
    assert b"action 12.2" in page.content
