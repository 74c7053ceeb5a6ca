"""CSV, Excel and PDF renderings of a dashboard: all from ``Dashboard.as_rows()`` (or the same
template as the page), so a download holds exactly what the page shows."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.template.loader import render_to_string


def to_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        # A leading =, +, - or @ would be a formula in a spreadsheet (CSV injection).
        writer.writerow([("'" + c) if c[:1] in ("=", "+", "-", "@") and not _is_number(c) else c for c in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ".").rstrip("%"))
    except ValueError:
        return False
    return True


def to_xlsx(rows: list[list[str]], *, title: str = "Sintas") -> bytes:
    return to_xlsx_sheets([(title, rows)])


def to_xlsx_sheets(sheets: list[tuple[str, list[list[str]]]]) -> bytes:
    from openpyxl import Workbook  # heavy optional dependency: loaded on the first spreadsheet only

    workbook = Workbook()
    first = True
    for title, rows in sheets:
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        _fill(sheet, title, rows)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _fill(sheet: Any, title: str, rows: list[list[str]]) -> None:
    from openpyxl.styles import Font  # heavy optional dependency: loaded on the first spreadsheet only

    sheet.title = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Sintas"
    for row in rows:
        values: list[Any] = []
        for cell in row:
            # Plain counts as numbers (so they sum); everything else, the symbol included, as text.
            values.append(int(cell) if cell.isdigit() else cell)
        sheet.append(values)
        if len(row) == 1 and row[0]:
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 42
    for column in "BCDE":
        sheet.column_dimensions[column].width = 18


def to_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # heavy optional dependency (pango, cairo): loaded on the first PDF only

    html = render_to_string("monitoring/report_pdf.html", context)
    result: bytes = HTML(string=html).write_pdf()
    return result
