"""Uses of emergency access waiting for review, in the work queue of the lead organisation's
supervisors (one query; none for anyone else)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from access import privacy as access_privacy
from core import clock
from core.workqueue import WorkItem

from .models import EmergencyGrant


def emergency_reviews_due(user: Any, *, scope: str = "mine") -> list[WorkItem]:
    """Every unreviewed use of the supervisor's organisation, in both scopes (reviewing is a
    supervisor's own work); due at the end of its last review day."""
    if not access_privacy.may_decide_linkage(user):  # a supervisor who works on cases
        return []
    uses = (access_privacy.emergency_uses_to_review(user).filter(review=EmergencyGrant.Review.PENDING)
            .select_related("case__survivor").order_by("review_due", "created_at")[:200])
    today = timezone.localdate(clock.now())
    items = []
    for use in uses:
        due = timezone.make_aware(dt.datetime.combine(use.review_due, dt.time(23, 59)))
        items.append(WorkItem(
            case_id=use.case_id, survivor_code=use.case.survivor.code, kind="emergency_review",
            title=_("Review an emergency access (break-the-glass)"), due_at=due, overdue=today > use.review_due,
            url=reverse("privacy:emergency_detail", kwargs={"grant_id": use.pk}),
        ))
    return items
