"""The one cell rule for every exported value, and the typed cells a caller may ask for.

Formula injection (CSV/DDE injection): a cell whose text starts with = + - @ (or a tab or carriage
return before one) is read by Excel, WPS and LibreOffice as a formula once someone edits it, so a
household name like `=HYPERLINK("http://…","点击")` typed by a village would run on a leader's
machine. In a workbook such text is written as a text cell (never a formula element) with Excel's
quote-prefix style: shown as typed, no visible apostrophe, and kept as text when the cell is edited.
A CSV file has no styles: there the text gets a leading apostrophe, as OWASP advises.

Every text also loses its control characters other than line breaks (they make a file unreadable)
and is cut at 32,767 characters (Excel's limit for a cell).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32767
# Control characters except line feed and carriage return; U+FFFE/U+FFFF are not XML either.
CONTROL_CHARS = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Control characters other than line breaks removed, cut at Excel's cell limit."""
    if CONTROL_CHARS.search(text):
        text = CONTROL_CHARS.sub("", text)
    return text[:MAX_CELL_CHARS]


def formula_like(text: str) -> bool:
    """Would a spreadsheet read this text as a formula?"""
    return text.startswith(FORMULA_PREFIXES)


@dataclass(frozen=True, slots=True)
class Style:
    """How a cell looks; the writer keeps one entry of the workbook's style table per distinct Style."""

    bold: bool = False
    italic: bool = False
    size: float | None = None
    color: str | None = None  # font colour, RRGGBB
    font: str | None = None  # font name
    fill: str | None = None  # background, RRGGBB
    border: bool = False  # a thin grey border on every side
    horizontal: str | None = None  # left, center, right
    vertical: str | None = None  # top, center, bottom
    wrap: bool = False
    num_format: str | None = None
    quote_prefix: bool = False

    def __or__(self, other: Style | None) -> Style:
        """This style with what `other` sets on top (fields left at their default do not count)."""
        if other is None or other is self:
            return self
        changes = {
            name: getattr(other, name)
            for name in self.__slots__
            if getattr(other, name) != _DEFAULT_FIELDS[name]
        }
        return Style(**{**{n: getattr(self, n) for n in self.__slots__}, **changes}) if changes else self


_DEFAULT_FIELDS = {name: getattr(Style(), name) for name in Style.__slots__}

MONEY_FORMAT = "#,##0.00"  # yuan: thousands separators, two decimals
DATE_FORMAT = "yyyy-mm-dd"
DATE_CN_FORMAT = 'yyyy"年"m"月"d"日"'
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT = "0.0%"

BOLD = Style(bold=True)
HEADER = Style(bold=True, fill="DDEBF7", vertical="center", wrap=True)
TITLE = Style(bold=True, size=14, horizontal="center")


@dataclass(frozen=True, slots=True)
class Cell:
    """A value with a style of its own (merged over the row's style)."""

    value: Any
    style: Style | None = None


def money(value) -> Cell:
    """An amount of yuan (a Decimal is written so anyway; this is for ints and floats)."""
    return Cell(value, Style(num_format=MONEY_FORMAT))


def rate(value, *, num_format: str = PERCENT_FORMAT) -> Cell:
    """A share (0.125) shown as a percentage (12.5%); None stays empty."""
    return Cell(value, Style(num_format=num_format))


def number(value, num_format: str) -> Cell:
    return Cell(value, Style(num_format=num_format))
