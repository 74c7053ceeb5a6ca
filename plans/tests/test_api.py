"""The plan and phase API: same services, same policy; 409 with the current state on conflict."""

from __future__ import annotations

from typing import Any

import pytest

from api.tests.conftest import token_client
from cases.models import CaseTeamMember
from conftest import Personas
from plans.models import Goal, PhaseChange, Plan, PlanRevision, RevisionStatus

from .conftest import save, two_goal_plan

pytestmark = pytest.mark.usefixtures("fixed_clock")


def plan_url(case: Any, suffix: str = "") -> str:
    return f"/api/v1/cases/{case.pk}/plan/{suffix}"


def body(p: Personas, version: int, **kw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": version,
        "priorities": "Ingin bekerja",
        "goals": [{"domain": "economic", "description": "Kursus menjahit", "actions": [
            {"description": "Daftar BLK", "responsible_organisation_id": p.org_a.pk,
             "responsible_user_id": p.a_caseworker.pk, "target_date": "2026-06-15"}]}],
    }
    data.update(kw)
    return data


def test_get_and_put_the_plan(personas: Personas) -> None:
    p = personas
    api = token_client(p.a_caseworker)
    empty = api.get(plan_url(p.case_a))
    assert empty.status_code == 200 and empty.json()["version"] == 0 and empty.json()["goals"] == []
    saved = api.put(plan_url(p.case_a), body(p, 0), format="json")
    assert saved.status_code == 200, saved.json()
    data = saved.json()
    assert data["version"] == 1 and data["revision"] == 1 and data["status"] == "draft"
    goal = data["goals"][0]
    assert goal["domain"] == "economic" and goal["actions"][0]["responsible_user_name"]


def test_put_with_bad_input_gives_every_error_and_saves_nothing(personas: Personas) -> None:
    p = personas
    api = token_client(p.a_caseworker)
    response = api.put(plan_url(p.case_a), body(p, 0, goals=[
        {"domain": "", "description": "no domain"},
        {"domain": "safety", "description": "x", "actions": [
            {"description": "", "responsible_organisation_id": 987654, "target_date": "2026-05-01"}]},
    ]), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"goals.0.domain", "goals.1.actions.0.description",
                                    "goals.1.actions.0.responsible_organisation", "goals.1.actions.0.target_date"}
    assert not Goal.objects.exists()


def test_put_on_an_old_version_is_409_with_the_current_plan(personas: Personas) -> None:
    p = personas
    CaseTeamMember.objects.create(case=p.case_a, user=p.a_caseworker2)
    save(p, two_goal_plan(p))
    first, second = token_client(p.a_caseworker), token_client(p.a_caseworker2)
    assert first.put(plan_url(p.case_a), body(p, 1, priorities="Pertama"), format="json").status_code == 200
    response = second.put(plan_url(p.case_a), body(p, 1, priorities="Kedua"), format="json")
    assert response.status_code == 409
    data = response.json()
    assert data["version"] == 2 and data["current"]["priorities"] == "Pertama"
    assert any(row["saved"] == "Pertama" and row["yours"] == "Kedua" for row in data["differences"])
    assert Plan.objects.get().priorities == "Pertama"


def test_submit_approve_and_refusal_for_a_caseworker(personas: Personas) -> None:
    p = personas
    save(p, two_goal_plan(p))
    caseworker, supervisor = token_client(p.a_caseworker), token_client(p.a_supervisor)
    assert caseworker.post(plan_url(p.case_a, "submit/"), {"revision": 1}, format="json").status_code == 200
    refused = caseworker.post(plan_url(p.case_a, "approve/"), {"revision": 1}, format="json")
    assert refused.status_code == 403 and "supervisor" in refused.json()["detail"]
    assert supervisor.post(plan_url(p.case_a, "return/"), {"revision": 1}, format="json").status_code == 400
    approved = supervisor.post(plan_url(p.case_a, "approve/"), {"revision": 1}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    # Edited after approval: a new draft, the approved revision stays.
    edited = caseworker.put(plan_url(p.case_a), body(p, 1), format="json").json()
    assert edited["status"] == "draft" and edited["revision"] == 2 and edited["approved_revision"] == 1
    revisions = caseworker.get(plan_url(p.case_a, "revisions/")).json()
    assert [(r["number"], r["status"]) for r in revisions] == [(2, "draft"), (1, "approved")]
    assert revisions[1]["snapshot"]["goals"][0]["domain"] == "safety"
    assert PlanRevision.objects.filter(status=RevisionStatus.APPROVED).count() == 1


def test_phase_api(personas: Personas) -> None:
    p = personas
    api = token_client(p.a_psychologist)
    refused = api.post(f"/api/v1/cases/{p.case_a.pk}/phase/", {"phase": "recovery", "reason": "", "version": 0},
                       format="json")
    assert refused.status_code == 400 and "reason" in refused.json()
    created = api.post(f"/api/v1/cases/{p.case_a.pk}/phase/", {"phase": "recovery", "reason": "Stabil"},
                       format="json", HTTP_IF_MATCH='"0"')
    assert created.status_code == 201 and created.json()["phase"] == "recovery" and created["ETag"] == '"1"'
    # A second decision made on the phase as it was before: refused, nothing recorded.
    stale = api.post(f"/api/v1/cases/{p.case_a.pk}/phase/", {"phase": "safety_stabilisation", "reason": "Tidak aman"},
                     format="json", HTTP_IF_MATCH='"0"')
    assert stale.status_code == 412 and stale.json()["version"] == 1
    assert stale.json()["changed_fields"] == ["phase", "reason"]
    got = api.get(f"/api/v1/cases/{p.case_a.pk}/phase/").json()
    assert got["current"]["reason"] == "Stabil" and len(got["history"]) == 1
    assert PhaseChange.objects.count() == 1


def test_other_organisations_case_is_404_in_the_api(personas: Personas) -> None:
    p = personas
    api = token_client(p.a_supervisor)
    for suffix in ("", "submit/", "approve/", "return/", "revisions/"):
        assert api.get(plan_url(p.case_b, suffix)).status_code in (404, 405)
        assert api.post(plan_url(p.case_b, suffix), {}, format="json").status_code in (404, 405)
    assert api.get(plan_url(p.case_b)).status_code == 404
    assert api.put(plan_url(p.case_b), body(p, 0), format="json").status_code == 404
    assert api.get(f"/api/v1/cases/{p.case_b.pk}/phase/").status_code == 404
    assert api.post(f"/api/v1/cases/{p.case_b.pk}/phase/", {"phase": "recovery", "reason": "x"},
                    format="json").status_code == 404
    assert not Plan.objects.filter(case=p.case_b).exists()
