"""Settings of the privacy room, read at call time (a test's ``settings`` fixture takes effect).

Record linkage (docs/privacy.md, "One person across agencies"); every value is configuration
**[verify]** with the data protection officer and the field:

- ``SINTAS_LINKAGE_WEIGHTS``: a dict of the weights of each agreement between two vault entries
  without a common NIK (defaults in ``DEFAULT_WEIGHTS``): ``name`` (the normalised names are equal
  as sorted tokens), ``name_phonetic`` (equal phonetic keys, when the names are not equal),
  ``name_tokens`` (times the share of name tokens in common, when neither is equal), ``birth_date``
  (equal dates of birth), ``birth_year`` (equal years, when the dates differ), ``region`` (equal
  regency/city of origin, or province when no regency was recorded).
- ``SINTAS_LINKAGE_THRESHOLD`` (default 0.8): a score at or above it is a possible duplicate. With the
  defaults, name and date of birth agreeing are enough; a phonetic name, date of birth and region
  too; a name, birth year and region are not.
- ``SINTAS_LINKAGE_MAX_CANDIDATES`` (default 50): the most vault entries one search scores.
- ``SINTAS_LINKAGE_PROBE_LIMIT`` (default 5): more registrations than this, by one user in one day,
  whose identity matched someone already registered alert the platform administrators.
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_WEIGHTS: dict[str, float] = {
    "name": 0.45,
    "name_phonetic": 0.35,
    "name_tokens": 0.3,
    "birth_date": 0.35,
    "birth_year": 0.1,
    "region": 0.2,
}


def weights() -> dict[str, float]:
    configured = getattr(settings, "SINTAS_LINKAGE_WEIGHTS", None) or {}
    unknown = set(configured) - set(DEFAULT_WEIGHTS)
    if unknown:
        raise ValueError(f"SINTAS_LINKAGE_WEIGHTS: unknown weight(s) {sorted(unknown)}")
    return {**DEFAULT_WEIGHTS, **{k: float(v) for k, v in configured.items()}}


def threshold() -> float:
    return float(getattr(settings, "SINTAS_LINKAGE_THRESHOLD", 0.8))


def max_candidates() -> int:
    return int(getattr(settings, "SINTAS_LINKAGE_MAX_CANDIDATES", 50))


def probe_limit() -> int:
    return int(getattr(settings, "SINTAS_LINKAGE_PROBE_LIMIT", 5))


# Break-the-glass (docs/privacy.md, "Break-the-glass"), [verify] with the data protection officer:
# - ``SINTAS_EMERGENCY_ACCESS_HOURS`` (default 3): how long an emergency grant lasts.
# - ``SINTAS_EMERGENCY_REVIEW_WORKING_DAYS`` (default 3): the working days (core/workdays.py) a
#   supervisor of the lead organisation has to review each use.


def emergency_access_hours() -> float:
    return float(getattr(settings, "SINTAS_EMERGENCY_ACCESS_HOURS", 3))


def emergency_review_working_days() -> int:
    return int(getattr(settings, "SINTAS_EMERGENCY_REVIEW_WORKING_DAYS", 3))
