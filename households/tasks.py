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
def _running_lock(import_id: int, kind: int = IMPORT_LOCK):
    """A session advisory lock for the import (or another job of `kind`). PostgreSQL drops it
    when the holder's connection ends, so a worker killed with -9 holds it no longer: its
    redelivered task can take over."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [kind, import_id])
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
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [kind, import_id])
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


# pg_try_advisory_lock(CROSSCHECK_LOCK, run id): held by the connection of the worker running a cross-check.
CROSSCHECK_LOCK = 0x66706902


@shared_task(bind=True, name="households.tasks.run_crosscheck", max_retries=30, default_retry_delay=20)
def run_crosscheck(self, run_id: int) -> dict:
    """Match one department's list against the county's members (数据比对). Idempotent like
    run_import: a finished run is left alone, a run held by a live worker is not run twice, a run
    whose worker died is run again from the start (its flags are saved in one transaction with its
    figures, and a flag is unique per run, member and rule). The list is deleted when the run ends."""
    from .models import CrossCheckRun, CrossCheckRunStatus
    from .services import crosschecks

    finished = (CrossCheckRunStatus.DONE, CrossCheckRunStatus.FAILED)
    with _running_lock(run_id, CROSSCHECK_LOCK) as held:
        if not held:
            if CrossCheckRun.objects.filter(pk=run_id, status__in=finished).exists():
                return {"run": run_id, "claimed": False}
            logger.info("crosscheck %s: running in another worker; this delivery tries again later", run_id)
            raise self.retry()
        claimed = CrossCheckRun.objects.filter(
            pk=run_id, status__in=(CrossCheckRunStatus.PENDING, CrossCheckRunStatus.RUNNING)
        ).update(status=CrossCheckRunStatus.RUNNING, started_at=timezone.now())
        if not claimed:
            logger.info("crosscheck %s: already finished, nothing to do", run_id)
            return {"run": run_id, "claimed": False}
        run = CrossCheckRun.objects.get(pk=run_id)
        try:
            run = crosschecks.crosscheck_run(run)
        except DomainError as exc:
            CrossCheckRun.objects.filter(pk=run_id).update(
                status=CrossCheckRunStatus.FAILED, message=str(exc.message), finished_at=timezone.now()
            )
            crosschecks.crosscheck_discard_file(run_id)
            return {"run": run_id, "claimed": True, "failed": True}
        except Exception:
            logger.exception("crosscheck %s failed", run_id)
            CrossCheckRun.objects.filter(pk=run_id).update(
                status=CrossCheckRunStatus.FAILED, message="internal error", finished_at=timezone.now()
            )
            crosschecks.crosscheck_discard_file(run_id)
            raise
        CrossCheckRun.objects.filter(pk=run_id).update(status=CrossCheckRunStatus.DONE)
        crosschecks.crosscheck_discard_file(run_id)
        return {"run": run_id, "claimed": True, "flags": run.flags_raised}
