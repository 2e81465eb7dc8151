"""Excel exports that cannot carry formulas from the data, written row by row.

    with XlsxWriter() as book:
        sheet = book.sheet(_("Households"), headers=[_("File no."), _("Head"), _("ID number")])
        for h in households.iterator(chunk_size=2000):
            sheet.append([h.file_number, h.head_name, mask_id(h.id_number)])
        return book.response("households.xlsx")

Formula injection (CSV/DDE injection): a cell whose text starts with = + - @ or a tab or
carriage return is read by Excel and WPS as a formula, so a household name like
`=HYPERLINK("http://…","点击")` or `@SUM(…)` typed by a village would run on a leader's machine.
Every text cell goes through `escape_formula`, which prefixes such text with an apostrophe, and
is written as a string, never as a formula. Numbers, dates and Decimals stay typed values.

The workbook is write-only (openpyxl streams rows to a temporary file), so memory stays flat
for a million rows; the response streams that file.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import FileResponse
from django.utils.encoding import force_str
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel refuses longer text in a cell; a longer value is cut rather than break the file.
MAX_CELL_CHARS = 32767


def escape_formula(value: str) -> str:
    """'=1+1' → "'=1+1"; text that cannot be read as a formula is returned unchanged."""
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _illegal_free(text: str) -> str:
    # Control characters other than tab/newline make the file unreadable to Excel.
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32)


def safe_value(value: Any) -> Any:
    """A value fit for a cell: typed values kept, text escaped."""
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date | dt.datetime | dt.time):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            from django.utils import timezone

            return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
        return value
    if isinstance(value, Promise):
        value = force_str(value)
    text = value if isinstance(value, str) else str(value)
    return escape_formula(_illegal_free(text))[:MAX_CELL_CHARS]


class Sheet:
    def __init__(self, worksheet):
        self._ws = worksheet
        self.rows = 0

    def _cell(self, value, *, bold: bool = False) -> WriteOnlyCell:
        cell = WriteOnlyCell(self._ws, value=safe_value(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"  # never a formula, whatever openpyxl would guess
        if bold:
            cell.font = Font(bold=True)
        return cell

    def header(self, values: Sequence[Any]) -> None:
        self._ws.append([self._cell(v, bold=True) for v in values])

    def append(self, values: Sequence[Any]) -> None:
        self._ws.append([self._cell(v) for v in values])
        self.rows += 1

    def extend(self, rows: Iterable[Sequence[Any]]) -> None:
        for values in rows:
            self.append(values)


class XlsxWriter:
    """A write-only workbook; use as a context manager, then `.response(name)` or `.save(fp)`."""

    def __init__(self):
        self._book = Workbook(write_only=True)
        self._file = None

    def __enter__(self) -> XlsxWriter:
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is not None and self._file is not None:
            self._file.close()

    def sheet(self, title: Any, *, headers: Sequence[Any] | None = None, widths: Sequence[int] = ()) -> Sheet:
        # Sheet titles: at most 31 characters, none of []:*?/\ .
        clean = "".join(ch for ch in force_str(title) if ch not in "[]:*?/\\")[:31] or "Sheet"
        ws = self._book.create_sheet(title=clean)
        for index, width in enumerate(widths):
            ws.column_dimensions[get_column_letter(index + 1)].width = width
        sheet = Sheet(ws)
        if headers:
            sheet.header(headers)
        return sheet

    def save(self, fp) -> None:
        self._book.save(fp)

    def response(self, filename: str) -> FileResponse:
        """Save to a temporary file and stream it as a download."""
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        self._book.save(self._file)
        self._file.seek(0)
        response = FileResponse(
            self._file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


def write_rows(fp, *, title: Any, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> int:
    """One-sheet shortcut: write `rows` under `headers` to `fp`; returns the number of rows."""
    with XlsxWriter() as book:
        sheet = book.sheet(title, headers=headers)
        sheet.extend(rows)
        book.save(fp)
        return sheet.rows
