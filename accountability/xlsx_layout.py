"""The printed layout of the bulletin's workbooks (accountability.xlsx and its sheets in
xlsx_*.py): the styles, a printed table with its title, note and repeated header rows, and the
cells of a date, a score and a rate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core import xlsx
from core.xlsx import Cell, Style

FONT = "SimSun"
TITLE = Style(font=FONT, bold=True, size=14, horizontal="center")
NOTE = Style(font=FONT, italic=True, color="666666")
HEADER = Style(
    font=FONT, bold=True, fill="DDE3EA", border=True, horizontal="center", vertical="center", wrap=True
)
BODY = Style(font=FONT, border=True, vertical="top")
WRAP = Style(wrap=True)
TOTAL = Style(font=FONT, bold=True, fill="F2F2F2", border=True)
MONTH = Style(num_format='yyyy"年"m"月"')
SCORE = Style(num_format="0.00")


def date_value(value):
    """An ISO date of the stored content as a date; anything else as it is."""
    try:
        return dt.date.fromisoformat(value[:10])
    except (TypeError, ValueError):
        return value or ""


def score_cell(value):
    try:
        return Cell(Decimal(str(value)), SCORE)
    except (InvalidOperation, ValueError):
        return value


def rate_cells(rate: dict) -> list:
    """A rate as two cells: the share (a percentage, empty when nothing is counted) and part/whole."""
    share = None if rate.get("rate") is None else xlsx.rate(rate["rate"])
    return [share, f"{rate['part']}/{rate['whole']}"]


def printed_sheet(book: xlsx.Workbook, title: str, heading: str, headers: list, rows: list[list], *,
           totals: list | None = None, widths: list[int] | None = None, note: str = "",
           pairs: int = 0) -> xlsx.Sheet:  # fmt: skip
    """A printed table. `pairs`: the last `pairs` headers each stand over two columns (a rate
    and its part/whole), with a second header row naming them."""
    ncols = len(headers) + pairs
    ws = book.sheet(title)
    ws.title_row(heading, span=max(ncols, 1), style=TITLE)
    if note:
        ws.title_row(note, span=1, style=NOTE)
    else:
        ws.skip()
    if pairs:
        single = len(headers) - pairs
        top = [*headers[:single]]
        for label in headers[single:]:
            top += [label, None]
        first = ws.header(top, style=HEADER)
        second = ws.header([None] * single + [_("Share"), _("Counted")] * pairs, style=HEADER)
        for col in range(1, single + 1):
            ws.merge(first, col, second, col)
        for k in range(pairs):
            ws.merge(first, single + 1 + 2 * k, first, single + 2 + 2 * k)
        header_rows = (first, second)
    else:
        first = ws.header(headers, style=HEADER)
        header_rows = (first, first)
    for values in rows:
        ws.append([Cell(v, WRAP) if isinstance(v, str) and len(v) > 12 else v for v in values], style=BODY)
    if totals is not None:
        ws.append(totals, style=TOTAL)
    ws.column_widths(widths or [14] * ncols)
    ws.print_setup(title_rows=header_rows, landscape=ncols > 6)
    return ws
