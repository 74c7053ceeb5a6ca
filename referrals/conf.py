"""Settings of the referrals room, read at call time (a test's ``settings`` fixture and an
administrator's change both take effect). docs/referrals.md explains each."""

from __future__ import annotations

from django.conf import settings

# The partner answers (accepts or declines) within this many working days (Monday to Friday,
# public holidays not counted), or the sender's supervisors are alerted.
DEFAULT_RESPONSE_WORKING_DAYS = 3
# A referral nobody answered ends (expires) after this many calendar days.
DEFAULT_UNANSWERED_EXPIRY_DAYS = 30


def response_working_days() -> int:
    return int(getattr(settings, "SINTAS_REFERRAL_RESPONSE_WORKING_DAYS", DEFAULT_RESPONSE_WORKING_DAYS))


def unanswered_expiry_days() -> int:
    return int(getattr(settings, "SINTAS_REFERRAL_UNANSWERED_EXPIRY_DAYS", DEFAULT_UNANSWERED_EXPIRY_DAYS))

