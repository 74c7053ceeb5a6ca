"""URL keywords of the livelihood room for the 404 walk (tests/test_url_walk.py)."""

from __future__ import annotations

from typing import Any

NONEXISTENT: dict[str, Any] = {"opportunity_id": 987654321, "enrolment_id": 987654321, "check_id": 987654321}


def other_org_objects(p: Any) -> dict[str, Any]:
    """A draft opportunity of organisation B (nobody else may open it), an enrolment of case_b in a
    fourth organisation's programme, and a decent-work check on case_b. Created directly: the walk
    closes case_b before this runs."""
    from accounts.models import Organisation
    from core import clock
    from livelihood.models import DecentWorkCheck, Enrolment, Opportunity

    now = clock.now()
    draft = Opportunity.objects.create(organisation=p.org_b, kind="training", title="walk", sector="C_Manufacturing",
                                       region_id="35.78", created_by=p.b_livelihood, created_at=now, updated_at=now)
    centre = Organisation.objects.create(name="LPK Walk Surabaya", kind="training", region_id="35.78")
    course = Opportunity.objects.create(organisation=centre, kind="training", status="open", title="walk",
                                        sector="C_Manufacturing", region_id="35.78", places_free=3,
                                        created_by=p.b_livelihood, created_at=now, updated_at=now)
    enrolment = Enrolment.objects.create(case=p.case_b, opportunity=course, enrolled_on=now.date(),
                                         recorded_by=p.b_caseworker)
    check = DecentWorkCheck.objects.create(case=p.case_b, terms={}, items=[], status="failed",
                                           checked_by=p.b_caseworker, checked_at=now)
    return {"opportunity_id": draft.pk, "enrolment_id": enrolment.pk, "check_id": check.pk}
