"""Celery task: alerts for passed legal deadlines (scheduled in sintas/settings.py, every 15 minutes)."""

from __future__ import annotations

from celery import shared_task

from .services import legal_clocks_escalate


@shared_task(name="legal.clocks_escalate")  # type: ignore[untyped-decorator]
def legal_clocks_escalate_task() -> int:
    return legal_clocks_escalate()
