"""Where uploaded workbooks and error reports are stored, and when they are deleted (they hold full ID
numbers).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone

from core import uploads

from ..models import (
    HouseholdImport,
)

logger = logging.getLogger(__name__)


def import_folder() -> str:
    """Where this month's import workbooks and error reports are stored."""
    return f"households/imports/{timezone.now():%Y/%m}"


def import_files_expire_at(job: HouseholdImport) -> dt.datetime:
    """When the uploaded workbook and its error report are deleted (UPLOAD_RETENTION_DAYS)."""
    return job.created_at + dt.timedelta(days=settings.UPLOAD_RETENTION_DAYS)


def import_files_expired(job: HouseholdImport) -> bool:
    """Past the retention period (the daily job may not have deleted the files yet: they are
    refused from this moment all the same), or already deleted."""
    return not job.file or timezone.now() >= import_files_expire_at(job)


def import_files_purge(*, now: dt.datetime | None = None) -> dict:
    """Delete uploaded workbooks and error reports older than UPLOAD_RETENTION_DAYS (they hold
    full ID numbers; the job's row and figures stay). Idempotent: a file already gone is skipped,
    and a job is cleared only after its files are deleted, so a re-run finishes an interrupted one."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.UPLOAD_RETENTION_DAYS)
    expired = HouseholdImport.objects.filter(created_at__lt=cutoff).exclude(file="", error_report="")
    jobs = files = 0
    for pk, upload, report in expired.values_list("pk", "file", "error_report").iterator():
        files += sum(uploads.delete_stored(path) for path in (upload, report) if path)
        jobs += HouseholdImport.objects.filter(pk=pk).update(file="", error_report="")
    logger.info(
        "purge_expired_imports: %s imports older than %s days cleared, %s files deleted",
        jobs,
        settings.UPLOAD_RETENTION_DAYS,
        files,
    )
    return {"imports": jobs, "files_deleted": files}
