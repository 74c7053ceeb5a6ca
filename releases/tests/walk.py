"""URL keywords of the releases room for the 404 walk (tests/test_url_walk.py).

Releases are not an organisation's: only holders of the release permission reach them, and none
of the walkers holds it, so every release route must answer them 404.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any


def other_org_objects(p: Any) -> dict[str, Any]:
    from releases.models import Release

    release = Release.objects.create(
        kind=Release.Kind.DP_TABLE, table="sex", period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31),
        content=",number\nfemale,12\n", created_by=p.b_me, created_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
    )
    return {"release_id": release.pk}


NONEXISTENT: dict[str, Any] = {"release_id": uuid.uuid4()}
