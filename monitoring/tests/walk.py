"""URL keywords of the monitoring room for the 404 walk (tests/test_url_walk.py)."""

from __future__ import annotations

import uuid
from typing import Any

from monitoring.models import ReportRequest

NONEXISTENT: dict[str, Any] = {"report_id": uuid.uuid4()}


def other_org_objects(p: Any) -> dict[str, Any]:
    """A report of organisation B (requested by its M&E officer)."""
    import datetime as dt

    report = ReportRequest.objects.create(
        requested_by=p.b_me, level="organisation", organisation=p.org_b, period_kind="annual", year=2025,
        start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31),
    )
    return {"report_id": report.pk}
