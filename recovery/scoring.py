"""Scoring, as pure functions of answers (no database), so every rule is unit-tested on its own.

- Holistic instruments (``domain_mean``): a domain's score is the mean of its *answered* items,
  rounded to two decimals; unanswered items are skipped and a domain with no answer has no score.
- Screening instruments (``sum_bands``): the total of the item values, placed in the published
  bands (PHQ-9 5/10/15/20, GAD-7 5/10/15, PCL-5 cut-off 33 by default: ``SINTAS_PCL5_CUTOFF``).
- "Restored": see ``is_restored`` and ``recovery.conf``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core.choices import Domain

from . import conf

TWO_PLACES = Decimal("0.01")


def domain_scores(answers: Iterable[tuple[str | None, int | None]]) -> dict[str, Decimal]:
    """``answers``: (domain, value) pairs; a value of None is an unanswered item."""
    totals: dict[str, list[int]] = {}
    for domain, value in answers:
        if domain is None or value is None:
            continue
        totals.setdefault(domain, []).append(value)
    return {
        domain: (Decimal(sum(values)) / Decimal(len(values))).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
        for domain, values in totals.items()
    }


@dataclass(frozen=True)
class Band:
    code: str
    label_id: str
    label_en: str


def band_minimum(band: Mapping[str, Any]) -> int:
    """A band's lower bound; a band naming a setting (the PCL-5 cut-off) takes it from there."""
    if band.get("setting"):
        return conf.setting_int(str(band["setting"]), int(band["min"]))
    return int(band["min"])


def screening_band(bands: list[Mapping[str, Any]], total: int) -> Band:
    """The highest band whose lower bound the total reaches."""
    chosen: Mapping[str, Any] | None = None
    for band in sorted(bands, key=band_minimum):
        if total >= band_minimum(band):
            chosen = band
    if chosen is None:
        return Band(code="", label_id="", label_en="")
    return Band(code=str(chosen["code"]), label_id=str(chosen.get("label_id", "")),
                label_en=str(chosen.get("label_en", "")))


def screening_total(values: Iterable[int | None]) -> int:
    return sum(v for v in values if v is not None)


def _as_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def is_restored(scores: Mapping[str, Any]) -> bool:
    """Whether domain scores (domain -> score, None or missing when unscored) count as "restored".

    Rule ``all_domains`` (default): every one of the six domains is scored and at or above its
    threshold. Rule ``mean_and_safety``: every domain is scored, their mean reaches the overall
    threshold, and safety is at or above its own threshold. Safety comes first (Herman's first
    stage of recovery): below its threshold, a survivor is never "restored", whatever the rule.
    """
    thresholds = conf.domain_thresholds()
    values = {d: _as_decimal(scores.get(d)) for d in Domain.values}
    if any(v is None for v in values.values()):
        return False
    present: dict[str, Decimal] = {d: v for d, v in values.items() if v is not None}
    if present[Domain.SAFETY] < thresholds[Domain.SAFETY]:
        return False
    if conf.restored_rule() == conf.RULE_MEAN_AND_SAFETY:
        return sum(present.values()) / Decimal(len(present)) >= conf.restored_threshold()
    return all(present[d] >= thresholds[d] for d in Domain.values)


def flagged_items(items_and_values: Iterable[tuple[Any, int | None]]) -> list[tuple[Any, int]]:
    """Items whose answer reaches their alert threshold (PHQ-9 item 9: any answer above 0)."""
    return [
        (item, value) for item, value in items_and_values
        if value is not None and item.alert_at is not None and value >= item.alert_at
    ]
