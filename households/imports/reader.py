"""The uploaded workbook's data rows, streamed by the core reader; the header row names the columns
(found near the top of whichever sheet holds it: core.xlsx.find_table)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from core import xlsx
from core.exceptions import DomainError
from core.xlsx import Uncomputed
from households import imports as package  # its tunables, read at call time (tests lower them there)

from .columns import _header_map, _text, example_marks, label_of, retired_header_map
from .rows import Row

REQUIRED = ("file_number", "village", "name", "id_number")
# How many rows with content above the header a sheet may have (a merged title, the unit and date).
HEADER_WITHIN = 10


class RowReader:
    """The data rows (of a workbook or a CSV file in UTF-8 or GBK) under the header row, streamed; the header is looked for in the first rows of
    each sheet (title rows above it are skipped, and an error report is read from its sheet of rows
    to correct). `where` says which sheet and row the header was read from. Unknown columns (such as
    the error column of a report) are ignored."""

    def __init__(self, data: bytes):
        mapping = _header_map()

        def is_header(raw: list) -> bool:
            keys = {mapping.get(_text(h).lower()) for h in raw}
            return all(k in keys for k in REQUIRED)

        workbook = data[:4] == b"PK\x03\x04"  # else a CSV file (the upload check allowed only these)
        try:
            if workbook:
                table = xlsx.find_table(data, is_header, within=HEADER_WITHIN)
            else:
                table = xlsx.find_csv_table(data, is_header, within=HEADER_WITHIN)
            first = None
            if table is None:  # name what the first row lacks, as the template's header would
                sheet = xlsx.read_sheet(data) if workbook else xlsx.read_csv(data)
                first = next(((n, raw) for n, raw in sheet if any(v not in (None, "") for v in raw)), None)
        except xlsx.UnreadableWorkbook as exc:
            raise DomainError(_("The file is not a readable .xlsx workbook."), field="file") from exc
        if table is None and first is None:
            raise DomainError(_("The sheet is empty."), field="file")
        header = table.header if table is not None else first[1]
        retired = retired_header_map()
        ticked = [retired[t] for t in (_text(h).lower() for h in header) if t in retired]
        if ticked:
            raise DomainError(
                _(
                    "The columns %(cols)s are no longer imported: “two no-worries, three guarantees” rest on "
                    "dated facts (the food and clothing statement, medical insurance, the housing appraisal) "
                    "recorded on each household's page. Remove these columns and import again."
                )
                % {"cols": "、".join(dict.fromkeys(ticked))},
                field="file",
            )
        self.keys = [mapping.get(_text(h).lower()) for h in header]
        if table is None:
            missing = [label_of(k) for k in REQUIRED if k not in self.keys]
            raise DomainError(
                _("The header row lacks these columns: %(cols)s. Start from the template.")
                % {"cols": "、".join(missing)},
                field="file",
            )
        self.header = header
        self.sheet_name, self.header_row = table.sheet_name, table.header_row
        self.where = table.where
        self._sheet = table.rows
        self.count = 0
        self.examples: list[int] = []  # rows of the template's example household, skipped

    def where_note(self) -> str:
        """A sentence for the job's message when the header was not the first sheet's first row."""
        if self.where == (0, 1):
            return ""
        if not self.sheet_name:  # a CSV file
            return _("The header was read from row %(row)d.") % {"row": self.header_row}
        return _("The header was read from row %(row)d of the sheet “%(sheet)s”.") % {
            "row": self.header_row,
            "sheet": self.sheet_name,
        }

    def example_note(self) -> str:
        """A sentence for the job's message when the template's example household was skipped."""
        if not self.examples:
            return ""
        return _("Rows %(rows)s hold the template's example household and were not imported.") % {
            "rows": "、".join(map(str, self.examples))
        }

    def _refuse_uncomputed(self, row: Row) -> None:
        """A formula saved without its result (core.xlsx.Uncomputed): its value is unknown, so the
        row is refused naming the cell; the cell is then read as empty (no second error for it)."""
        for i, key in enumerate(self.keys):
            if key and i < len(row.raw) and type(row.raw[i]) is Uncomputed:
                row.error(key, xlsx.uncomputed_message(row.number, self.header[i]))
                row.values[key] = None

    def __iter__(self) -> Iterator[Row]:
        keys = list(enumerate(self.keys))
        file_column = self.keys.index("file_number") if "file_number" in self.keys else None
        marks = example_marks()
        try:
            for number, raw in self._sheet:
                if all(v in (None, "") for v in raw):
                    continue
                if (
                    file_column is not None
                    and file_column < len(raw)
                    and _text(raw[file_column]).lower() in marks
                ):
                    self.examples.append(number)  # the template's example household: not imported
                    continue
                self.count += 1
                if self.count > package.MAX_ROWS:
                    raise DomainError(
                        _("A file holds at most %(n)d rows.") % {"n": package.MAX_ROWS}, field="file"
                    )
                values = {k: raw[i] for i, k in keys if k and i < len(raw)}
                row = Row(number=number, values=values, raw=raw)
                if Uncomputed in map(type, raw):
                    self._refuse_uncomputed(row)
                yield row
        except xlsx.UnreadableWorkbook as exc:
            raise DomainError(_("The file is not a readable .xlsx workbook."), field="file") from exc
