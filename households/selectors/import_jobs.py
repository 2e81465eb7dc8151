"""Excel import jobs of the reader's region."""

from __future__ import annotations

import itertools

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from core.scoping import scope

from ..models import HouseholdImport


def import_list(*, actor) -> QuerySet[HouseholdImport]:
    return scope(HouseholdImport.objects.all(), actor=actor, field="region_id")


def import_get(*, actor, pk: int) -> HouseholdImport:
    return get_object_or_404(import_list(actor=actor), pk=pk)


# The status shows this many of a job's errors; all of them are in the error report.
IMPORT_ERRORS_SHOWN = 100


def import_errors(job: HouseholdImport, *, limit: int | None = None) -> tuple[list[dict], bool]:
    """The job's per-row errors as stored in its error report (its first sheet: row, column, reason),
    in file order: the first `limit`, and whether there are more. Empty once the report is gone (past
    the retention period) or when no row failed. `limit`: IMPORT_ERRORS_SHOWN unless given."""
    from core import xlsx
    from core.uploads import read_stored
    from households.imports import import_files_expired

    limit = IMPORT_ERRORS_SHOWN if limit is None else limit
    if not job.error_report or import_files_expired(job):
        return [], False
    try:
        data = read_stored(job.error_report.name)
    except FileNotFoundError:
        return [], False
    errors: list[dict] = []
    try:
        rows = list(itertools.islice(xlsx.read_sheet(data), limit + 2))  # the header, and one more
    except xlsx.UnreadableWorkbook:
        return [], False
    for number, values in rows:
        if number == 1:  # the header: 行号, 字段, 错误
            continue
        row, column, reason = [*values, None, None, None][:3]
        if len(errors) == limit:
            return errors, True
        errors.append(
            {
                "row": int(row) if isinstance(row, int | float) else None,
                "column": "" if column is None else str(column),
                "reason": "" if reason is None else str(reason),
            }
        )
    return errors, False
