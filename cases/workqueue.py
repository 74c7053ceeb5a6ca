"""Unread alerts in the work queue."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from access import policy
from core.workqueue import WorkItem

from .models import Alert


def alerts_for(user: Any, *, scope: str = "mine") -> list[WorkItem]:
    """The user's own unread alerts on cases they can still see (one query)."""
    visible = policy.cases_visible_to(user)
    alerts = (
        Alert.objects.filter(recipient=user, read_at=None, case__in=visible.values("pk"))
        .select_related("case__survivor")
        .order_by("-created_at")[:200]
    )
    return [
        WorkItem(
            case_id=a.case_id,
            survivor_code=a.case.survivor.code,
            kind="alert",
            title=str(a.get_kind_display()) + (f": {a.detail}" if a.detail else ""),
            due_at=a.created_at,
            overdue=True,
            url=reverse("cases:detail", kwargs={"case_id": a.case_id}),
        )
        for a in alerts
    ]
