"""Spreadsheets the app writes itself (outside django-import-export): safe cells, one response.

A cell that starts with =, +, - or @ (or a tab or carriage return) could be read as a formula
by a spreadsheet program; such text is written with a leading apostrophe so it stays text.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from config.text import xml_safe

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    if isinstance(value, Promise):
        value = str(value)
    value = xml_safe(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def add_sheet(
    workbook: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> None:
    """A sheet with a bold header row, every text cell neutralised, columns sized to fit."""
    sheet = workbook.create_sheet(title=neutralise(str(title))[:31])
    sheet.append([neutralise(str(header)) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(header)) for header in headers]
    for row in rows:
        values = [neutralise(value) for value in row]
        sheet.append(values)
        for index, value in enumerate(values[: len(widths)]):
            widths[index] = max(widths[index], len(str(value)) if value is not None else 0)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"


def new_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
