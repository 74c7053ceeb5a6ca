"""Scoring of every instrument, including the published cut-offs, and the "restored" rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.choices import Domain
from recovery.scoring import domain_scores, is_restored, screening_band, screening_total

from .conftest import instrument


def band(code: str, total: int) -> str:
    return screening_band(instrument(code).bands, total).code


@pytest.mark.parametrize(("total", "expected"), [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "moderately_severe"), (19, "moderately_severe"), (20, "severe"), (27, "severe"),
])
def test_phq9_bands(db: None, total: int, expected: str) -> None:
    assert band("PHQ-9", total) == expected


@pytest.mark.parametrize(("total", "expected"), [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "severe"), (21, "severe"),
])
def test_gad7_bands(db: None, total: int, expected: str) -> None:
    assert band("GAD-7", total) == expected


@pytest.mark.parametrize(("total", "expected"), [(0, "below_cutoff"), (32, "below_cutoff"),
                                                 (33, "provisional_ptsd"), (80, "provisional_ptsd")])
def test_pcl5_cutoff(db: None, total: int, expected: str) -> None:
    assert band("PCL-5", total) == expected


def test_pcl5_cutoff_is_configurable(db: None, settings: object) -> None:
    settings.SINTAS_PCL5_CUTOFF = 31  # type: ignore[attr-defined]
    assert band("PCL-5", 30) == "below_cutoff"
    assert band("PCL-5", 31) == "provisional_ptsd"


def test_instruments_have_their_published_shape(db: None) -> None:
    for code, count, low, high in (("PHQ-9", 9, 0, 3), ("GAD-7", 7, 0, 3), ("PCL-5", 20, 0, 4)):
        inst = instrument(code)
        assert inst.items.count() == count
        assert (inst.scale_min, inst.scale_max) == (low, high)
        assert [o["value"] for o in inst.options] == list(range(low, high + 1))
        assert inst.items.filter(domain__isnull=False).count() == 0
    phq9_item9 = instrument("PHQ-9").items.get(number=9)
    assert (phq9_item9.alert_at, phq9_item9.alert_kind) == (1, "self_harm")
    assert screening_total([3] * 9) == 27 and screening_total([3] * 7) == 21 and screening_total([4] * 20) == 80


def test_holistic_instrument_covers_every_domain_with_four_described_levels(db: None) -> None:
    shrs = instrument("SHRS")
    assert shrs.name_en == "Sintas Holistic Recovery Scale"
    for code in Domain.values:
        items = list(shrs.items.filter(domain=code).prefetch_related("levels"))
        assert 3 <= len(items) <= 5, code
        for item in items:
            levels = list(item.levels.all())
            assert [lv.value for lv in levels] == [1, 2, 3, 4]
            assert all(lv.text_id and lv.text_en and lv.text_id != lv.text_en for lv in levels)


def test_domain_score_is_the_mean_of_answered_items() -> None:
    scores = domain_scores([("safety", 2), ("safety", 3), ("safety", None), ("legal", 4), ("mental", None),
                            ("social", 1), ("social", 2), ("social", 2)])
    assert scores == {"safety": Decimal("2.50"), "legal": Decimal("4.00"), "social": Decimal("1.67")}
    assert "mental" not in scores  # no answer, no score


SIX = {d: Decimal("3.00") for d in Domain.values}


def test_restored_when_every_domain_reaches_the_threshold() -> None:
    assert is_restored(SIX)
    assert not is_restored(SIX | {"economic": Decimal("2.99")})
    assert not is_restored({d: s for d, s in SIX.items() if d != "legal"})  # an unscored domain
    assert not is_restored(SIX | {"legal": None})


def test_safety_below_threshold_is_never_restored(settings: object) -> None:
    settings.SINTAS_RESTORED_RULE = "mean_and_safety"  # type: ignore[attr-defined]
    high = {d: Decimal("4.00") for d in Domain.values}
    assert is_restored(high | {"economic": Decimal("2.00")})  # mean 3.67 >= 3.0
    assert not is_restored(high | {"safety": Decimal("2.67")})  # mean 3.78, but safety below
    settings.SINTAS_RESTORED_RULE = "all_domains"  # type: ignore[attr-defined]
    assert not is_restored(high | {"safety": Decimal("2.67")})


def test_thresholds_are_configurable_per_domain(settings: object) -> None:
    settings.SINTAS_RESTORED_THRESHOLD = 2.5  # type: ignore[attr-defined]
    assert is_restored({d: Decimal("2.50") for d in Domain.values})
    settings.SINTAS_RESTORED_DOMAIN_THRESHOLDS = {"safety": 3.5}  # type: ignore[attr-defined]
    assert not is_restored({d: Decimal("3.00") for d in Domain.values})
    assert is_restored({d: Decimal("3.00") for d in Domain.values} | {"safety": Decimal("3.50")})
