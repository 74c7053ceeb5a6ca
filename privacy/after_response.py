"""Work that must not change the answer to a request: run once the response has been sent.

``AfterResponseMiddleware`` opens a list of jobs for each request; ``defer(job)`` adds to it, and the
jobs run when the server closes the response (as ``monitoring.facts`` does for its refresh), on the
request's own connection, each in its own ``try`` so one failing job never reaches the user. Outside
a request (a command, a Celery task, a test calling a service) a deferred job runs once the current
transaction commits. In a request it runs after the response, when the request's transactions
are over.

This is how the privacy room keeps the answer to a registration identical whether or not the person
was known elsewhere: the linkage requests, access-log entries and probing alerts are written here.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)

Job = Callable[[], object]
_pending: contextvars.ContextVar[list[Job] | None] = contextvars.ContextVar("sintas_after_response", default=None)


def defer(job: Job) -> None:
    """Run ``job`` after the response of the current request; outside a request, once the current
    transaction commits (at once when there is none)."""
    jobs = _pending.get()
    if jobs is None:
        transaction.on_commit(partial(_run, [job]))
    else:
        jobs.append(job)


def _run(jobs: list[Job]) -> None:
    for job in jobs:
        try:
            job()
        except Exception:  # noqa: BLE001 - the user has been answered; the log says what failed
            log.exception("an after-response job failed")


def run_jobs(jobs: list[Job]) -> None:
    """What the response's close runs (tests patch it to see where the request ended)."""
    _run(jobs)


class AfterResponseMiddleware:
    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        jobs: list[Job] = []
        token = _pending.set(jobs)
        try:
            response = self.get_response(request)
        finally:
            _pending.reset(token)
        if jobs:
            response._resource_closers.append(partial(_close, jobs))
        return response


def _close(jobs: list[Job]) -> None:
    run_jobs(jobs)
