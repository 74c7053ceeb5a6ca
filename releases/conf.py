"""Settings of the releases room, each with a default an administrator may override in settings.

Read through these functions at call time, so a test's ``settings`` fixture and an administrator's
change both take effect (the pattern of ``reintegration/conf.py``). docs/releases.md explains each.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings

# The total privacy-loss budget (epsilon) all differentially private releases of this installation
# may spend together, ever. Sequential composition: the worst-case loss of a series of releases is
# the sum of their epsilons (CTDC codebook 2024, Appendix I). Raising it is a policy decision.
DEFAULT_DP_TOTAL_EPSILON = Decimal("10")

# What one release spends when the person preparing it does not choose.
DEFAULT_DP_RELEASE_EPSILON = Decimal("1")

# The largest epsilon a single release may spend, whatever remains.
DEFAULT_DP_MAX_RELEASE_EPSILON = Decimal("5")

# Record-level (CTDC-shaped) release: the smallest l of distinct sensitive values per equivalence
# class. 2 means no class may reveal everyone's type of exploitation at once.
DEFAULT_RELEASE_MIN_L = 2

# Record-level release: records in classes below k (or below l) are suppressed. If more than this
# share of the records would have to go, the release is refused: the rest would be too biased to use.
DEFAULT_RELEASE_MAX_SUPPRESSED_SHARE = 0.10

# Roles of an organisation that may export to SIMFONI-PPA (the supervisors see every case of their
# organisation anyway; the M&E role never sees case-level data).
DEFAULT_SIMFONI_ROLES = ["supervisor"]


def _get(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def dp_total_epsilon() -> Decimal:
    return Decimal(str(_get("SINTAS_DP_TOTAL_EPSILON", DEFAULT_DP_TOTAL_EPSILON)))


def dp_release_epsilon() -> Decimal:
    return Decimal(str(_get("SINTAS_DP_RELEASE_EPSILON", DEFAULT_DP_RELEASE_EPSILON)))


def dp_max_release_epsilon() -> Decimal:
    return Decimal(str(_get("SINTAS_DP_MAX_RELEASE_EPSILON", DEFAULT_DP_MAX_RELEASE_EPSILON)))


def release_min_l() -> int:
    return int(_get("SINTAS_RELEASE_MIN_L", DEFAULT_RELEASE_MIN_L))


def release_max_suppressed_share() -> float:
    return float(_get("SINTAS_RELEASE_MAX_SUPPRESSED_SHARE", DEFAULT_RELEASE_MAX_SUPPRESSED_SHARE))


def simfoni_roles() -> list[str]:
    return list(_get("SINTAS_SIMFONI_ROLES", DEFAULT_SIMFONI_ROLES))
