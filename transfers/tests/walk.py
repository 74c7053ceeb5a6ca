"""URL keywords of the transfers room for the 404 walk (tests/test_url_walk.py)."""

from __future__ import annotations

import uuid
from typing import Any

from conftest import Personas


def other_org_objects(p: Personas) -> dict[str, Any]:
    """A transfer between organisations B and C: nothing the org-A walkers have to do with.
    (Created directly: the walk has closed case_b by now, and a closed case cannot be proposed.)"""
    from core import clock
    from transfers.models import CaseTransfer

    transfer = CaseTransfer.objects.create(
        case=p.case_b, from_organisation=p.org_b, to_organisation=p.org_c, reason="walk",
        proposed_by=p.b_supervisor, proposed_at=clock.now(),
    )
    return {"transfer_id": transfer.pk}


NONEXISTENT: dict[str, Any] = {"transfer_id": uuid.uuid4()}
