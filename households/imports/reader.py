"""The uploaded workbook's data rows, streamed by the core reader; the header row names the columns."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from core import xlsx
from core.exceptions import DomainError
from households import imports as package  # its tunables, read at call time (tests lower them there)

from .columns import _header_map, _text, label_of, retired_header_map
from .rows import Row


class RowReader:
    """The data rows of the first sheet, streamed; the header row is read on creation.
    Unknown columns (such as the error column of a report) are ignored."""

    def __init__(self, data: bytes):
        try:
            self._sheet = xlsx.read_sheet(data)
            first = next(((n, raw) for n, raw in self._sheet if any(v not in (None, "") for v in raw)), None)
        except xlsx.UnreadableWorkbook as exc:
            raise DomainError(_("The file is not a readable .xlsx workbook."), field="file") from exc
        if first is None:
            raise DomainError(_("The sheet is empty."), field="file")
        retired = retired_header_map()
        ticked = [retired[t] for t in (_text(h).lower() for h in first[1]) if t in retired]
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
        mapping = _header_map()
        self.keys = [mapping.get(_text(h).lower()) for h in first[1]]
        missing = [label_of(k) for k in ("file_number", "village", "name", "id_number") if k not in self.keys]
        if missing:
            raise DomainError(
                _("The header row lacks these columns: %(cols)s. Start from the template.")
                % {"cols": "、".join(missing)},
                field="file",
            )
        self.count = 0

    def __iter__(self) -> Iterator[Row]:
        keys = list(enumerate(self.keys))
        try:
            for number, raw in self._sheet:
                if all(v in (None, "") for v in raw):
                    continue
                self.count += 1
                if self.count > package.MAX_ROWS:
                    raise DomainError(
                        _("A file holds at most %(n)d rows.") % {"n": package.MAX_ROWS}, field="file"
                    )
                values = {k: raw[i] for i, k in keys if k and i < len(raw)}
                yield Row(number=number, values=values, raw=raw)
        except xlsx.UnreadableWorkbook as exc:
            raise DomainError(_("The file is not a readable .xlsx workbook."), field="file") from exc
