"""Excel import of households with members (one row per member, grouped by file number) and export.

The import checks the whole file first, streamed in batches (a few bulk queries per batch, no
query per row, memory flat), then commits: in valid-rows mode every household whose rows are all
valid, chunk by chunk (savepoints of one transaction that also completes the job), with a per-row
error report; in all-or-nothing mode nothing at all if any row is wrong. Writes are COPYs, under
the uploader's history context, with the same rules as the register service
(households/validation.py). See run.run() for the steps.

    columns.py    the column spec (keys, labels, allowed values)
    reader.py     the uploaded workbook's rows (core.xlsx reader)      rows.py    a row; the spool
    checks.py     the rules, per row, per batch, per household          report.py  the error report
    save.py       the COPY writer, chunk by chunk                       run.py     a job, start to end
    files.py      where uploads are kept and when they go               workbooks.py  template, export

The tunables below are read from this package at call time (tests and the fault worker lower
them here), and so is `_commit` (the fault worker pauses inside it).
"""

from __future__ import annotations

MAX_ROWS = 200_000
CHECK_ROWS = 5000  # rows checked together: one query for their file numbers, one for their ID numbers
CHUNK = 2000  # households saved together (a savepoint, four COPYs)

from .checks import Seen, Validator  # noqa: E402 - after the tunables the modules read
from .columns import COLUMNS, FALSE, HOUSEHOLD_KEYS, MEMBER_KEYS, TRUE, label_of  # noqa: E402
from .files import import_files_expire_at, import_files_expired, import_files_purge, import_folder  # noqa: E402
from .reader import RowReader  # noqa: E402
from .report import ErrorReport  # noqa: E402
from .rows import Row, Spool  # noqa: E402
from .run import run  # noqa: E402
from .save import Group, _commit, _copy, _history, _save  # noqa: E402
from .workbooks import export_workbook, template_workbook  # noqa: E402

__all__ = [
    "CHECK_ROWS",
    "CHUNK",
    "COLUMNS",
    "FALSE",
    "HOUSEHOLD_KEYS",
    "MAX_ROWS",
    "MEMBER_KEYS",
    "TRUE",
    "ErrorReport",
    "Group",
    "Row",
    "RowReader",
    "Seen",
    "Spool",
    "Validator",
    "_commit",
    "_copy",
    "_history",
    "_save",
    "export_workbook",
    "import_files_expire_at",
    "import_files_expired",
    "import_files_purge",
    "import_folder",
    "label_of",
    "run",
    "template_workbook",
]
