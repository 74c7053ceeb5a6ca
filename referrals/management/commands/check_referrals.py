"""``manage.py check_referrals``: end expired referrals, and alert on those not answered in time."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from referrals.services import referrals_check


class Command(BaseCommand):
    help = "Expire referrals past their end and escalate those not answered in time (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        expired, escalated = referrals_check()
        self.stdout.write(f"{expired} referral(s) expired, {escalated} escalated.")
