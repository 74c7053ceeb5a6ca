"""Configurable values of the livelihood room (settings with defaults).

Every value DOMAIN.md marks [verify] is configuration here, never a constant in the code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

DATA = Path(__file__).resolve().parent / "data"

# The matching factors and their weights (docs/livelihood.md). Each factor is a number in [0, 1];
# a suggestion's score is the weighted mean. Setting SINTAS_LIVELIHOOD_MATCH_WEIGHTS overrides any of them.
DEFAULT_WEIGHTS: dict[str, float] = {
    "interest": 3.0,
    "skills": 2.0,
    "gap": 2.0,
    "demand": 1.5,
    "distance": 1.5,
    "availability": 1.0,
    "constraints": 2.0,
}


def match_weights() -> dict[str, float]:
    custom: dict[str, Any] = getattr(settings, "SINTAS_LIVELIHOOD_MATCH_WEIGHTS", {}) or {}
    weights = {**DEFAULT_WEIGHTS, **{k: float(v) for k, v in custom.items() if k in DEFAULT_WEIGHTS}}
    return {k: max(0.0, v) for k, v in weights.items()}


def minimum_wage_file() -> Path:
    """The UMP/UMK table (data with its source and year; an administrator replaces it yearly)."""
    return Path(getattr(settings, "SINTAS_LIVELIHOOD_MINIMUM_WAGE_FILE", DATA / "minimum_wages.json"))


def max_weekly_hours() -> int:
    """Hours a week within the law: 40 normal hours (UU 13/2003 Pasal 77 as amended by UU 6/2023)
    plus at most 18 hours of overtime a week (PP 35/2021 Pasal 26) [verify]."""
    return int(getattr(settings, "SINTAS_LIVELIHOOD_MAX_WEEKLY_HOURS", 58))


def part_time_hours() -> int:
    """Hours a week a survivor with an hours constraint can take on."""
    return int(getattr(settings, "SINTAS_LIVELIHOOD_PART_TIME_HOURS", 25))


def availability_days() -> tuple[int, int]:
    """An opportunity starting within the first number of days is fully available; the factor falls
    to zero at the second."""
    full, none = getattr(settings, "SINTAS_LIVELIHOOD_AVAILABILITY_DAYS", (60, 180))
    return int(full), int(none)


def follow_up_months() -> tuple[int, ...]:
    """Months after placement or training at which income is followed up (DOMAIN.md section 9)."""
    return tuple(getattr(settings, "SINTAS_LIVELIHOOD_FOLLOW_UP_MONTHS", (3, 6, 12, 24)))


def suggestions_shown() -> int:
    return int(getattr(settings, "SINTAS_LIVELIHOOD_SUGGESTIONS", 15))
