"""Who may send, answer and read referrals (the referrals room; docs/referrals.md).

Rules:
- **The sender's side** is the case's people who may change it (``access.policy.can(user, EDIT,
  case)``: caseworkers on the case team and the lead organisation's supervisors): send, revoke.
  Whoever may view the case sees its referrals.
- **The recipient's side** is every person with a case role in the recipient organisation: accept,
  decline, start, report the outcome. They never get access to the case: only to the packet, and
  only while the referral is active (sent, accepted, in progress), not past its end date, and, while
  unanswered, not older than ``SINTAS_REFERRAL_UNANSWERED_EXPIRY_DAYS``.
- Anyone else: 404.

The referrals room registers a ``ReferralPolicy`` with its model and its setting in
``ReferralsConfig.ready()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from cases.models import Case
from core import clock

from . import policy
from .base import PolicySlot
from .policy import Action

SENDER = "sender"
RECIPIENT = "recipient"


class ReferralPolicy:
    def __init__(self, *, model: Any, unanswered_expiry_days: Callable[[], int]) -> None:
        self.model = model  # referrals.models.Referral
        self.unanswered_expiry_days = unanswered_expiry_days  # read at call time

    def may_send(self, user: Any, case: Case) -> bool:
        return policy.can(user, Action.EDIT, case)

    def is_recipient(self, user: Any, referral: Any) -> bool:
        return policy.may_work_on_cases(user) and user.organisation_id == referral.recipient_organisation_id

    def access_open(self, referral: Any, now: dt.datetime | None = None) -> bool:
        """Whether the partner may still open the packet: the referral is active and not past its end."""
        now = now or clock.now()
        if not referral.is_active:
            return False
        if referral.expires_at is not None and referral.expires_at <= now:
            return False
        return not (referral.status == self.model.Status.SENT
                    and referral.sent_at + dt.timedelta(days=self.unanswered_expiry_days()) <= now)

    def side_of(self, user: Any, referral: Any) -> str | None:
        """``"sender"`` for whoever may view the case, ``"recipient"`` for the recipient organisation
        while the packet is open, otherwise None (404)."""
        if policy.can(user, Action.VIEW, referral.case):
            return SENDER
        if self.is_recipient(user, referral) and self.access_open(referral):
            return RECIPIENT
        return None


slot: PolicySlot[ReferralPolicy] = PolicySlot("referrals")
register = slot.register


def may_send(user: Any, case: Case) -> bool:
    return slot.get().may_send(user, case)


def is_recipient(user: Any, referral: Any) -> bool:
    return slot.get().is_recipient(user, referral)


def access_open(referral: Any, now: dt.datetime | None = None) -> bool:
    """Whether the partner may still open the packet: the referral is active and not past its end."""
    return slot.get().access_open(referral, now)


def side_of(user: Any, referral: Any) -> str | None:
    return slot.get().side_of(user, referral)
