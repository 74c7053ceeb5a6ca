"""Referrals in the work queue: those the partner has not answered and whose time is near or past."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from access import policy
from care.workqueue import cases_for_scope
from core import clock
from core.workqueue import WorkItem

from .models import Referral

DUE_SOON = dt.timedelta(days=1)


def referrals_awaiting_answer(user: Any, *, scope: str = "mine") -> list[WorkItem]:
    """Sent referrals of the scope's cases, due within a day or overdue (one query)."""
    if not policy.may_work_on_cases(user):
        return []
    now = clock.now()
    rows = (
        Referral.objects.filter(case__in=cases_for_scope(user, scope), status=Referral.Status.SENT,
                                respond_by__lte=now + DUE_SOON)
        .select_related("case__survivor", "case__lead_caseworker", "recipient_organisation")
    )
    return [
        WorkItem(
            case_id=r.case_id, survivor_code=r.case.survivor.code, kind="referral",
            title=_("Referral to %(org)s not answered yet") % {"org": r.recipient_organisation.name},
            due_at=r.respond_by, overdue=r.respond_by <= now,
            url=reverse("referrals:detail", kwargs={"referral_id": r.pk}),
            responsible=r.case.lead_caseworker.display_name,
        )
        for r in rows
    ]
