"""URL keywords of the privacy room for the 404 walk (tests/test_url_walk.py)."""

from __future__ import annotations

import uuid
from typing import Any

from conftest import Personas


def other_org_objects(p: Personas) -> dict[str, Any]:
    """A linkage request from organisation A's registration to organisation B's case: only B's
    supervisors see it; the org-A walkers (the requester among them) get 404."""
    from privacy.models import LinkageRequest

    request = LinkageRequest.objects.create(
        requesting_organisation=p.org_a, requested_by=p.a_caseworker, requesting_case=p.case_a,
        target_organisation=p.org_b, matched_case=p.case_b, kind=LinkageRequest.Kind.NIK, score=1.0,
    )
    # An emergency use by organisation B's caseworker of organisation B's case: only B's supervisors
    # and that caseworker see it (the org-A walkers and the platform administrator get 404).
    import datetime as dt

    from privacy.models import EmergencyGrant

    grant = EmergencyGrant.objects.create(
        user=p.b_caseworker, organisation=p.org_b, case=p.case_b, lead_organisation=p.org_b,
        reason="walk: a survivor in danger", expires_at=p.case_b.opened_at + dt.timedelta(hours=3),
        review_due=p.case_b.identified_on,
    )
    return {"linkage_id": request.pk, "grant_id": grant.pk}


NONEXISTENT: dict[str, Any] = {"linkage_id": uuid.uuid4(), "grant_id": uuid.uuid4()}
