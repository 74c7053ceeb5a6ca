"""``manage.py check_time_limits``: alert on legal time limits that passed (once per clock)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from care.services import time_limits_escalate


class Command(BaseCommand):
    help = "Alert lead caseworkers and supervisors of legal time limits that passed unmet (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = time_limits_escalate()
        self.stdout.write(f"{count} time limit(s) escalated.")
