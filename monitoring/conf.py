"""Settings of the monitoring room, each with a default an administrator may override in settings.

Read through these functions at call time, so a test's ``settings`` fixture and an administrator's
change both take effect (the pattern of ``reintegration/conf.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

# Smallest count shown to someone outside the case team. 5 inside the government network is the
# usual rule of thumb of statistical offices for administrative data; 11 is what CTDC used for its
# k-anonymised public releases (docs/monitoring.md).
DEFAULT_K_INTERNAL = 5
DEFAULT_K_PUBLIC = 11

# Whether a zero is shown. A zero says "nobody in this group", which identifies no one; it is
# suppressed only where a table's design makes zeros sensitive, which an administrator may decide.
DEFAULT_SUPPRESS_ZEROS = False

# Re-trafficking signals count within this many months of a closure (DOMAIN.md section 9).
DEFAULT_RETRAFFICKING_WINDOW_MONTHS = 24

# Confidence level of the intervals in programme effectiveness (z for a two-sided 95% interval).
DEFAULT_CI_Z = 1.96


def _get(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def k_internal() -> int:
    return int(_get("SINTAS_DISCLOSURE_K_INTERNAL", DEFAULT_K_INTERNAL))


def k_public() -> int:
    return int(_get("SINTAS_DISCLOSURE_K_PUBLIC", DEFAULT_K_PUBLIC))


def suppress_zeros() -> bool:
    return bool(_get("SINTAS_DISCLOSURE_SUPPRESS_ZEROS", DEFAULT_SUPPRESS_ZEROS))


def retrafficking_window_months() -> int:
    return int(_get("SINTAS_RETRAFFICKING_WINDOW_MONTHS", DEFAULT_RETRAFFICKING_WINDOW_MONTHS))


def ci_z() -> float:
    return float(_get("SINTAS_MONITORING_CI_Z", DEFAULT_CI_Z))


def facts_max_age_minutes() -> int:
    """Dashboards refresh the case figures (monitoring.facts) when they are older than this."""
    return int(_get("SINTAS_MONITORING_FACTS_MAX_AGE_MINUTES", 10))


def reports_dir() -> Path:
    """Where generated periodic reports are stored (never under a public URL: downloads pass
    through a view that checks the requester's scope)."""
    default = Path(settings.VAR_DIR) / "reports"
    return Path(_get("SINTAS_MONITORING_REPORTS_DIR", default))
