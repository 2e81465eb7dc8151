"""One worksheet of the writer: its rows as XML in a temporary file, its layout until the save."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise

from core.pii import mask_id_numbers

from .cells import (
    CONTROL_CHARS,
    DATETIME_FORMAT,
    FORMULA_PREFIXES,
    HEADER,
    MAX_CELL_CHARS,
    MONEY_FORMAT,
    TITLE,
    Cell,
    Style,
)
from .styles import MAIN_NS

if TYPE_CHECKING:
    from .writer import Workbook

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# & < > escaped; a carriage return as a reference (XML parsers turn a literal one into a line feed).
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001 - Excel's day 0 (1900 date system)
_FIRST_DAY = dt.date(1900, 3, 1)  # before it Excel's serials are off by its 1900 leap-year bug


# The text format ("@", built-in format 49) of a column whose cells are typed as text.
TEXT_COLUMN = Style(num_format="@")


def column_letter(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


class Sheet:
    """One worksheet; rows are written in order, the layout (widths, merges, print) at any time."""

    def __init__(self, book: Workbook, title: str):
        self.book = book
        self.title = title
        self.rows = 0  # data rows written with append()
        self.last_row = 0  # the sheet's last row number (title and header rows included)
        self._file = tempfile.SpooledTemporaryFile(max_size=4 << 20)  # noqa: SIM115 - closed on save
        self._buffer: list[str] = []
        self._refs: list[str] = []
        self._xf: dict[tuple[Style | None, str], str] = {}
        self._text_xf: dict[Style | None, tuple[str, str]] = {}
        self.widths: dict[int, float] = {}
        self.column_formats: dict[int, Style] = {}
        self.merges: list[str] = []
        self.validations: list[tuple[str, str]] = []
        self.freeze: str | None = None
        self.print_titles: tuple[int, int] | None = None
        self.page: dict[str, Any] | None = None

    # --- rows ------------------------------------------------------------------------------------

    def append(self, values: Iterable[Any], *, style: Style | None = None) -> int:
        """Write the next data row; returns its row number."""
        self.rows += 1
        return self._write(values, style)

    def extend(self, rows: Iterable[Iterable[Any]], *, style: Style | None = None) -> None:
        for values in rows:
            self.append(values, style=style)

    def header(self, values: Sequence[Any], *, style: Style = HEADER) -> int:
        """A header row (not counted in `rows`); frozen on screen unless the sheet says otherwise."""
        number = self._write(values, style)
        if self.freeze is None:
            self.freeze = f"A{number + 1}"
        return number

    def title_row(self, text: Any, *, span: int, style: Style = TITLE) -> int:
        """A title over `span` columns, merged (for a printed report, above its header)."""
        number = self._write([text, *[None] * (max(span, 1) - 1)], style, empty_styled=True)
        if span > 1:
            self.merge(number, 1, number, span)
        return number

    def skip(self, count: int = 1) -> None:
        self.last_row += count

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        self.merges.append(f"{column_letter(first_col)}{first_row}:{column_letter(last_col)}{last_row}")

    # --- layout ----------------------------------------------------------------------------------

    def column_widths(self, widths: Iterable[float | None]) -> None:
        for index, width in enumerate(widths, start=1):
            if width:
                self.widths[index] = width

    def text_columns(self, indexes: Iterable[int]) -> None:
        """Columns (from 1) formatted as text ("@"): what a person types there stays as typed — an
        18-digit ID number, a phone number or a code with leading zeros is never turned into a
        number by Excel, WPS or LibreOffice."""
        for index in indexes:
            self.column_formats[index] = TEXT_COLUMN

    def freeze_panes(self, ref: str | None) -> None:
        """Rows above and columns left of `ref` stay in view ("A2": the first row); None: nothing."""
        self.freeze = ref or ""

    def list_validation(self, cells: str, source: str) -> None:
        """A drop-down on `cells` ("E2:E1000") of the values at `source` ("'Lists'!$A$2:$A$9")."""
        self.validations.append((cells, source))

    def print_setup(self, *, title_rows: tuple[int, int] | None = None, landscape: bool = False,
                    fit_width: bool = True, center: bool = True, margin: float = 0.4,
                    footer: str = "&P / &N") -> None:  # fmt: skip
        """A4, the `title_rows` repeated on every page, one page wide, page numbers in the footer."""
        self.print_titles = title_rows
        self.page = {"landscape": landscape, "fit": fit_width, "center": center, "margin": margin,
                     "footer": footer}  # fmt: skip

    # --- cells -----------------------------------------------------------------------------------

    def _s(self, style: Style | None, kind: str) -> str:
        """The ` s="n"` attribute of a cell of this kind under this style ('' for the default)."""
        key = (style, kind)
        found = self._xf.get(key)
        if found is None:
            base = style or Style()
            if kind == "quoted":
                base = base | Style(quote_prefix=True)
            elif kind in ("money", "date", "datetime") and not base.num_format:
                fmt = {"money": MONEY_FORMAT, "date": self.book.date_format, "datetime": DATETIME_FORMAT}
                base = base | Style(num_format=fmt[kind])
            index = self.book.styles.index(base)
            found = self._xf[key] = f' s="{index}"' if index else ""
        return found

    def _cell(self, ref: str, value: Any, style: Style | None) -> str:
        if isinstance(value, Cell):
            style = value.style if style is None else style | value.style
            value = value.value
        if value is None:
            return f'<c r="{ref}"{self._s(style, "n")}/>' if style else ""
        kind = type(value)
        if kind is str or isinstance(value, str | Promise):
            return self._text(ref, force_str(value), self._text_styles(style))
        if kind is bool:
            return f'<c r="{ref}" t="b"{self._s(style, "n")}><v>{int(value)}</v></c>'
        if kind is int:
            return f'<c r="{ref}"{self._s(style, "n")}><v>{value}</v></c>'
        if kind is float:
            if value != value or value in (float("inf"), float("-inf")):
                return ""
            return f'<c r="{ref}"{self._s(style, "n")}><v>{value!r}</v></c>'
        if kind is Decimal:
            if not value.is_finite():
                return ""
            return f'<c r="{ref}"{self._s(style, "money")}><v>{value:f}</v></c>'
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                value = timezone.localtime(value).replace(tzinfo=None)
            if value.date() < _FIRST_DAY:
                return self._text(ref, value.isoformat(sep=" "), self._text_styles(style))
            serial = (value - _EPOCH) / dt.timedelta(days=1)
            return f'<c r="{ref}"{self._s(style, "datetime")}><v>{serial!r}</v></c>'
        if isinstance(value, dt.date):
            if value < _FIRST_DAY:
                return self._text(ref, value.isoformat(), self._text_styles(style))
            serial = (value - _FIRST_DAY).days + 61
            return f'<c r="{ref}"{self._s(style, "date")}><v>{serial}</v></c>'
        if isinstance(value, int | float):  # subclasses (IntEnum and the like)
            return self._cell(ref, int(value) if isinstance(value, int) else float(value), style)
        return self._text(ref, str(value), self._text_styles(style))

    def _text_styles(self, style: Style | None) -> tuple[str, str]:
        """The style attributes of a plain and of a formula-like text cell under this style."""
        found = self._text_xf.get(style)
        if found is None:
            found = self._text_xf[style] = (self._s(style, "text"), self._s(style, "quoted"))
        return found

    def _text(self, ref: str, text: str, styles: tuple[str, str]) -> str:
        # The rule of cells.py (clean_text, formula_like), inlined: this runs for every text cell.
        if CONTROL_CHARS.search(text):
            text = CONTROL_CHARS.sub("", text)
        if len(text) > MAX_CELL_CHARS:
            text = text[:MAX_CELL_CHARS]
        if self.book.mask_ids:
            text = mask_id_numbers(text)
        s = styles[1] if text.startswith(FORMULA_PREFIXES) else styles[0]
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        return f'<c r="{ref}" t="inlineStr"{s}><is><t{space}>{text.translate(_ESCAPES)}</t></is></c>'

    def _write(self, values: Iterable[Any], style: Style | None, *, empty_styled: bool = False) -> int:
        self.last_row += 1
        number = self.last_row
        refs = self._refs
        keep_empty = empty_styled or (style is not None and (style.border or style.fill))
        plain_number = self._s(style, "n")
        text_styles = self._text_styles(style)
        text = self._text
        parts = [f'<row r="{number}">']
        for i, value in enumerate(values):
            if i >= len(refs):
                refs.append(column_letter(i + 1))
            kind = type(value)
            if kind is str:
                parts.append(text(f"{refs[i]}{number}", value, text_styles))
            elif kind is int:
                parts.append(f'<c r="{refs[i]}{number}"{plain_number}><v>{value}</v></c>')
            elif value is not None or keep_empty:
                parts.append(self._cell(f"{refs[i]}{number}", value, style))
        parts.append("</row>")
        self._buffer.append("".join(parts))
        if len(self._buffer) >= 1000:
            self._flush()
        return number

    def _flush(self) -> None:
        if self._buffer:
            self._file.write("".join(self._buffer).encode())
            self._buffer.clear()

    # --- the sheet's XML -------------------------------------------------------------------------

    def _head(self, selected: bool) -> str:
        out = [XML_DECLARATION, f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">']
        if self.page and self.page["fit"]:
            out.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
        view = '<sheetView workbookViewId="0"' + (' tabSelected="1"' if selected else "")
        if self.freeze and self.freeze != "A1":
            col = self.freeze.rstrip("0123456789")
            row = int(self.freeze[len(col) :]) - 1
            col_n = sum((ord(c) - 64) * 26**i for i, c in enumerate(reversed(col.upper()))) - 1
            split = (f' xSplit="{col_n}"' if col_n else "") + (f' ySplit="{row}"' if row else "")
            pane = "bottomRight" if row and col_n else ("bottomLeft" if row else "topRight")
            view += (
                f'><pane{split} topLeftCell="{self.freeze}" activePane="{pane}" state="frozen"/>'
                f'<selection pane="{pane}" activeCell="{self.freeze}" sqref="{self.freeze}"/></sheetView>'
            )
        else:
            view += "/>"
        out.append(f"<sheetViews>{view}</sheetViews>")
        out.append('<sheetFormatPr defaultRowHeight="15"/>')
        if self.widths or self.column_formats:
            cols = []
            for i in sorted({*self.widths, *self.column_formats}):
                width = self.widths.get(i)
                attrs = f' width="{width}" customWidth="1"' if width else ""
                if i in self.column_formats:
                    attrs += f' style="{self.book.styles.index(self.column_formats[i])}"'
                cols.append(f'<col min="{i}" max="{i}"{attrs}/>')
            out.append(f"<cols>{''.join(cols)}</cols>")
        out.append("<sheetData>")
        return "".join(out)

    def _tail(self) -> str:
        out = ["</sheetData>"]
        if self.merges:
            refs = "".join(f'<mergeCell ref="{m}"/>' for m in self.merges)
            out.append(f'<mergeCells count="{len(self.merges)}">{refs}</mergeCells>')
        if self.validations:
            items = "".join(
                f'<dataValidation type="list" allowBlank="1" showErrorMessage="1" sqref="{cells}">'
                f"<formula1>{escape(source)}</formula1></dataValidation>"
                for cells, source in self.validations
            )
            out.append(f'<dataValidations count="{len(self.validations)}">{items}</dataValidations>')
        if self.page:
            p = self.page
            if p["center"]:
                out.append('<printOptions horizontalCentered="1"/>')
            m = p["margin"]
            out.append(
                f'<pageMargins left="{m}" right="{m}" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            )
            orientation = "landscape" if p["landscape"] else "portrait"
            fit = ' fitToWidth="1" fitToHeight="0"' if p["fit"] else ""
            out.append(f'<pageSetup paperSize="9" orientation="{orientation}"{fit}/>')
            if p["footer"]:
                out.append(
                    f"<headerFooter><oddFooter>{escape('&C' + p['footer'])}</oddFooter></headerFooter>"
                )
        out.append("</worksheet>")
        return "".join(out)
