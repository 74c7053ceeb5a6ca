"""Re-encrypt the identity vault with the first configured key (after adding a new key in front).

Rotation: set SINTAS_ENCRYPTION_KEYS="NEW,OLD", run this command, then remove OLD.
With --hash, also recompute the NIK keyed hashes (after changing SINTAS_HASH_KEY).
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from core.crypto import rotate_token
from survivors.models import Guardian, Identity
from survivors.validators import nik_hash

TABLES = {
    Identity: ("survivor_id", ["full_name", "aliases", "nik", "birth_date", "phone_numbers", "address"]),
    Guardian: ("id", ["full_name", "phone"]),
}


class Command(BaseCommand):
    help = "Re-encrypt identity data with the primary key; optionally recompute NIK hashes."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--hash", action="store_true", help="recompute NIK keyed hashes too")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model, (pk, fields) in TABLES.items():
            table = model._meta.db_table
            cols = ", ".join(fields)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {pk}, {cols} FROM {table}")  # noqa: S608 - names are ours
                rows = cursor.fetchall()
            for start in range(0, len(rows), options["batch"]):
                with transaction.atomic(), connection.cursor() as cursor:
                    for row in rows[start:start + options["batch"]]:
                        values = [rotate_token(v) if v else v for v in row[1:]]
                        sets = ", ".join(f"{f} = %s" for f in fields)
                        cursor.execute(f"UPDATE {table} SET {sets} WHERE {pk} = %s", [*values, row[0]])  # noqa: S608
                        total += 1
            # The photo column is binary.
        with transaction.atomic():
            for ident in Identity.objects.exclude(photo=None).only("survivor_id", "photo").iterator():
                Identity.objects.filter(pk=ident.pk).update(photo=ident.photo)
            if options["hash"]:
                for ident in Identity.objects.exclude(nik="").only("survivor_id", "nik").iterator():
                    Identity.objects.filter(pk=ident.pk).update(nik_hash=nik_hash(ident.nik))
        self.stdout.write(f"re-encrypted {total} rows")
