"""The fast .xlsx reader for uploaded workbooks (the household import, the province problem lists).

openpyxl builds an object per cell: its read-only mode takes ~40 s of CPU for 100,000 rows of 25
columns (lxml installed does not change that). `read_sheet(data)` yields the first worksheet's
rows, `(row number, [values])`, as they are decompressed and parsed (expat, a C parser, with
DOCTYPEs refused), values converted exactly as openpyxl's `load_workbook(read_only=True,
data_only=True)` converts them: shared and inline strings (phonetic runs left out), numbers as int
or float, dates by the cell's number format, booleans, error codes, the cached result of formulas.

A formula without a cached result is read as `Uncomputed`, never as empty or 0: openpyxl writes
formulas with no value, xlsxwriter with a placeholder 0, and both ask the spreadsheet program to
compute everything on opening (`<calcPr fullCalcOnLoad="1">`); Excel, WPS and LibreOffice store the
result they computed. So a formula cell is `Uncomputed` when it has no value, or — in a workbook asking
for that recalculation, whose values are placeholders — when its value is a bare 0 or empty. Every
importer refuses such a cell naming it (`uncomputed_message`): the value it holds is unknown.

Workbook structure (workbook.xml, relationships, styles) is small and parsed with openpyxl's
(defused) XML functions; only the sheet data and the shared strings go through expat.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.parsers import expat

from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601
from openpyxl.xml.functions import fromstring

from .cells import MAX_CELL_CHARS

MAIN_NS = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # ISO 29500 strict
)
DOC_REL_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
MAX_COLUMNS = 256  # cells further right are ignored (the template has 25 columns)
FEED_BYTES = 1 << 16


class UnreadableWorkbook(ValueError):
    """Not a workbook this reader understands (not a zip, no worksheet, malformed XML)."""


class Uncomputed:
    """The value of a formula cell saved without a computed result (see the module's docstring).
    Shown as its formula ("=A2&B2"; "" for a shared formula's copies), e.g. in an error report."""

    __slots__ = ("formula",)

    def __init__(self, formula: str = ""):
        self.formula = formula

    def __str__(self) -> str:
        return "=" + self.formula if self.formula else ""

    def __repr__(self) -> str:
        return f"Uncomputed({self.formula!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Uncomputed) and other.formula == self.formula

    def __hash__(self) -> int:
        return hash((Uncomputed, self.formula))


def uncomputed_reason() -> str:
    """What is wrong with an `Uncomputed` cell, after the cell's name ("序号" …)."""
    return _(
        "is a formula without a computed result: recalculate and save it in the spreadsheet program, "
        "or paste it as values"
    )


def uncomputed_message(row: int, column) -> str:
    """The refusal of an `Uncomputed` cell, naming it by row number and column header."""
    return _(
        "Row %(row)d “%(column)s” is a formula without a computed result: recalculate and save it in the "
        "spreadsheet program, or paste it as values"
    ) % {"row": row, "column": "" if column is None else str(column).strip()}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attr(element, local_name: str) -> str | None:
    for key, value in element.attrib.items():
        if _local(key) == local_name:
            return value
    return None


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, target part path) of a part."""
    folder, name = posixpath.split(part)
    rels_path = posixpath.join(folder, "_rels", name + ".rels")
    try:
        root = fromstring(archive.read(rels_path))
    except KeyError:
        return {}
    out = {}
    for rel in root:
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        path = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        out[rel.get("Id")] = (rel.get("Type", ""), path)
    return out


def _parser(start, end, chars) -> expat.XMLParserType:
    parser = expat.ParserCreate()
    parser.buffer_text = True

    def refuse(*_args):
        raise UnreadableWorkbook("DTDs are not allowed in a workbook")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    return parser


def _main_prefix(attrs: dict) -> str | None:
    """'' or 'x:' as the document writes the spreadsheetml namespace; None if it is not declared."""
    for key, value in attrs.items():
        if value in MAIN_NS and (key == "xmlns" or key.startswith("xmlns:")):
            return "" if key == "xmlns" else key[6:] + ":"
    return None


def _shared_strings(archive: zipfile.ZipFile, path: str | None) -> list[str]:
    if not path:
        return []
    strings: list[str] = []
    tags = {}
    state = {"depth_rph": 0, "capture": False, "parts": [], "size": 0}

    def start(name, attrs):
        if not tags:
            prefix = _main_prefix(attrs) or ""
            tags.update(si=prefix + "si", t=prefix + "t", rPh=prefix + "rPh")
        if name == tags["t"]:
            state["capture"] = not state["depth_rph"]
        elif name == tags["si"]:
            state["parts"] = []
            state["size"] = 0
        elif name == tags["rPh"]:
            state["depth_rph"] += 1

    def end(name):
        if name == tags["t"]:
            state["capture"] = False
        elif name == tags["si"]:
            # openpyxl drops the escape of a literal "_x" the same way.
            strings.append("".join(state["parts"]).replace("x005F_", ""))
        elif name == tags["rPh"]:
            state["depth_rph"] -= 1

    def chars(data):
        if state["capture"] and state["size"] < MAX_CELL_CHARS:
            state["parts"].append(data)
            state["size"] += len(data)

    _drain(_feed(_parser(start, end, chars), archive, path, lambda: None))
    return strings


def _feed(parser, archive: zipfile.ZipFile, path: str, after_each) -> Iterator:
    """Feed the part to the parser in pieces; after each piece, yield from after_each()."""
    try:
        with archive.open(path) as fh:
            while True:
                piece = fh.read(FEED_BYTES)
                parser.Parse(piece, not piece)
                out = after_each()
                if out:
                    yield from out
                if not piece:
                    break
    except expat.ExpatError as exc:
        raise UnreadableWorkbook(f"{path}: {exc}") from exc
    except (zipfile.BadZipFile, KeyError, EOFError, OSError) as exc:
        raise UnreadableWorkbook(f"{path}: {exc}") from exc


def _drain(gen) -> None:
    for _item in gen:
        pass


def _styles(archive: zipfile.ZipFile, path: str | None) -> tuple[set[int], set[int]]:
    """(style indexes formatted as dates, of which those formatted as durations)."""
    dates: set[int] = set()
    durations: set[int] = set()
    if not path:
        return dates, durations
    try:
        root = fromstring(archive.read(path))
    except KeyError:
        return dates, durations
    custom = {}
    xfs = []
    for child in root:
        if _local(child.tag) == "numFmts":
            for fmt in child:
                custom[int(fmt.get("numFmtId", -1))] = fmt.get("formatCode", "")
        elif _local(child.tag) == "cellXfs":
            xfs = [int(xf.get("numFmtId", 0)) for xf in child]
    for index, fmt_id in enumerate(xfs):
        code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id))
        if code and is_date_format(code):
            dates.add(index)
            if is_timedelta_format(code):
                durations.add(index)
    return dates, durations


def _column_index(letters: str, cache: dict) -> int:
    index = cache.get(letters)
    if index is None:
        index = 0
        for ch in letters.upper():
            index = index * 26 + ord(ch) - 64
        cache[letters] = index
    return index


def _cast_number(text: str):
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _open(
    data: bytes,
) -> tuple[zipfile.ZipFile, list[tuple[str, str]], str | None, str | None, dt.datetime, bool]:
    """(archive, [(sheet name, worksheet part)] in the workbook's order, shared strings, styles, date
    epoch, whether its formula values are placeholders to recompute on load) of a workbook."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        package = _rels(archive, "")
        workbook = next((p for t, p in package.values() if t.endswith("/officeDocument")), "xl/workbook.xml")
        root = fromstring(archive.read(workbook))
        rels = _rels(archive, workbook)
    except Exception as exc:  # not a zip, a part missing, malformed or refused (defused) XML
        raise UnreadableWorkbook(str(exc)) from exc
    sheets: list[tuple[str, str]] = []
    epoch = CALENDAR_WINDOWS_1900
    stale = False
    for child in root:
        if _local(child.tag) == "workbookPr" and child.get("date1904") in ("1", "true"):
            epoch = CALENDAR_MAC_1904
        if _local(child.tag) == "calcPr" and child.get("fullCalcOnLoad") in ("1", "true"):
            stale = True  # written by a library that computes nothing (openpyxl, xlsxwriter)
        if _local(child.tag) == "sheets":
            for sheet in child:
                rel = rels.get(_attr(sheet, "id") or "")
                if rel and rel[0].endswith("/worksheet"):  # chart sheets and the like are skipped
                    sheets.append((sheet.get("name", ""), rel[1]))
    if not sheets:
        raise UnreadableWorkbook("the workbook has no worksheet")
    strings_path = next((p for t, p in rels.values() if t.endswith("/sharedStrings")), None)
    styles_path = next((p for t, p in rels.values() if t.endswith("/styles")), None)
    return archive, sheets, strings_path, styles_path, epoch, stale


def _locate(data: bytes) -> tuple[zipfile.ZipFile, str, str | None, str | None, dt.datetime, bool]:
    """(archive, first worksheet, shared strings, styles, date epoch, stale) of a workbook."""
    archive, sheets, strings_path, styles_path, epoch, stale = _open(data)
    return archive, sheets[0][1], strings_path, styles_path, epoch, stale


def _sheet_rows(archive, sheet_path, strings_path, styles_path, epoch, stale) -> Iterator[tuple[int, list]]:
    try:
        strings = _shared_strings(archive, strings_path)
        date_styles, duration_styles = _styles(archive, styles_path)
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # malformed or refused XML in the styles
        raise UnreadableWorkbook(str(exc)) from exc
    yield from _rows(archive, sheet_path, strings, date_styles, duration_styles, epoch, stale)


def read_sheet(data: bytes) -> Iterator[tuple[int, list]]:
    """The first worksheet's rows that have cells, as (row number, values), values indexed by
    column (None where a cell is missing; `Uncomputed` for a formula without a computed result).
    Raises UnreadableWorkbook for what is not a workbook."""
    yield from _sheet_rows(*_locate(data))


@dataclass
class Table:
    """A table found in a workbook by its header row (`find_table`)."""

    sheet: int  # the worksheet's place in the workbook, from 0
    sheet_name: str
    header_row: int  # the header's row number in the spreadsheet, from 1
    header: list
    rows: Iterator[tuple[int, list]]  # the rows under the header, as read_sheet gives them

    @property
    def where(self) -> tuple[int, int]:
        return self.sheet, self.header_row


def find_header(
    rows: Iterator[tuple[int, list]], is_header: Callable[[list], bool], *, within: int = 10
) -> tuple[int, list] | None:
    """(row number, cells) of the first row satisfying `is_header` among the first `within` rows
    with content; `rows` is left just after it. None (and `rows` closed) if there is none."""
    seen = 0
    for number, raw in rows:
        if not any(v not in (None, "") for v in raw):
            continue
        if is_header(raw):
            return number, raw
        seen += 1
        if seen >= within:
            break
    rows.close()
    return None


def find_table(data: bytes, is_header: Callable[[list], bool], *, within: int = 10) -> Table | None:
    """The first table whose header row satisfies `is_header`, looked for among the first `within`
    rows with content of each worksheet in turn — so title rows above the header (a merged 标题 row,
    a unit and date line) are skipped, and an error report whose rows to correct are on its second
    sheet is read from there. None when no sheet has such a row near its top."""
    archive, sheets, strings_path, styles_path, epoch, stale = _open(data)
    for index, (name, path) in enumerate(sheets):
        rows = _sheet_rows(archive, path, strings_path, styles_path, epoch, stale)
        found = find_header(rows, is_header, within=within)
        if found is not None:
            return Table(index, name, found[0], found[1], rows)
    return None


def count_rows(data: bytes) -> int:
    """About how many data rows the first worksheet has (row elements less the header; for a
    progress bar: empty rows are counted too). 0 if the workbook cannot be read."""
    try:
        archive, sheet_path, *_rest = _locate(data)
        count = 0
        with archive.open(sheet_path) as fh:
            while piece := fh.read(1 << 20):
                count += piece.count(b"<row ") + piece.count(b"<row>") + piece.count(b":row ")
        return max(0, count - 1)
    except (UnreadableWorkbook, zipfile.BadZipFile, KeyError, OSError, EOFError):
        return 0


def _rows(archive, path, strings, date_styles, duration_styles, epoch, stale) -> Iterator[tuple[int, list]]:
    done: list[tuple[int, list]] = []
    columns: dict[str, int] = {}
    # The parser's state, in locals of the closures below (the fastest access in CPython).
    row_number = 0
    cells: dict[int, object] = {}
    column = 0
    kind = "n"
    style = 0
    capture = False
    in_inline = False  # inside <is> (an inline string)
    inline = False  # the cell has an inline string
    rph = 0  # inside phonetic runs, whose text is not the cell's
    parts: list[str] = []
    size = 0
    formula: list[str] | None = None  # the cell's formula text, if it has one
    in_formula = False
    C = V = ROW = IS = T = RPH = F = ""

    def start(name, attrs):
        nonlocal row_number, cells, column, kind, style, capture, in_inline, inline, rph, parts, size
        nonlocal formula, in_formula, C, V, ROW, IS, T, RPH, F
        if name == C:
            ref = attrs.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                column = _column_index(letters, columns) if letters else column + 1
            else:
                column += 1
            kind = attrs.get("t", "n")
            s = attrs.get("s")
            style = int(s) if s else 0
            parts = []
            size = 0
            inline = False
            formula = None
        elif name == V:
            capture = True
        elif name == F:
            formula = []
            in_formula = True
        elif name == IS:
            in_inline = inline = True
        elif name == T:
            capture = in_inline and not rph
        elif name == ROW:
            r = attrs.get("r")
            row_number = int(r) if r else row_number + 1
            cells = {}
            column = 0
        elif name == RPH:
            rph += 1
        elif not C:
            prefix = _main_prefix(attrs)
            prefix = "" if prefix is None else prefix
            C, V, ROW, IS, T, RPH, F = (prefix + n for n in ("c", "v", "row", "is", "t", "rPh", "f"))

    def end(name):
        nonlocal capture, in_inline, rph, in_formula
        if name == C:
            capture = False
            if column > MAX_COLUMNS:
                return
            if kind == "inlineStr":
                if inline:
                    cells[column] = "".join(parts)
                return
            text = "".join(parts)
            if formula is not None and (
                # No value; a number's result is never empty (a text result may be: t="str", <v/>).
                (not text and (stale or kind == "n"))
                # The placeholder of a writer that computes nothing.
                or (stale and kind == "n" and text == "0")
            ):
                cells[column] = Uncomputed("".join(formula))
                return
            if not text:
                return
            if kind == "n":
                value = _cast_number(text)
                if style in date_styles:
                    try:
                        value = from_excel(value, epoch, timedelta=style in duration_styles)
                    except (OverflowError, ValueError):
                        value = "#VALUE!"
            elif kind == "s":
                value = strings[int(text)]
            elif kind == "b":
                value = bool(int(text))
            elif kind == "d":
                value = from_ISO8601(text)
            else:  # str (a formula's text result), e (an error code such as #N/A)
                value = text
            cells[column] = value
        elif name in (V, T):
            capture = False
        elif name == F:
            in_formula = False
        elif name == ROW:
            if cells:
                width = max(cells)
                done.append((row_number, [cells.get(i) for i in range(1, width + 1)]))
        elif name == IS:
            in_inline = False
        elif name == RPH:
            rph -= 1

    def chars(data):
        nonlocal parts, size
        if capture and size < MAX_CELL_CHARS:
            parts.append(data)
            size += len(data)
        elif in_formula and len(formula) < 64:
            formula.append(data)

    def flush():
        if done:
            out = done[:]
            done.clear()
            return out
        return None

    try:
        yield from _feed(_parser(start, end, chars), archive, path, flush)
    except (IndexError, ValueError) as exc:  # a shared-string index or a number that is not one
        raise UnreadableWorkbook(f"{path}: {exc}") from exc
