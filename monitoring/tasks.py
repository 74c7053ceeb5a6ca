"""Celery tasks. Eager in the embedded default (no broker configured): the report is built during
the request that asks for it, after its transaction commits."""

from __future__ import annotations

from celery import shared_task

from .facts import facts_refresh
from .services import report_generate


@shared_task(name="monitoring.report_generate")
def report_generate_task(report_id: str) -> str:
    return str(report_generate(report_id).status)


@shared_task(name="monitoring.facts_refresh")
def facts_refresh_task() -> int:
    """Schedule with celery beat (every 10 minutes is plenty for monthly and yearly figures)."""
    return facts_refresh()
