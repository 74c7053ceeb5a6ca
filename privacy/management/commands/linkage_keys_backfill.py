"""Recompute the vault's linkage keys (after changing SINTAS_HASH_KEY, or for rows written without
them, such as bulk-loaded demo data): ``manage.py linkage_keys_backfill [--missing]``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from privacy.backfill import identity_keys_backfill
from survivors.models import Identity


class Command(BaseCommand):
    help = "Recompute the keyed hashes of the identity vault used to find the same person again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--missing", action="store_true", help="only entries that have none yet")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        done = identity_keys_backfill(Identity, batch=options["batch"], only_missing=options["missing"])
        self.stdout.write(f"{done} vault entries updated")
