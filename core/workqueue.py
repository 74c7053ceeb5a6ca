"""The work queue (daftar tugas): what is due and overdue, gathered from every room.

Each room registers a provider in its AppConfig.ready(): a function (user, *, scope) -> list[WorkItem].
``scope`` is "mine" (work the user is responsible for) or "organisation" (a supervisor's view of the
whole organisation). Providers must go through the access policy and use a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Provider = Callable[..., list["WorkItem"]]
_PROVIDERS: list[Provider] = []


@dataclass(frozen=True)
class WorkItem:
    case_id: Any
    survivor_code: str
    kind: str  # e.g. "assessment", "plan_action", "time_limit", "follow_up", "alert"
    title: str  # already translated for the current language
    due_at: dt.datetime | None
    overdue: bool
    url: str
    responsible: str = ""  # display name of the person responsible, if any


def register(provider: Provider) -> Provider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def providers() -> list[Provider]:
    return list(_PROVIDERS)


def work_items_for(user: Any, *, scope: str = "mine") -> list[WorkItem]:
    items: list[WorkItem] = []
    for provider in _PROVIDERS:
        items.extend(provider(user, scope=scope))
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(items, key=lambda i: (not i.overdue, i.due_at or far))
