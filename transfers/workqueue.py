"""The work queue: transfers awaiting the decision of a supervisor of the receiving organisation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from core import clock
from core.workqueue import WorkItem

from .models import CaseTransfer
from .selectors import incoming_for

# A proposal not decided within this many days shows as overdue (a practice choice, not law).
DECISION_DAYS = 3


def incoming_transfers_for(user: Any, *, scope: str = "mine") -> list[WorkItem]:
    """One query. Supervisors only (both scopes): they are the ones who decide."""
    items = []
    now = clock.now()
    for transfer in incoming_for(user).filter(status=CaseTransfer.Status.PENDING)[:100]:
        due = transfer.proposed_at + dt.timedelta(days=DECISION_DAYS)
        items.append(WorkItem(
            case_id=transfer.case_id,
            survivor_code=transfer.case.survivor.code,
            kind="transfer",
            title=_("Case transfer from %(org)s awaiting your decision") % {"org": transfer.from_organisation.name},
            due_at=due,
            overdue=due < now,
            url=reverse("transfers:detail", kwargs={"transfer_id": transfer.pk}),
        ))
    return items
