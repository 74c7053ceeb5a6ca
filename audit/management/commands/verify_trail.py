"""Walk the hash chains of the access log and the change history and report the first broken link.

Streams each table in link order (constant memory). Exit status 0 and "intact" with the row counts
and each chain's last link as an anchor (note it somewhere outside the database and pass it back
with ``--anchor``: a later run then also finds rows cut off the end, or a chain rebuilt); exit
status 1 (CommandError) and the table, row id, link number and time of the first row whose link
does not hold.
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
        parser.add_argument("--anchor", action="append", default=[], metavar="TABLE:LINK:HASH",
                            help="a link printed by an earlier run, which the chain must still pass through "
                                 "(repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        anchors: dict[str, dict[int, str]] = {}
        for anchor in options["anchor"]:
            table, _, rest = anchor.partition(":")
            seq, _, digest = rest.partition(":")
            if not (seq.isdigit() and len(digest) == 64):
                raise CommandError(f"An anchor is TABLE:LINK:HASH as printed by verify_trail, not {anchor!r}.")
            anchors.setdefault(table, {})[int(seq)] = digest
        unknown = set(anchors) - {m._meta.db_table for m in (ChangeRecord, AccessLogEntry)}
        if unknown:
            raise CommandError(f"No hash-chained table {', '.join(sorted(unknown))}.")
        broken: list[str] = []
        for model in (ChangeRecord, AccessLogEntry):
            started = time.perf_counter()
            walk = chain_verify(model, chunk_size=options["chunk_size"], anchors=anchors.get(model._meta.db_table))
            elapsed = time.perf_counter() - started
            if walk.broken is not None:
                broken.append(f"{walk.broken} ({walk.count:,} rows before it are intact)")
            else:
                self.stdout.write(f"{walk.table}: intact, {walk.count:,} rows ({elapsed:.1f} s); "
                                  f"anchor {walk.table}:{walk.last_seq}:{walk.last_hash or '-'}")
        if broken:
            raise CommandError("The trail is broken: " + "; ".join(broken))
