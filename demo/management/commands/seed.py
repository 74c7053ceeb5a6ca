"""``manage.py seed --survivors N [--demo-accounts PATH] [--seed 42] [--batch-size 2000] [--no-recovery] [--bulk]``.

Synthetic demo data only: demo organisations and users (each with a confirmed TOTP device) and
N invented survivors with identity, guardian or override, consent, case, team and status history;
then, unless ``--no-recovery``, the recovery data of every case that has none yet: the services each
organisation provides, assessment histories and screenings, phases and plans, service applications
and deliveries, closures and follow-ups.
Written through the rooms' services (``demo.story``), so the demo holds only states the product can
reach; ``--bulk`` writes the same kind of data with bulk inserts instead (``demo.bulk``), for the
benchmark's volumes only (bench/ seeds 100,000 survivors and more with it).
Safe to run again: organisations and users are found by name, survivors are only topped up to N,
and recovery data is only added to cases without any.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.draws import DEFAULT_BATCH
from demo.seed import seed
from demo.staff import demo_accounts_write


class Command(BaseCommand):
    help = "Create synthetic demo data (organisations, demo users with TOTP, survivors and cases). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--survivors", type=int, default=60, help="Total synthetic survivors wanted (default 60).")
        parser.add_argument("--demo-accounts", metavar="PATH",
                            help="Write the demo users (username, password, TOTP secret) to this JSON file.")
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH, help="Rows per bulk insert.")
        parser.add_argument("--no-recovery", action="store_true",
                            help="Do not add assessments, plans, services, closures and follow-ups to the cases.")
        parser.add_argument("--bulk", action="store_true",
                            help="Write with bulk inserts instead of the services: for benchmark volumes only.")

    def handle(self, *args: Any, **options: Any) -> None:
        n = options["survivors"]
        if n < 0:
            raise CommandError("--survivors must be 0 or more.")
        verbose = options["verbosity"] >= 1
        result = seed(
            n, seed_value=options["seed"], batch_size=max(1, options["batch_size"]),
            progress=(lambda msg: self.stdout.write(f"  {msg}")) if verbose else None,
            recovery=not options["no_recovery"], bulk_insert=options["bulk"],
        )
        if verbose:
            self.stdout.write(
                f"Demo data: {result.organisations} organisations, {result.users} demo users; survivors "
                f"{result.survivors_before:,} before, {result.survivors_added:,} added "
                f"({result.seconds:.1f} s); recovery data added to {result.recovery_cases:,} cases "
                f"({result.recovery_seconds:.1f} s)."
                + (f" {result.refused} drawn events refused by the services (not written)." if result.refused else "")
            )
        if options["demo_accounts"]:
            path = demo_accounts_write(options["demo_accounts"], result.accounts)
            if verbose:
                self.stdout.write(f"Demo accounts written to {path} (show them with `manage.py demo_accounts {path}`).")
