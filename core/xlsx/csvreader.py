"""The one reader of uploaded CSV files (the lists other departments send, the household import).

Government offices save CSV from Excel, WPS or LibreOffice in one of two encodings: UTF-8 (with or
without the byte-order mark Excel writes) or the Windows Chinese code page (GBK, read here as
GB18030, its superset). The encoding is detected from the bytes, never asked of the uploader:
a BOM means UTF-8; otherwise text that decodes as strict UTF-8 is UTF-8 (GBK text almost never
does), else it must decode as GB18030. The delimiter is a comma unless the header line holds more
tabs or semicolons (LibreOffice and Excel in some locales).

Cells come back as text, stripped, with the apostrophe our own CSV writer (csvfile.py) puts before
formula-like text removed again, so a file we wrote reads back as it was.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator

from django.utils.translation import gettext as _

from core.exceptions import DomainError

from .cells import formula_like

BOM = codecs.BOM_UTF8
ENCODINGS = ("utf-8", "gb18030")
DELIMITERS = (",", "\t", ";")
SAMPLE_BYTES = 64 * 1024  # what an upload check reads to decide the file is text


class UnreadableCSV(DomainError):
    """The bytes are not a CSV file in UTF-8 or GBK (a DomainError naming the field)."""


def detect_encoding(data: bytes) -> str:
    """The encoding: utf-8-sig, utf-8 or gb18030; raises UnreadableCSV if the bytes are none."""
    if data.startswith(BOM):
        return "utf-8-sig"
    if b"\x00" in data:  # UTF-16 (Excel's "Unicode text") or a binary file
        raise _unreadable()
    for encoding in ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raise _unreadable()


def looks_like_csv(sample: bytes) -> bool:
    """Whether the first bytes of an upload can be CSV text (core.uploads' content check): no NUL
    byte, they decode as UTF-8 or GB18030 (a sample may end inside a character, so the last three
    bytes may be cut), and the text is not markup or control characters."""
    if not sample or b"\x00" in sample:
        return False
    if sample.startswith(BOM):
        sample = sample[len(BOM) :]
    for encoding in ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            text = decoder.decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        pending, _flag = decoder.getstate()
        if len(pending) <= 3:
            return _plain(text)
    return False


def _plain(text: str) -> bool:
    """Rows of text: not markup (an HTML or SVG page renamed .csv), no control characters other
    than tab and line breaks."""
    if text.lstrip().startswith("<"):
        return False
    return not any(ord(c) < 32 and c not in "\t\r\n" for c in text)


def decode_csv(data: bytes) -> tuple[str, str]:
    """(text, encoding) of the file's bytes."""
    encoding = detect_encoding(data)
    return data.decode(encoding), encoding


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _cell(value: str) -> str:
    value = value.strip()
    if value.startswith("'") and formula_like(value[1:]):
        return value[1:]
    return value


def read_csv(data: bytes, *, field: str = "file") -> Iterator[tuple[int, list[str]]]:
    """The file's rows that have cells, as (row number, stripped text cells) — numbered as a
    spreadsheet shows them (the header is row 1), like reader.read_sheet; blank rows are skipped."""
    try:
        text, _encoding = decode_csv(data)
    except UnreadableCSV as error:
        error.field = field
        raise
    text = text.lstrip("\ufeff")
    delimiter = _delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            cells = [_cell(v) for v in row]
            if any(cells):
                yield number, cells
    except csv.Error:
        raise _unreadable(field) from None


def _unreadable(field: str = "file") -> UnreadableCSV:
    return UnreadableCSV(
        _(
            "The file is not a CSV text file in UTF-8 or GBK; save it again as CSV from Excel, WPS or LibreOffice."
        ),
        field=field,
        code="content",
    )


def find_csv_table(data: bytes, is_header, *, within: int = 10, field: str = "file"):
    """`reader.find_table` for a CSV file (one sheet, named ""): the rows under the first header row
    among the first `within` rows with content, or None."""
    from .reader import Table, find_header

    rows = read_csv(data, field=field)
    found = find_header(rows, is_header, within=within)
    return None if found is None else Table(0, "", found[0], found[1], rows)
