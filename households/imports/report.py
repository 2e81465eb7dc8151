"""The error report of an import: every error, and the failed rows ready to correct and upload again."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core import xlsx

from .columns import COLUMNS, label_of
from .rows import Row


class ErrorReport:
    """Sheet 1: one line per error (row, field, rule). Sheet 2: the failed rows with an error column,
    ready to correct and upload again — under the uploaded file's own header, cell for cell (a row
    whose last cells are empty keeps its error in the error column), so the corrected report imports
    as it is (the import finds its header on sheet 2). Written as rows fail, in file order."""

    def __init__(self, header: list | None = None):
        # The file's columns, less a report's own row and error columns (a corrected report
        # uploaded again): kept by position in the row as read.
        if header is None:
            header = [str(label) for _k, label, _kind in COLUMNS]
        own = {str(_("Row")), str(_("Error"))}
        self.columns = [(i, "" if h is None else str(h)) for i, h in enumerate(header)]
        self.columns = [(i, h) for i, h in self.columns if h.strip() not in own]
        self.book = None
        self.rows = 0

    def add(self, row: Row) -> None:
        if self.book is None:
            self.book = xlsx.Workbook()
            self.errors = self.book.sheet(_("Errors"), headers=[_("Row"), _("Field"), _("Error")])
            self.data = self.book.sheet(
                _("Rows to correct"), headers=[_("Row"), *[h for _i, h in self.columns], _("Error")]
            )
        self.rows += 1
        for key, message in row.errors:
            self.errors.append([row.number, label_of(key), message])
        message = "；".join(f"{label_of(k)}：{m}" for k, m in row.errors)
        raw = row.raw
        self.data.append([row.number, *[raw[i] if i < len(raw) else None for i, _h in self.columns], message])

    def content(self) -> bytes:
        return self.book.content()
