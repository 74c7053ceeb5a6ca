"""Celery tasks. Schedule ``care.tasks.time_limits_escalate_task`` with celery beat (every 15
minutes is plenty: limits are counted in hours and days), or run ``manage.py check_time_limits``
from cron."""

from __future__ import annotations

from core.background import task

from .services import time_limits_escalate


@task(name="care.time_limits_escalate")
def time_limits_escalate_task() -> int:
    return time_limits_escalate()
