"""Recovery settings, read from django.conf.settings with defaults, so an administrator can change
them without touching the code (DOMAIN.md: thresholds and schedules are configuration, not logic).

- ``SINTAS_RESTORED_THRESHOLD`` (3.0): the domain score at which a domain counts as restored.
- ``SINTAS_RESTORED_DOMAIN_THRESHOLDS`` ({}): per-domain overrides, e.g. ``{"safety": 3.5}``.
- ``SINTAS_RESTORED_RULE`` ("all_domains"): ``all_domains`` = every domain at or above its threshold;
  ``mean_and_safety`` = the mean of the six domain scores at or above the threshold and safety
  never below its own. Under both rules safety below its threshold means "not restored".
- ``SINTAS_ASSESSMENT_INTERVAL_DAYS`` (90): days between periodic holistic assessments.
- ``SINTAS_BASELINE_ASSESSMENT_DAYS`` (14): the baseline is due this many days after intake.
- ``SINTAS_ASSESSMENT_NOTICE_DAYS`` (7): the work queue lists an assessment this many days before it is due.
- ``SINTAS_FOLLOW_UP_ASSESSMENT_WINDOW_DAYS`` (14): a follow-up assessment this many days before a
  follow-up date still counts for it.
- ``SINTAS_PCL5_CUTOFF`` (33): PCL-5 total at or above which PTSD is provisionally indicated.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings

from core.choices import Domain

RULE_ALL_DOMAINS = "all_domains"
RULE_MEAN_AND_SAFETY = "mean_and_safety"
RULES = (RULE_ALL_DOMAINS, RULE_MEAN_AND_SAFETY)


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def restored_threshold() -> Decimal:
    return _decimal(getattr(settings, "SINTAS_RESTORED_THRESHOLD", "3.0"))


def domain_thresholds() -> dict[str, Decimal]:
    """The threshold of each of the six domains (the overall one unless overridden)."""
    base = restored_threshold()
    overrides = getattr(settings, "SINTAS_RESTORED_DOMAIN_THRESHOLDS", {}) or {}
    return {d: _decimal(overrides[d]) if d in overrides else base for d in Domain.values}


def restored_rule() -> str:
    rule = getattr(settings, "SINTAS_RESTORED_RULE", RULE_ALL_DOMAINS)
    if rule not in RULES:
        raise ValueError(f"SINTAS_RESTORED_RULE must be one of {RULES}, not {rule!r}")
    return str(rule)


def interval_days() -> int:
    return int(getattr(settings, "SINTAS_ASSESSMENT_INTERVAL_DAYS", 90))


def baseline_days() -> int:
    return int(getattr(settings, "SINTAS_BASELINE_ASSESSMENT_DAYS", 14))


def notice_days() -> int:
    return int(getattr(settings, "SINTAS_ASSESSMENT_NOTICE_DAYS", 7))


def follow_up_window_days() -> int:
    return int(getattr(settings, "SINTAS_FOLLOW_UP_ASSESSMENT_WINDOW_DAYS", 14))


def setting_int(name: str, default: int) -> int:
    """A cut-off named by instrument data (e.g. the PCL-5 band names ``SINTAS_PCL5_CUTOFF``)."""
    return int(getattr(settings, name, default))
