"""Loading and looking up region codes (wilayah)."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from .models import Region

DATA_DIR = Path(__file__).resolve().parent / "data" / "wilayah"


def regions_load(*, data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Insert or update the 38 provinces, 514 kabupaten/kota and 7,285 kecamatan. Idempotent."""
    rows: list[Region] = []
    with open(data_dir / "provinces.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rows.append(Region(code=row["kode"], name=row["nama"], level=1, kind="provinsi", parent_id=None))
    with open(data_dir / "regencies.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rows.append(
                Region(code=row["kode"], name=row["nama"], level=2, kind=row["jenis"], parent_id=row["kode_provinsi"])
            )
    with open(data_dir / "districts.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rows.append(
                Region(code=row["kode"], name=row["nama"], level=3, kind="kecamatan", parent_id=row["kode_kabkota"])
            )
    with transaction.atomic():
        Region.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "level", "kind", "parent"],
        )
    counts = {level.label: Region.objects.filter(level=level).count() for level in Region.Level}
    return {str(k): v for k, v in counts.items()}
