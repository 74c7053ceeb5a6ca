"""``manage.py refresh_facts [--full]``: recompute the case figures the dashboards read."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from monitoring.facts import facts_refresh


class Command(BaseCommand):
    help = ("Recompute the monitoring figures of the cases changed since the last refresh (with --full: of "
            "every case). Skips when another refresh is running. Cron it where Celery beat does not run.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="Rebuild the figures of every case.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = facts_refresh(full=options["full"])
        if not result.ran:
            self.stdout.write("Another refresh of the monitoring figures is running; skipped.")
            return
        self.stdout.write(f"{'Full rebuild' if result.full else 'Changed cases'}: {result.cases} case(s) "
                          f"recomputed, {result.written} row(s) written in {result.seconds:.2f} s.")
