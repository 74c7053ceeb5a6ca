"""URL keywords of the partner directory for the 404 walk (tests/test_url_walk.py)."""

from __future__ import annotations

from typing import Any

NONEXISTENT: dict[str, Any] = {"partner_id": 987654321}


def other_org_objects(p: Any) -> dict[str, Any]:
    """Organisation B's profile, not listed in the directory: nobody else may open it."""
    from partners.models import PartnerProfile

    PartnerProfile.objects.update_or_create(organisation=p.org_b, defaults={"is_listed": False})
    return {"partner_id": p.org_b.pk}
