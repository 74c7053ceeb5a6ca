"""Working days: Monday to Friday, minus the public holidays and collective leave days
(*cuti bersama*) an administrator lists in ``SINTAS_PUBLIC_HOLIDAYS``.

The national list is set each year by a joint decree of three ministers (SKB 3 Menteri) and
regions add their own: it is configuration, not code. Read at call time, so a change takes effect
without a restart of the code that reads it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _parse(values: tuple[str, ...]) -> frozenset[dt.date]:
    return frozenset(dt.date.fromisoformat(v.strip()) for v in values if v and v.strip())


def public_holidays() -> frozenset[dt.date]:
    values: Iterable[str] = getattr(settings, "SINTAS_PUBLIC_HOLIDAYS", ()) or ()
    return _parse(tuple(str(v) for v in values))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in public_holidays()
