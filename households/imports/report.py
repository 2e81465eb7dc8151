"""The error report of an import: every error, and the failed rows ready to correct and upload again."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core import xlsx

from .columns import COLUMNS, label_of
from .rows import Row


class ErrorReport:
    """Sheet 1: one line per error (row, field, rule). Sheet 2: the failed rows with an error column,
    ready to correct and upload again. Written as rows fail, in file order."""

    def __init__(self):
        self.book = None
        self.rows = 0

    def add(self, row: Row) -> None:
        if self.book is None:
            self.book = xlsx.Workbook()
            self.errors = self.book.sheet(_("Errors"), headers=[_("Row"), _("Field"), _("Error")])
            self.data = self.book.sheet(
                _("Rows to correct"),
                headers=[_("Row"), *[str(label) for _k, label, _kind in COLUMNS], _("Error")],
            )
        self.rows += 1
        for key, message in row.errors:
            self.errors.append([row.number, label_of(key), message])
        message = "；".join(f"{label_of(k)}：{m}" for k, m in row.errors)
        self.data.append([row.number, *row.raw, message])

    def content(self) -> bytes:
        return self.book.content()
