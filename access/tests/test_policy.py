"""The case scope (access.policy), asked directly: who sees, changes and manages a case."""

from __future__ import annotations

import pytest
from django.http import Http404

from access import policy
from access.policy import Action
from cases.models import CaseTeamMember
from conftest import Personas

CASE_TEAM_ACTIONS = [Action.VIEW, Action.EDIT, Action.VIEW_IDENTITY, Action.EDIT_IDENTITY, Action.MANAGE_TEAM]


def test_the_lead_caseworker_may_do_everything_but_read_the_access_log(personas: Personas) -> None:
    p = personas
    assert all(policy.can(p.a_caseworker, a, p.case_a) for a in CASE_TEAM_ACTIONS)
    assert not policy.can(p.a_caseworker, Action.VIEW_ACCESS_LOG, p.case_a)


def test_a_supervisor_not_on_the_team_sees_and_changes_the_case_but_not_the_identity(personas: Personas) -> None:
    p = personas
    for action in (Action.VIEW, Action.EDIT, Action.MANAGE_TEAM, Action.VIEW_ACCESS_LOG):
        assert policy.can(p.a_supervisor, action, p.case_a)
    assert not policy.can(p.a_supervisor, Action.VIEW_IDENTITY, p.case_a)
    assert not policy.can(p.a_supervisor, Action.EDIT_IDENTITY, p.case_a)


def test_a_psychologist_on_the_team_sees_the_identity_but_does_not_edit_the_case(personas: Personas) -> None:
    p = personas
    assert policy.can(p.a_psychologist, Action.VIEW, p.case_a)
    assert policy.can(p.a_psychologist, Action.VIEW_IDENTITY, p.case_a)
    assert not policy.can(p.a_psychologist, Action.EDIT, p.case_a)
    assert not policy.can(p.a_psychologist, Action.EDIT_IDENTITY, p.case_a)
    assert not policy.can(p.a_psychologist, Action.MANAGE_TEAM, p.case_a)


@pytest.mark.parametrize("persona", ["a_caseworker2", "a_health", "a_me", "a_admin", "platform",
                                     "b_caseworker", "b_supervisor", "outsider"])
def test_nobody_else_may_do_anything(personas: Personas, persona: str) -> None:
    user = getattr(personas, persona)
    assert not any(policy.can(user, a, personas.case_a) for a in [*CASE_TEAM_ACTIONS, Action.VIEW_ACCESS_LOG])
    assert personas.case_a not in policy.cases_visible_to(user)
    with pytest.raises(Http404):
        policy.case_get_for_user(user, personas.case_a.pk)


def test_cases_visible_to(personas: Personas) -> None:
    p = personas
    assert list(policy.cases_visible_to(p.a_caseworker)) == [p.case_a]
    assert list(policy.cases_visible_to(p.a_supervisor)) == [p.case_a]
    assert list(policy.cases_visible_to(p.b_supervisor)) == [p.case_b]
    assert not policy.cases_visible_to(p.a_caseworker2).exists()
    CaseTeamMember.objects.create(case=p.case_a, user=p.a_caseworker2)
    assert list(policy.cases_visible_to(p.a_caseworker2)) == [p.case_a]


def test_a_deactivated_organisation_loses_access_at_once(personas: Personas) -> None:
    p = personas
    p.org_a.is_active = False
    p.org_a.save(update_fields=["is_active"])
    user = type(p.a_supervisor).objects.get(pk=p.a_supervisor.pk)
    assert not policy.may_work_on_cases(user)
    assert not policy.cases_visible_to(user).exists()


@pytest.mark.parametrize("case_id", ["not-a-uuid", "", None, 12, "00000000-0000-0000-0000-000000000000"])
def test_a_malformed_or_unknown_case_id_is_404(personas: Personas, case_id: object) -> None:
    with pytest.raises(Http404):
        policy.case_get_for_user(personas.a_caseworker, case_id)


def test_the_rest_of_the_case_rules(personas: Personas) -> None:
    p = personas
    assert policy.may_register_survivor(p.a_caseworker) and policy.may_register_survivor(p.a_supervisor)
    assert not any(policy.may_register_survivor(u) for u in (p.a_psychologist, p.a_me, p.a_admin, p.platform))
    assert policy.is_supervisor(p.a_supervisor) and not policy.is_supervisor(p.a_caseworker)
    assert policy.may_see_organisation_scope(p.a_supervisor) and not policy.may_see_organisation_scope(p.a_caseworker)
    assert policy.may_choose_lead_caseworker(p.a_supervisor)
    assert not policy.may_choose_lead_caseworker(p.a_caseworker)
    candidates = set(policy.team_candidates(p.case_a))
    assert {p.a_caseworker, p.a_caseworker2, p.a_supervisor, p.a_psychologist, p.a_health} <= candidates
    assert not candidates & {p.a_me, p.a_admin, p.b_caseworker, p.platform}
    with pytest.raises(ValueError, match="unknown action"):
        policy.can(p.a_caseworker, "fly", p.case_a)
