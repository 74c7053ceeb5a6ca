"""The assessment API: same services, same policy; 404 outside scope."""

from __future__ import annotations

import uuid

from django.urls import reverse
from rest_framework.test import APIClient

from api.tests.conftest import token_client
from cases.models import Alert
from conftest import Personas
from recovery.models import Assessment

from .conftest import completed


def lst(case: object) -> str:
    return reverse("api-assessment-list", kwargs={"case_id": case.pk})  # type: ignore[attr-defined]


def one(case: object, a: object, complete: bool = False) -> str:
    name = "api-assessment-complete" if complete else "api-assessment-detail"
    return reverse(name, kwargs={"case_id": case.pk, "assessment_id": a.pk})  # type: ignore[attr-defined]


def test_start_save_draft_and_complete(personas: Personas) -> None:
    p = personas
    client: APIClient = token_client(p.a_psychologist)
    r = client.post(lst(p.case_a), {"instrument": "PHQ-9", "kind": "baseline", "assessed_on": "2026-03-10",
                                    "answers": {"1": 1, "2": 2}}, format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["status"] == "draft" and body["version"] == 1 and body["answers"] == [
        {"item": 1, "value": 1}, {"item": 2, "value": 2}]
    a = Assessment.objects.get(pk=body["id"])
    r = client.patch(one(p.case_a, a), {"version": 1, "answers": {"3": 9}}, format="json")
    assert r.status_code == 400 and "item_3" in r.json()
    r = client.patch(one(p.case_a, a), {"version": 1, "answers": {"3": 0, "9": 1}}, format="json")
    assert r.status_code == 200 and r.json()["version"] == 2
    assert Alert.objects.filter(kind="self_harm").count() == 2
    r = client.patch(one(p.case_a, a), {"version": 1, "answers": {"4": 0}}, format="json")
    assert r.status_code == 409 and r.json()["version"] == 2 and r.json()["changed_fields"] == ["item_4"]
    r = client.post(one(p.case_a, a, complete=True), {"version": 2}, format="json")
    assert r.status_code == 400 and set(r.json()) == {"item_4", "item_5", "item_6", "item_7", "item_8"}
    r = client.post(one(p.case_a, a, complete=True),
                    {"version": 2, "answers": {str(n): 0 for n in range(4, 9)}}, format="json")
    assert r.status_code == 200
    assert r.json()["screening"] == {"total": 4, "band": "minimal", "band_label": "minimal", "flagged": True}
    assert r.json()["status"] == "completed"


def test_holistic_scores_and_list(personas: Personas) -> None:
    p = personas
    completed(p.a_caseworker, p.case_a, value=4)
    completed(p.a_psychologist, p.case_a, code="GAD-7", value=1)
    r = token_client(p.a_supervisor).get(lst(p.case_a))
    assert r.status_code == 200
    rows = {row["instrument"]: row for row in r.json()}
    assert rows["SHRS"]["restored"] is True and len(rows["SHRS"]["domain_scores"]) == 6
    assert rows["SHRS"]["answers"] is not None
    # Screening content is for the case team only; the supervisor is not on it.
    assert rows["GAD-7"]["answers"] is None and rows["GAD-7"]["screening"] is None
    team = {row["instrument"]: row for row in token_client(p.a_caseworker).get(lst(p.case_a)).json()}
    assert team["GAD-7"]["screening"]["total"] == 7


def test_instruments_list(personas: Personas) -> None:
    r = token_client(personas.a_caseworker).get(reverse("api-instrument-list"))
    assert r.status_code == 200
    by_code = {i["code"]: i for i in r.json()}
    assert {"SHRS", "PHQ-9", "GAD-7", "PCL-5"} <= set(by_code)
    assert by_code["PCL-5"]["bands"][1]["min"] == 33
    assert len(by_code["SHRS"]["items"][0]["levels"]) == 4


def test_refusals_and_discard(personas: Personas) -> None:
    p = personas
    client = token_client(p.a_caseworker)
    r = client.post(lst(p.case_a), {"instrument": "NOPE", "kind": "baseline", "assessed_on": "2026-03-10"},
                    format="json")
    assert r.status_code == 400 and "instrument" in r.json()
    r = client.post(lst(p.case_a), {"instrument": "SHRS", "kind": "baseline", "assessed_on": "2026-01-10"},
                    format="json")
    assert r.status_code == 400 and "assessed_on" in r.json()
    assert not Assessment.objects.exists()
    r = client.post(lst(p.case_a), {"instrument": "SHRS", "kind": "baseline", "assessed_on": "2026-03-10"},
                    format="json")
    a = Assessment.objects.get(pk=r.json()["id"])
    assert token_client(p.a_psychologist).delete(one(p.case_a, a), HTTP_IF_MATCH='"1"').status_code == 400  # not theirs
    assert client.delete(one(p.case_a, a)).status_code == 428
    assert client.delete(one(p.case_a, a), HTTP_IF_MATCH='"1"').status_code == 204
    assert not Assessment.objects.exists()


def test_other_organisations_assessments_are_404(personas: Personas) -> None:
    p = personas
    theirs = completed(p.b_caseworker, p.case_b)
    for walker in (p.a_caseworker, p.a_supervisor, p.outsider):
        client = token_client(walker)
        assert client.get(lst(p.case_b)).status_code == 404
        assert client.post(lst(p.case_b), {}, format="json").status_code == 404
        for method in ("get", "patch", "delete"):
            assert getattr(client, method)(one(p.case_b, theirs)).status_code == 404
        assert client.post(one(p.case_b, theirs, complete=True), {}, format="json").status_code == 404
    client = token_client(p.a_caseworker)
    assert client.get(one(p.case_a, theirs)).status_code == 404  # their id under our case
    ghost = reverse("api-assessment-detail", kwargs={"case_id": p.case_a.pk, "assessment_id": uuid.uuid4()})
    assert client.get(ghost).status_code == 404
    assert client.get(reverse("api-assessment-detail", kwargs={"case_id": p.case_a.pk,
                                                               "assessment_id": "not-a-uuid"})).status_code == 404
