"""Celery tasks, and the helpers that queue them. The top of the monitoring room: the tasks call
``services`` and ``facts``; those never import this module, they are handed the queueing function
(``report_enqueue``, ``facts_refresh_queue``) by the views that call them.

Eager in the embedded default (no broker configured): the report is built during the request that
asks for it, after its transaction commits. The figures' refresh is never queued in that mode
(``facts.facts_refresh_schedule`` runs it after the response instead)."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.core.cache import cache
from django.http import HttpResponseBase

from core.background import task

from . import facts, services


@task(name="monitoring.report_generate")
def report_generate_task(report_id: str) -> str:
    return str(services.report_generate(report_id).status)


@task(name="monitoring.facts_refresh")
def facts_refresh_task(full: bool = False) -> dict[str, Any]:
    """Celery beat runs it every 10 minutes (changed cases) and nightly with ``full=True``
    (``CELERY_BEAT_SCHEDULE`` in sintas/settings.py); dashboards queue it when figures are stale."""
    cache.delete(facts.QUEUED_KEY)  # from now on a dashboard may queue the next one
    return dataclasses.asdict(facts.facts_refresh(full=full))


def report_enqueue(report_id: str) -> None:
    """Queue the generation of a requested report (``services.report_request`` calls it on commit)."""
    report_generate_task.delay(report_id)


def facts_refresh_queue() -> None:
    """Queue one refresh of the figures on the broker."""
    facts_refresh_task.delay()


def facts_refresh_soon(response: HttpResponseBase) -> str:
    """``facts.facts_refresh_soon`` queueing through this module's task."""
    return facts.facts_refresh_soon(response, queue=facts_refresh_queue)


def facts_refresh_schedule(response: HttpResponseBase) -> str:
    """``facts.facts_refresh_schedule`` queueing through this module's task."""
    return facts.facts_refresh_schedule(response, queue=facts_refresh_queue)
