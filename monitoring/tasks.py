"""Celery tasks. Eager in the embedded default (no broker configured): the report is built during
the request that asks for it, after its transaction commits. The figures' refresh is never queued
in that mode (``facts.facts_refresh_soon`` runs it after the response instead)."""

from __future__ import annotations

import dataclasses
from typing import Any

from celery import shared_task
from django.core.cache import cache

from .facts import QUEUED_KEY, facts_refresh
from .services import report_generate


@shared_task(name="monitoring.report_generate")
def report_generate_task(report_id: str) -> str:
    return str(report_generate(report_id).status)


@shared_task(name="monitoring.facts_refresh")
def facts_refresh_task(full: bool = False) -> dict[str, Any]:
    """Celery beat runs it every 10 minutes (changed cases) and nightly with ``full=True``
    (``CELERY_BEAT_SCHEDULE`` in sintas/settings.py); dashboards queue it when figures are stale."""
    cache.delete(QUEUED_KEY)  # from now on a dashboard may queue the next one
    return dataclasses.asdict(facts_refresh(full=full))
