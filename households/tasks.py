import logging

from celery import shared_task
from django.utils import timezone

from .models import HouseholdImport, ImportStatus

logger = logging.getLogger(__name__)


@shared_task(name="households.tasks.run_import")
def run_import(import_id: int) -> dict:
    """Run one Excel import. Claimed with a conditional update, so a second delivery does nothing."""
    claimed = HouseholdImport.objects.filter(pk=import_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        logger.info("import %s: already claimed, nothing to do", import_id)
        return {"import": import_id, "claimed": False}
    job = HouseholdImport.objects.select_related("created_by").get(pk=import_id)
    from core.exceptions import DomainError

    from . import imports

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
