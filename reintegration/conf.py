"""Settings of the reintegration room, each with a default an administrator may override in settings.

Why configurable: the follow-up schedule and the risk weights are practice choices, not law
(docs/reintegration.md gives their sources). Read them through these functions, at call time,
so a test's ``settings`` fixture and an administrator's change both take effect.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

# DOMAIN.md section 9: most re-trafficking happens within about two years of exit, so follow-up
# lasts at least 24 months after closure.
DEFAULT_FOLLOW_UP_MONTHS = [3, 6, 12, 24]

# How many days ahead a scheduled follow-up visit enters the work queue.
DEFAULT_FOLLOW_UP_HORIZON_DAYS = 14

# Weight of a "yes" to each re-trafficking risk factor (reintegration/risk.py lists the factors).
# "No" and "don't know" score 0; a "don't know" is listed on the result as something to find out.
DEFAULT_RISK_WEIGHTS: dict[str, int] = {
    "young_at_first_trafficking": 2,
    "same_community_hardship": 2,
    "family_dysfunction": 2,
    "stigma_on_return": 1,
    "assistance_ended_early": 1,
    "pressure_to_remigrate": 3,
    "substance_or_mental_health": 2,
    "trafficker_contact": 4,
}

# A total score at or above a threshold reaches that level.
DEFAULT_RISK_THRESHOLDS: dict[str, int] = {"medium": 3, "high": 6}

# A "yes" to any of these makes the risk at least high, whatever the total: the trafficker still
# has a hold on the survivor (contact or an unpaid "debt"), which is how re-recruitment happens.
DEFAULT_RISK_FORCE_HIGH = ["trafficker_contact"]

# Age bands (core.choices.AgeBand, at identification) counted as "young" when the survivor was not
# recorded as a child at exploitation: the IOM research finds under-25s over-represented.
DEFAULT_YOUNG_AGE_BANDS = ["0-8", "9-17", "18-20", "21-23"]


def _get(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def follow_up_months() -> list[int]:
    months = _get("SINTAS_FOLLOW_UP_MONTHS", DEFAULT_FOLLOW_UP_MONTHS)
    return sorted({int(m) for m in months if int(m) > 0})


def follow_up_horizon_days() -> int:
    return int(_get("SINTAS_FOLLOW_UP_HORIZON_DAYS", DEFAULT_FOLLOW_UP_HORIZON_DAYS))


def risk_weights() -> dict[str, int]:
    return {**DEFAULT_RISK_WEIGHTS, **_get("SINTAS_RETRAFFICKING_RISK_WEIGHTS", {})}


def risk_thresholds() -> dict[str, int]:
    return {**DEFAULT_RISK_THRESHOLDS, **_get("SINTAS_RETRAFFICKING_RISK_THRESHOLDS", {})}


def risk_force_high() -> list[str]:
    return list(_get("SINTAS_RETRAFFICKING_RISK_FORCE_HIGH", DEFAULT_RISK_FORCE_HIGH))


def young_age_bands() -> list[str]:
    return list(_get("SINTAS_RETRAFFICKING_YOUNG_AGE_BANDS", DEFAULT_YOUNG_AGE_BANDS))
