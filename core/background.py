"""Celery's ``shared_task`` with types: Celery ships no annotations, so a task would be untyped for
every caller. ``task`` keeps the function's own signature for direct calls and for ``delay``.

The rooms' ``tasks.py`` modules use it; the Celery application is in ``sintas/celery.py``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ParamSpec, Protocol, TypeVar

from celery import shared_task

P = ParamSpec("P")
R = TypeVar("R", covariant=True)


class Task(Protocol[P, R]):
    """A Celery task: call it to run it here, ``delay`` it to queue it (eager without a broker)."""

    name: str

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R: ...

    def delay(self, *args: P.args, **kwargs: P.kwargs) -> Any: ...  # celery.result.AsyncResult (untyped)


def task(*, name: str) -> Callable[[Callable[P, R]], Task[P, R]]:
    """``@task(name="room.what")``: the function registered as a Celery shared task under ``name``."""

    def decorator(fn: Callable[P, R]) -> Task[P, R]:
        registered: Task[P, R] = shared_task(name=name)(fn)
        return registered

    return decorator
