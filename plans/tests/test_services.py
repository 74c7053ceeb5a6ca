"""Phase, plan content, revisions, approval and bad input, through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from audit.models import ChangeRecord
from cases.models import CaseTeamMember
from conftest import Personas
from plans import services
from plans.models import Action, Goal, PhaseChange, Plan, PlanRevision, RevisionStatus
from plans.services import ActionInput, GoalInput, PlanInput, plan_approve, plan_return, plan_submit

from .conftest import TODAY, action, save, two_goal_plan

pytestmark = pytest.mark.usefixtures("fixed_clock")


# --- phase -----------------------------------------------------------------------------------------


def test_phase_change_with_reason_is_kept_and_the_latest_is_current(personas: Personas) -> None:
    p = personas
    services.phase_change(actor=p.a_caseworker, case=p.case_a, phase="safety_stabilisation",
                          reason="Baru keluar dari penampungan; masih diancam.")
    services.phase_change(actor=p.a_psychologist, case=p.case_a, phase="recovery",
                          reason="Aman di rumah aman, gejala trauma menurun.")
    current = services.current_phase(p.case_a)
    assert current is not None and current.phase == "recovery" and current.changed_by == p.a_psychologist
    assert PhaseChange.objects.filter(case=p.case_a).count() == 2
    assert ChangeRecord.objects.filter(case_id=p.case_a.pk, model="plans.phasechange").count() == 2


@pytest.mark.parametrize("reason", ["", "   "])
def test_phase_change_without_reason_is_refused(personas: Personas, reason: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.phase_change(actor=personas.a_caseworker, case=personas.case_a, phase="recovery", reason=reason)
    assert "reason" in exc.value.message_dict
    assert not PhaseChange.objects.exists()


def test_phase_change_refuses_unknown_phase_and_the_same_phase_again(personas: Personas) -> None:
    p = personas
    with pytest.raises(ValidationError) as exc:
        services.phase_change(actor=p.a_caseworker, case=p.case_a, phase="healed", reason="x")
    assert "phase" in exc.value.message_dict
    services.phase_change(actor=p.a_caseworker, case=p.case_a, phase="recovery", reason="x")
    with pytest.raises(ValidationError):
        services.phase_change(actor=p.a_caseworker, case=p.case_a, phase="recovery", reason="again")


# --- plan content and revisions ----------------------------------------------------------------


def test_plan_with_two_goals_and_actions(personas: Personas) -> None:
    p = personas
    plan = save(p, two_goal_plan(p))
    assert plan.version == 1
    goals = list(Goal.objects.filter(plan=plan).order_by("id"))
    assert [g.domain for g in goals] == ["safety", "economic"]
    assert Action.objects.filter(goal__plan=plan).count() == 3
    first = goals[0].actions.order_by("id").first()
    assert first is not None and first.responsible_user == p.a_caseworker
    rev = PlanRevision.objects.get(plan=plan)
    assert rev.number == 1 and rev.status == RevisionStatus.DRAFT and rev.author == p.a_caseworker
    assert rev.snapshot["priorities"].startswith("Aku ingin")
    assert rev.snapshot["goals"][1]["actions"][0]["responsible_organisation_name"] == p.org_c.name
    assert ChangeRecord.objects.filter(case_id=p.case_a.pk, model="plans.action").count() == 3


def test_every_save_that_changes_the_plan_keeps_a_revision(personas: Personas) -> None:
    p = personas
    plan = save(p, two_goal_plan(p))
    goal = Goal.objects.filter(plan=plan, domain="safety").get()
    data = PlanInput(priorities="Pulang ke ibu.", goals=[
        GoalInput(id=goal.pk, domain="safety", description=goal.description, status="in_progress"),
    ])
    plan = save(p, data)
    assert plan.version == 2
    # Saving the same again changes nothing and makes no revision.
    plan = save(p, data)
    assert plan.version == 2
    revisions = list(PlanRevision.objects.filter(plan=plan).order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].snapshot["priorities"].startswith("Aku ingin")
    assert revisions[1].snapshot["priorities"] == "Pulang ke ibu."
    assert revisions[1].snapshot["goals"][0]["status"] == "in_progress"
    # The older draft was replaced before any decision.
    assert revisions[0].status == RevisionStatus.SUPERSEDED
    # Goals left out of a save stay as they were (nothing is deleted).
    assert Goal.objects.filter(plan=plan).count() == 2


def test_bad_input_is_refused_with_every_error_and_nothing_half_saved(personas: Personas) -> None:
    p = personas
    data = PlanInput(priorities="x", goals=[
        GoalInput(domain="safety", description="ok goal", actions=[action(p.org_a)]),
        GoalInput(domain="", description="a goal without a domain"),
        GoalInput(domain="legal", description="bad actions", actions=[
            ActionInput(description="", responsible_organisation_id=p.org_a.pk),
            ActionInput(description="past", responsible_organisation_id=p.org_a.pk,
                        target_date=TODAY - dt.timedelta(days=1)),
            ActionInput(description="ghost org", responsible_organisation_id=987654),
            ActionInput(description="wrong person", responsible_organisation_id=p.org_c.pk,
                        responsible_user_id=p.a_caseworker.pk),
        ]),
    ])
    with pytest.raises(ValidationError) as exc:
        save(p, data)
    errors = exc.value.message_dict
    assert set(errors) == {
        "goals.1.domain", "goals.2.actions.0.description", "goals.2.actions.1.target_date",
        "goals.2.actions.2.responsible_organisation", "goals.2.actions.3.responsible_user",
    }
    assert "does not exist" in errors["goals.2.actions.2.responsible_organisation"][0]
    assert not Goal.objects.exists() and not Action.objects.exists() and not PlanRevision.objects.exists()
    assert not Plan.objects.filter(version__gt=0).exists()


def test_existing_actions_may_keep_a_past_target_date(personas: Personas, monkeypatch: Any) -> None:
    p = personas
    plan = save(p, two_goal_plan(p))
    goal = Goal.objects.filter(plan=plan, domain="economic").get()
    act = goal.actions.get()
    later = dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC)  # the target date (11 June) is now past
    monkeypatch.setattr("core.clock.now", lambda: later)
    data = PlanInput(priorities=plan.priorities, goals=[GoalInput(
        id=goal.pk, domain="economic", description=goal.description, actions=[
            ActionInput(id=act.pk, description="Enrolled, course started late", responsible_organisation_id=p.org_c.pk,
                        target_date=act.target_date, responsible_name="Ibu Wayan"),
        ])])
    assert save(p, data).version == 2
    act.refresh_from_db()
    assert act.description == "Enrolled, course started late"


def test_ids_of_another_plan_are_refused(personas: Personas) -> None:
    p = personas
    save(p, two_goal_plan(p))
    other = services.plan_save(actor=p.b_caseworker, case=p.case_b, version=0, data=PlanInput(goals=[
        GoalInput(domain="safety", description="B's goal", actions=[action(p.org_b)])]))
    b_goal = Goal.objects.get(plan=other)
    with pytest.raises(ValidationError) as exc:
        save(p, PlanInput(goals=[GoalInput(id=b_goal.pk, domain="safety", description="stolen")]))
    assert "goals.0.id" in exc.value.message_dict
    b_goal.refresh_from_db()
    assert b_goal.description == "B's goal"


def test_closed_case_plan_cannot_change(personas: Personas) -> None:
    p = personas
    from cases.services import case_transition

    case_transition(actor=p.a_caseworker, case=p.case_a, to_status="closed", reason="moved abroad")
    with pytest.raises(ValidationError):
        save(p, two_goal_plan(p))


# --- approval --------------------------------------------------------------------------------------


def test_supervisor_approves_and_a_caseworker_is_refused(personas: Personas) -> None:
    p = personas
    plan = save(p, two_goal_plan(p))
    plan_submit(actor=p.a_caseworker, case=p.case_a, revision=plan.version)
    for someone in (p.a_caseworker, p.a_psychologist):
        with pytest.raises(services.NotAllowed) as exc:
            plan_approve(actor=someone, case=p.case_a, revision=1)
        assert "supervisor" in exc.value.message
    assert PlanRevision.objects.get(plan=plan).status == RevisionStatus.SUBMITTED
    rev = plan_approve(actor=p.a_supervisor, case=p.case_a, revision=1, comment="Good.")
    assert rev.status == RevisionStatus.APPROVED and rev.decided_by == p.a_supervisor


def test_edit_after_approval_needs_approval_again_and_the_approved_revision_stays(personas: Personas) -> None:
    p = personas
    plan = save(p, two_goal_plan(p))
    plan_submit(actor=p.a_caseworker, case=p.case_a, revision=1)
    plan_approve(actor=p.a_supervisor, case=p.case_a, revision=1)
    plan = save(p, PlanInput(priorities="Berubah pikiran: ingin sekolah lagi.", goals=[]))
    revisions = {r.number: r for r in PlanRevision.objects.filter(plan=plan)}
    assert revisions[1].status == RevisionStatus.APPROVED
    assert revisions[2].status == RevisionStatus.DRAFT
    with pytest.raises(ValidationError):  # a draft is not awaiting approval
        plan_approve(actor=p.a_supervisor, case=p.case_a, revision=2)
    plan_submit(actor=p.a_caseworker, case=p.case_a, revision=2)
    plan_approve(actor=p.a_supervisor, case=p.case_a, revision=2)
    assert PlanRevision.objects.filter(plan=plan, status=RevisionStatus.APPROVED).count() == 2


def test_return_needs_a_comment_and_the_supervisor_decides_on_what_they_saw(personas: Personas) -> None:
    p = personas
    save(p, two_goal_plan(p))
    plan_submit(actor=p.a_caseworker, case=p.case_a, revision=1)
    with pytest.raises(ValidationError) as exc:
        plan_return(actor=p.a_supervisor, case=p.case_a, revision=1, comment="")
    assert "comment" in exc.value.message_dict
    # A newer save replaces the submitted revision: approving "revision 1" is refused.
    save(p, PlanInput(priorities="changed"))
    with pytest.raises(ValidationError) as exc:
        plan_approve(actor=p.a_supervisor, case=p.case_a, revision=1)
    assert "revision" in exc.value.message_dict
    plan_submit(actor=p.a_caseworker, case=p.case_a, revision=2)
    rev = plan_return(actor=p.a_supervisor, case=p.case_a, revision=2, comment="Add a health goal.")
    assert rev.status == RevisionStatus.RETURNED
    # Returned: it can be submitted again (after editing, or as it is).
    assert plan_submit(actor=p.a_caseworker, case=p.case_a, revision=2).status == RevisionStatus.SUBMITTED


# --- concurrency -----------------------------------------------------------------------------------


def test_second_save_on_an_old_version_is_refused_with_the_differences(personas: Personas) -> None:
    p = personas
    CaseTeamMember.objects.create(case=p.case_a, user=p.a_caseworker2)
    plan = save(p, two_goal_plan(p))
    goal = Goal.objects.get(plan=plan, domain="safety")
    # Both open the plan at version 1. The first saves a new priority text.
    save(p, PlanInput(priorities="Versi pertama", goals=[]), actor=p.a_caseworker, version=1)
    with pytest.raises(services.PlanConflict) as exc:
        save(p, PlanInput(priorities="Versi kedua", goals=[
            GoalInput(id=goal.pk, domain="safety", description="Rumah aman sampai Desember")]),
            actor=p.a_caseworker2, version=1)
    conflict = exc.value
    assert conflict.version == 2
    rows = {(r["field"], r["saved"], r["yours"]) for r in conflict.differences}
    assert ("the survivor's own priorities", "Versi pertama", "Versi kedua") in rows
    assert any(r["saved"] == "Tinggal di rumah aman" and r["yours"] == "Rumah aman sampai Desember"
               for r in conflict.differences)
    plan.refresh_from_db()
    goal.refresh_from_db()
    assert plan.priorities == "Versi pertama" and plan.version == 2
    assert goal.description == "Tinggal di rumah aman"
