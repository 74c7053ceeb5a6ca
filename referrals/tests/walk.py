"""URL keywords of the referrals room for the 404 walk (tests/test_url_walk.py)."""

from __future__ import annotations

import uuid
from typing import Any

NONEXISTENT: dict[str, Any] = {"referral_id": uuid.uuid4()}


def other_org_objects(p: Any) -> dict[str, Any]:
    """A referral from organisation B's case to a fourth organisation (neither A nor the outsider's).
    Created directly: the walk closes case_b before this runs."""
    from accounts.models import Organisation
    from care.models import Service
    from core import clock
    from referrals.models import Referral

    org = Organisation.objects.create(name="Klinik Walk Surabaya", kind="health", region_id="35.78")
    now = clock.now()
    referral = Referral.objects.create(
        case=p.case_b, sender_organisation=p.org_b, sent_by=p.b_caseworker, recipient_organisation=org,
        service=Service.objects.get(code="medical_care"), service_region_id="35.78", template="general",
        lawful_basis="vital_interest", basis_reason="walk", packet_fields=["survivor.sex"],
        packet_values='{"survivor.sex": "male"}', sent_at=now, respond_by=now, last_event_at=now,
    )
    return {"referral_id": referral.pk}
