"""manage.py import_ctdc PATH: load a CTDC data file as external reference data (never as cases)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from releases.importer import CtdcFormatError
from releases.services import ctdc_import


class Command(BaseCommand):
    help = ("Import a CTDC data file downloaded from https://www.ctdatacollaborative.org/ (the 2024 Global "
            "Synthetic Dataset, the 2017-2020 Global Dataset, or its recoded extract) as reference data. "
            "Importing a file of the same name again replaces its rows.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            source = ctdc_import(raw=path.read_bytes(), file_name=path.name)
        except CtdcFormatError as exc:
            raise CommandError("Nothing was imported:\n" + "\n".join(exc.messages)) from exc
        self.stdout.write(
            f"Imported {source.row_count} records from {source.file_name} ({source.get_shape_display()}), "
            f"SHA-256 {source.sha256}. Source: Counter-Trafficking Data Collaborative (CTDC)."
        )
