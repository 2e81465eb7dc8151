"""Streaming .xlsx reading and writing for the household import and export, at province scale.

openpyxl builds an object per cell: its read-only mode takes ~40 s of CPU for 100,000 rows of 25
columns and its write-only mode ~17 s for 100,000 rows of 16 (lxml installed does not change
that). Here the same cells cost a few seconds:

- `read_sheet(data)` yields the first worksheet's rows, `(row number, [values])`, as they are
  decompressed and parsed (expat, a C parser, with DOCTYPEs refused), values converted exactly
  as openpyxl's `load_workbook(read_only=True, data_only=True)` converts them: shared and inline
  strings (phonetic runs left out), numbers as int or float, dates by the cell's number format,
  booleans, error codes, the cached result of formulas;
- `write_sheet(fp, title, rows)` writes a one-sheet workbook: text always as inline strings
  (never a formula), numbers and booleans typed.

Workbook structure (workbook.xml, relationships, styles) is small and parsed with openpyxl's
(defused) XML functions; only the sheet data and the shared strings go through expat.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601
from openpyxl.xml.functions import fromstring

MAIN_NS = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # ISO 29500 strict
)
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
MAX_CELL_CHARS = 32767  # Excel's limit; longer text is cut
MAX_COLUMNS = 256  # cells further right are ignored (the template has 25 columns)
FEED_BYTES = 1 << 16


class UnreadableWorkbook(ValueError):
    """Not a workbook this reader understands (not a zip, no worksheet, malformed XML)."""


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
    for _ in gen:
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


def _locate(data: bytes) -> tuple[zipfile.ZipFile, str, str | None, str | None, dt.datetime]:
    """(archive, first worksheet, shared strings, styles, date epoch) of a workbook."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        package = _rels(archive, "")
        workbook = next((p for t, p in package.values() if t.endswith("/officeDocument")), "xl/workbook.xml")
        root = fromstring(archive.read(workbook))
        rels = _rels(archive, workbook)
    except Exception as exc:  # not a zip, a part missing, malformed or refused (defused) XML
        raise UnreadableWorkbook(str(exc)) from exc
    sheet_path = None
    epoch = CALENDAR_WINDOWS_1900
    for child in root:
        if _local(child.tag) == "workbookPr" and child.get("date1904") in ("1", "true"):
            epoch = CALENDAR_MAC_1904
        if _local(child.tag) == "sheets":
            for sheet in child:
                rel = rels.get(_attr(sheet, "id") or "")
                if rel and rel[0].endswith("/worksheet"):
                    sheet_path = rel[1]
                    break
    if sheet_path is None:
        raise UnreadableWorkbook("the workbook has no worksheet")
    strings_path = next((p for t, p in rels.values() if t.endswith("/sharedStrings")), None)
    styles_path = next((p for t, p in rels.values() if t.endswith("/styles")), None)
    return archive, sheet_path, strings_path, styles_path, epoch


def read_sheet(data: bytes) -> Iterator[tuple[int, list]]:
    """The first worksheet's rows that have cells, as (row number, values), values indexed by
    column (None where a cell is missing). Raises UnreadableWorkbook for what is not a workbook."""
    archive, sheet_path, strings_path, styles_path, epoch = _locate(data)
    try:
        strings = _shared_strings(archive, strings_path)
        date_styles, duration_styles = _styles(archive, styles_path)
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # malformed or refused XML in the styles
        raise UnreadableWorkbook(str(exc)) from exc
    yield from _rows(archive, sheet_path, strings, date_styles, duration_styles, epoch)


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


def _rows(archive, path, strings, date_styles, duration_styles, epoch) -> Iterator[tuple[int, list]]:
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
    C = V = ROW = IS = T = RPH = ""

    def start(name, attrs):
        nonlocal row_number, cells, column, kind, style, capture, in_inline, inline, rph, parts, size
        nonlocal C, V, ROW, IS, T, RPH
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
        elif name == V:
            capture = True
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
            C, V, ROW, IS, T, RPH = (prefix + n for n in ("c", "v", "row", "is", "t", "rPh"))

    def end(name):
        nonlocal capture, in_inline, rph
        if name == C:
            capture = False
            if column > MAX_COLUMNS:
                return
            if kind == "inlineStr":
                if inline:
                    cells[column] = "".join(parts)
                return
            text = "".join(parts)
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


# --- writing -------------------------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{PKG_REL_NS}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{PKG_REL_NS}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<workbook xmlns="{MAIN_NS[0]}" xmlns:r="{DOC_REL_NS[0]}">'
    '<workbookPr/><bookViews><workbookView activeTab="0"/></bookViews>'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{MAIN_NS[0]}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<worksheet xmlns="{MAIN_NS[0]}"><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15"/><sheetData>'
)
_SHEET_END = "</sheetData></worksheet>"
# XML 1.0 allows tab, newline and carriage return among the control characters, nothing else.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _text_cell(ref: str, text: str) -> str:
    text = _ILLEGAL.sub("", text[:MAX_CELL_CHARS]).translate(_ESCAPES)
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _cell(ref: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _text_cell(ref, value)
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | Decimal):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, dt.date):
        return _text_cell(ref, value.isoformat())
    return _text_cell(ref, str(value))


def sheet_title(title) -> str:
    """At most 31 characters, none of []:*?/\\ (Excel's rules for sheet names)."""
    clean = "".join(ch for ch in str(title) if ch not in "[]:*?/\\")[:31]
    return clean or "Sheet1"


def write_sheet(fp, *, title, rows: Iterable[Iterable]) -> int:
    """Write a one-sheet workbook of `rows` (the first is usually the header) to the binary file
    `fp`. Text is written as text whatever it starts with (escape formula-like text before: see
    imports.safe_cell). Returns the number of rows written."""
    name = sheet_title(title).translate(_ESCAPES).replace('"', "&quot;")
    count = 0
    with zipfile.ZipFile(fp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK.replace("{name}", name))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_START.encode())
            refs: list[str] = []
            buffer: list[str] = []
            for count, values in enumerate(rows, start=1):
                values = list(values)
                while len(refs) < len(values):
                    refs.append(_letters(len(refs) + 1))
                buffer.append(
                    f'<row r="{count}">'
                    + "".join(_cell(f"{refs[i]}{count}", v) for i, v in enumerate(values))
                    + "</row>"
                )
                if len(buffer) >= 1000:
                    sheet.write("".join(buffer).encode())
                    buffer.clear()
            sheet.write(("".join(buffer) + _SHEET_END).encode())
    return count
