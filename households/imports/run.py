"""An import job from start to finish: check the file in batches, then save in one transaction with
the job's completion.
"""

from __future__ import annotations

import logging
import time

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import uploads, xlsx
from core.exceptions import DomainError
from households import imports as package  # its tunables, read at call time (tests lower them there)

from ..duplicate_finder import duplicates_scan
from ..models import (
    HouseholdImport,
    ImportKind,
    ImportMode,
    ImportStatus,
)
from .checks import Validator
from .files import import_folder
from .reader import RowReader
from .report import ErrorReport
from .rows import Row, Spool
from .save import _save

logger = logging.getLogger(__name__)


def run(job: HouseholdImport) -> HouseholdImport:
    """Process a claimed import job (status RUNNING). Called by the Celery task.

    1. Check: the rows are streamed from the file and checked CHECK_ROWS at a time (one query for
       their file numbers, one for their ID numbers), progress written after each batch; checked
       rows go to a temporary file, so memory stays flat whatever the file's size.
    2. Save, in one transaction with the job's completion (a worker killed mid-save leaves
       nothing; the re-run starts clean): the valid households CHUNK at a time, each chunk a
       savepoint and four COPYs. All-or-nothing saves nothing if any row is wrong.
    """
    actor = job.created_by
    if job.kind == ImportKind.MIGRATION:
        # The migration of an existing register is a logged mode: who loaded which file, where.
        logger.warning(
            "import %s: MIGRATION of an existing register by user %s (%s) into region %s, file %r",
            job.pk, actor.pk, actor.get_username(), job.region_id, job.file_name,
        )  # fmt: skip
    with translation.override(translation.get_language() or "zh-hans"):
        try:
            data = uploads.read_stored(job.file.name)  # decrypted
        except FileNotFoundError:
            raise DomainError(
                _("The uploaded file was deleted after its retention period."), field="file"
            ) from None
        clock = time.monotonic()
        seconds = {}
        reader = RowReader(data)
        estimate = xlsx.count_rows(data)
        HouseholdImport.objects.filter(pk=job.pk).update(total_rows=estimate, message=_("Checking rows…"))
        validator = Validator(actor=actor, region_code=job.region_id)
        spool = Spool()
        try:
            batch: list[Row] = []
            for row in reader:
                batch.append(row)
                if len(batch) == package.CHECK_ROWS:
                    validator.check(batch)
                    spool.write(batch)
                    batch = []
                    HouseholdImport.objects.filter(pk=job.pk).update(
                        processed_rows=reader.count, total_rows=max(estimate, reader.count)
                    )
            if batch:
                validator.check(batch)
                spool.write(batch)
            del data, batch
            bad_rows = validator.finish()
            seconds["check"], clock = time.monotonic() - clock, time.monotonic()
            total = reader.count
            job.total_rows = job.processed_rows = total
            HouseholdImport.objects.filter(pk=job.pk).update(
                total_rows=total, processed_rows=total, error_rows=bad_rows, message=_("Saving households…")
            )
            report = ErrorReport(reader.header)
            all_or_nothing = job.mode == ImportMode.ALL_OR_NOTHING
            with transaction.atomic():
                if all_or_nothing and bad_rows:
                    _save(spool, validator, job=job, actor=actor, report=report, save=False)
                    created_ids, created_m = [], 0
                    message = _(
                        "Nothing was imported: %(n)d rows have errors. Correct them and upload the file again."
                    ) % {"n": bad_rows}
                else:
                    with transaction.atomic():  # all-or-nothing: undone whole if a chunk conflicts
                        created_ids, created_m = _save(
                            spool, validator, job=job, actor=actor, report=report, save=True
                        )
                    bad_rows = report.rows
                    message = _("%(h)d households with %(m)d members imported; %(bad)d rows have errors.") % {
                        "h": len(created_ids),
                        "m": created_m,
                        "bad": bad_rows,
                    }
                seconds["save"], clock = time.monotonic() - clock, time.monotonic()
                if report.rows:
                    # Encrypted like the upload (it repeats the rows, ID numbers included).
                    job.error_report = uploads.store_bytes(
                        report.content(), kind="xlsx", folder=import_folder()
                    )
                job.households_created = len(created_ids)
                job.members_created = created_m
                job.error_rows = bad_rows
                job.message = " ".join(filter(None, [message, reader.where_note(), reader.example_note()]))
                job.status = ImportStatus.DONE
                job.finished_at = timezone.now()
                job.save()
                if created_ids:
                    duplicates_scan(household_ids=created_ids)
                seconds["report and duplicate scan"] = time.monotonic() - clock
        finally:
            spool.close()
    logger.info(
        "import %s (%s): %s households, %s members, %s bad rows (seconds: %s)",
        job.pk,
        job.kind,
        len(created_ids),
        created_m,
        bad_rows,
        ", ".join(f"{k} {v:.1f}" for k, v in seconds.items()),
    )
    return job
