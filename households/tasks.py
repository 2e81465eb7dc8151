import logging
import time
from contextlib import contextmanager

from celery import shared_task
from django.db import DatabaseError, connection
from django.utils import timezone

from core.exceptions import DomainError

from . import imports
from .models import HouseholdImport, ImportStatus

logger = logging.getLogger(__name__)


# pg_try_advisory_lock(IMPORT_LOCK, import id): held by the connection of the worker running an import.
IMPORT_LOCK = 0x66706901
LOCK_WAIT_SECONDS = 10.0  # a killed worker's database session may take a moment to end


@contextmanager
def _running_lock(import_id: int):
    """A session advisory lock for the import. PostgreSQL drops it when the holder's connection
    ends, so a worker killed with -9 holds it no longer: its redelivered task can take over."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [IMPORT_LOCK, import_id])
            held = cursor.fetchone()[0]
            if held or time.monotonic() > deadline:
                break
            time.sleep(0.25)
    try:
        yield held
    finally:
        if held:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [IMPORT_LOCK, import_id])
            except DatabaseError:  # a lost connection has released it already
                logger.warning("import %s: could not release its lock", import_id)


@shared_task(bind=True, name="households.tasks.run_import", max_retries=30, default_retry_delay=20)
def run_import(self, import_id: int) -> dict:
    """Run one Excel import. Idempotent: a finished job is left alone; a job running in a live
    worker (its advisory lock is held) is not run twice (this delivery retries later, and then
    finds it finished); a job whose worker died mid-run (status running, lock free) is run again
    from the start — its households are saved in one transaction with the job's completion
    (imports.run), so the dead run left nothing behind."""
    finished = (ImportStatus.DONE, ImportStatus.FAILED)
    with _running_lock(import_id) as held:
        if not held:
            if HouseholdImport.objects.filter(pk=import_id, status__in=finished).exists():
                return {"import": import_id, "claimed": False}
            logger.info("import %s: running in another worker; this delivery tries again later", import_id)
            raise self.retry()
        claimed = HouseholdImport.objects.filter(
            pk=import_id, status__in=(ImportStatus.PENDING, ImportStatus.RUNNING)
        ).update(status=ImportStatus.RUNNING, started_at=timezone.now())
        if not claimed:
            logger.info("import %s: already finished, nothing to do", import_id)
            return {"import": import_id, "claimed": False}
        return _run_claimed(import_id)


def _run_claimed(import_id: int) -> dict:
    job = HouseholdImport.objects.select_related("created_by").get(pk=import_id)
    try:
        imports.run(job)
    except DomainError as exc:
        HouseholdImport.objects.filter(pk=import_id).update(
            status=ImportStatus.FAILED, message=str(exc.message), finished_at=timezone.now()
        )
    except Exception:
        logger.exception("import %s failed", import_id)
        HouseholdImport.objects.filter(pk=import_id).update(
            status=ImportStatus.FAILED, message="internal error", finished_at=timezone.now()
        )
        raise
    job.refresh_from_db()
    return {
        "import": import_id,
        "claimed": True,
        "households": job.households_created,
        "errors": job.error_rows,
    }


@shared_task(name="households.tasks.flag_ended_notices")
def flag_ended_notices() -> dict:
    """Daily: count open procedures whose public notice has ended (ready for the county's decision)."""
    from .services.procedures import notice_ended_cases

    ready = notice_ended_cases().count()
    logger.info("flag_ended_notices: %s procedures wait for the county after their public notice", ready)
    return {"ready_for_county": ready}


@shared_task(name="households.tasks.purge_expired_imports")
def purge_expired_imports() -> dict:
    """Daily: delete import workbooks and error reports past UPLOAD_RETENTION_DAYS (idempotent,
    logs what it deleted; imports.import_files_purge)."""
    return imports.import_files_purge()
