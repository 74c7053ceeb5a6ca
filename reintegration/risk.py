"""The re-trafficking risk screen: the factors of DOMAIN.md section 9 (IOM research on
re-trafficking), a yes / no / don't-know answer to each, and the scoring rule.

Weights, thresholds and the factors that force "high" are configuration (reintegration/conf.py,
documented in docs/reintegration.md): they are Sintas's practice choice, not a validated instrument.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import conf
from .models import RiskLevel

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class RiskAnswer(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    UNKNOWN = "unknown", _("don't know")


@dataclass(frozen=True)
class RiskFactor:
    code: str
    label: _StrPromise
    help: _StrPromise


YOUNG = "young_at_first_trafficking"

FACTORS: tuple[RiskFactor, ...] = (
    RiskFactor(YOUNG, _("Child or young at first trafficking"),
               _("Filled in from the survivor's record (child at exploitation, age band); correct it if you know better.")),
    RiskFactor("same_community_hardship", _("Back in the same community, with poverty, unemployment or debt unchanged"),
               _("The conditions that led to the first trafficking are still there.")),
    RiskFactor("family_dysfunction", _("Family dysfunction, violence or complicity"),
               _("Including a family member who took part in the trafficking.")),
    RiskFactor("stigma_on_return", _("Stigma on return"),
               _("Rejection or shaming by family, neighbours or the community.")),
    RiskFactor("assistance_ended_early", _("Assistance ended early or was never given"),
               _("Services stopped before the plan's goals were met, or were never received.")),
    RiskFactor("pressure_to_remigrate", _("Pressure to re-migrate irregularly"),
               _("Offers or pressure to leave again without proper documents or through a broker.")),
    RiskFactor("substance_or_mental_health", _("Substance use or untreated mental-health problems"),
               _("Alcohol or drug use, or depression, trauma symptoms or another condition left untreated.")),
    RiskFactor("trafficker_contact", _("Continuing contact with, or debts to, traffickers"),
               _("Any contact with the recruiters or exploiters, or a “debt” they still claim.")),
)
FACTOR_CODES = tuple(f.code for f in FACTORS)


@dataclass
class RiskResult:
    score: int
    level: str
    yes: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    forced_by: list[str] = field(default_factory=list)


def risk_score(answers: dict[str, str]) -> RiskResult:
    """Score answers already validated (every factor answered yes, no or unknown).

    score = sum of the weights of the "yes" answers; medium and high from the thresholds; a "yes"
    to a force-high factor makes the level at least high.
    """
    weights = conf.risk_weights()
    thresholds = conf.risk_thresholds()
    forcing = set(conf.risk_force_high())
    yes = [c for c in FACTOR_CODES if answers.get(c) == RiskAnswer.YES]
    unknown = [c for c in FACTOR_CODES if answers.get(c) == RiskAnswer.UNKNOWN]
    score = sum(int(weights.get(c, 0)) for c in yes)
    if score >= thresholds["high"]:
        level = RiskLevel.HIGH
    elif score >= thresholds["medium"]:
        level = RiskLevel.MEDIUM
    else:
        level = RiskLevel.LOW
    forced_by = [c for c in yes if c in forcing]
    if forced_by:
        level = RiskLevel.HIGH
    return RiskResult(score=score, level=str(level), yes=yes, unknown=unknown, forced_by=forced_by)


def young_answer_for(survivor: Any) -> str:
    """The "child or young at first trafficking" answer derivable from the survivor's record."""
    if survivor.is_child_at_exploitation:
        return RiskAnswer.YES
    band = survivor.age_band or "unknown"
    if band in conf.young_age_bands():
        return RiskAnswer.YES
    if band == "unknown":
        return RiskAnswer.UNKNOWN
    # Identified older than "young"; exploitation may have begun years earlier, but without a
    # record of that the age band is the best we know.
    return RiskAnswer.NO


def factor_label(code: str) -> str:
    for f in FACTORS:
        if f.code == code:
            return str(f.label)
    return code
