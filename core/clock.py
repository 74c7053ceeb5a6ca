"""The one clock. Deadlines and schedules read the time here, so tests can control it
(``monkeypatch.setattr("core.clock.now", lambda: fixed)``) without touching the system clock."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())
