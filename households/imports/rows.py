"""A row of the uploaded file as the import carries it, and the checked rows spooled to disk between
the check and the save (memory stays flat whatever the file's size).
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(slots=True)
class Row:
    number: int  # the spreadsheet row number
    values: dict | None  # column key → cell value (dropped once the row is checked)
    raw: list  # the cells as read, for the error report
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field key, message)
    file_number: str = ""
    household: tuple | None = None  # (cleaned fields, village, income) on a household's first row
    member: dict | None = None  # the cleaned member
    done: bool = False  # saved, refused, or (all-or-nothing with errors) left out

    def error(self, key: str, message: str) -> None:
        self.errors.append((key, str(message)))


class Spool:
    """Checked rows on disk between the check and the save, so memory does not grow with the file."""

    def __init__(self):
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()

    def write(self, rows: list[Row]) -> None:
        # Plain tuples: unpickling them is several times faster than unpickling the objects.
        records = [(r.number, r.raw, r.errors, r.file_number, r.household, r.member) for r in rows]
        pickle.dump(records, self.file, protocol=pickle.HIGHEST_PROTOCOL)

    def __iter__(self) -> Iterator[Row]:
        self.file.seek(0)
        while True:
            try:
                records = pickle.load(self.file)  # noqa: S301 - our own temporary file
            except EOFError:
                return
            for number, raw, errors, file_number, household, member in records:
                yield Row(number, None, raw, errors, file_number, household, member)

    def close(self) -> None:
        self.file.close()
