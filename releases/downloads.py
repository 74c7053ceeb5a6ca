"""CSV and Excel files of released and exported tables."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.http import HttpResponse
from openpyxl import Workbook


def csv_response(rows: Sequence[Sequence[object]], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    csv.writer(response, lineterminator="\n").writerows(rows)
    return response


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[Sequence[object]]]]) -> bytes:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        for row in rows:
            sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: object) -> object:
    """Numbers as numbers; text never starting a formula (CSV/Excel injection)."""
    if isinstance(value, str):
        if value.lstrip("-").isdigit() and len(value) < 12:
            return int(value)
        if value[:1] in ("=", "+", "-", "@"):
            return "'" + value
    return value


def xlsx_response(sheets: Sequence[tuple[str, Sequence[Sequence[object]]]], filename: str) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(sheets), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))
