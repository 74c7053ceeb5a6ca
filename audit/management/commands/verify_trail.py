"""Walk the hash chains of the access log and the change history and report the first broken link.

Streams each table in link order (constant memory). Exit status 0 and "intact" with the row counts
and each chain's last link (note it somewhere outside the database: a later run that ends before
it shows rows cut off the end); exit status 1 (CommandError) and the table, row id, link number and time of the
first row whose link does not hold.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.chain import chain_verify
from audit.models import AccessLogEntry, ChangeRecord


class Command(BaseCommand):
    help = "Verify the hash chains of the access log and the change history."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--chunk-size", type=int, default=5000, help="rows read per round trip")

    def handle(self, *args: Any, **options: Any) -> None:
        broken: list[str] = []
        for model in (ChangeRecord, AccessLogEntry):
            started = time.perf_counter()
            walk = chain_verify(model, chunk_size=options["chunk_size"])
            elapsed = time.perf_counter() - started
            if walk.broken is not None:
                broken.append(f"{walk.broken} ({walk.count:,} rows before it are intact)")
            else:
                self.stdout.write(f"{walk.table}: intact, {walk.count:,} rows ({elapsed:.1f} s); "
                                  f"last link {walk.last_seq} {walk.last_hash or '-'}")
        if broken:
            raise CommandError("The trail is broken: " + "; ".join(broken))
