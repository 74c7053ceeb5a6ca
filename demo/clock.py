"""The services' clock, moved to a past moment while the demo's history is written.

Services read the time from ``django.utils.timezone.now`` (``core.clock`` reads it there too) and
``auto_now`` fields stamp it; ``time_machine`` moves all of them at once, so a service called inside
``clock_at(moment)`` writes exactly what it would have written at that moment. ``time_machine`` is
a development requirement (requirements-dev.txt, installed by ``make demo``), like the demo itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import time_machine


@contextmanager
def clock_at(moment: dt.datetime) -> Iterator[None]:
    """The clock stands still at ``moment`` (nested calls move it again, and restore it after)."""
    with time_machine.travel(moment, tick=False):
        yield
