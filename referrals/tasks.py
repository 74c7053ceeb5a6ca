"""Celery task. Schedule ``referrals.check_referrals`` with celery beat (every 15 minutes is
plenty), or run ``manage.py check_referrals`` from cron."""

from __future__ import annotations

from core.background import task

from .services import referrals_check


@task(name="referrals.check_referrals")
def check_referrals_task() -> list[int]:
    expired, escalated = referrals_check()
    return [expired, escalated]
