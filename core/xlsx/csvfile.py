"""CSV output (bank files, anything later): plain text, no styles, the same cell rule as workbooks.

A CSV cell cannot carry Excel's quote-prefix style, so text a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) gets a leading apostrophe, as OWASP advises,
and every text field is quoted. Control characters other than line breaks are removed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.encoding import force_str

from .cells import Cell, clean_text, formula_like


def csv_value(value: Any) -> str:
    """The text of one CSV field."""
    if isinstance(value, Cell):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = timezone.localtime(value).replace(tzinfo=None)
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = clean_text(force_str(value))
    return "'" + text if formula_like(text) else text


def write_csv(fp, rows: Iterable[Sequence[Any]], *, headers: Sequence[Any] | None = None) -> int:
    """Write rows (after an optional header) to the text file `fp`; returns the number of data rows."""
    writer = csv.writer(fp, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    if headers:
        writer.writerow([csv_value(h) for h in headers])
    count = 0
    for count, row in enumerate(rows, start=1):  # noqa: B007 - the count is the result
        writer.writerow([csv_value(v) for v in row])
    return count


def csv_bytes(rows: Iterable[Sequence[Any]], *, headers: Sequence[Any] | None = None) -> bytes:
    """UTF-8 with a byte-order mark, so Excel and WPS open Chinese text correctly."""
    out = io.StringIO()
    write_csv(out, rows, headers=headers)
    return out.getvalue().encode("utf-8-sig")
