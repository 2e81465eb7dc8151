import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="inspections.tasks.flag_overdue_rectifications")
def flag_overdue_rectifications(today: str | None = None) -> dict:
    """Daily: flag open ledger items past their deadline and notify their units. Idempotent."""
    import datetime as dt

    from .services import rectification_flag_overdue

    ids = rectification_flag_overdue(today=dt.date.fromisoformat(today) if today else None)
    return {"flagged": len(ids), "ids": ids}


@shared_task(name="inspections.tasks.flag_missed_supervision_months")
def flag_missed_supervision_months(today: str | None = None) -> dict:
    """Daily: 一月一暗访 — flag each ended month in which a supervision group filed no covert visit.
    Idempotent (one flag per group and month)."""
    import datetime as dt

    from .services import supervision_flag_missed_months

    ids = supervision_flag_missed_months(today=dt.date.fromisoformat(today) if today else None)
    return {"flagged": len(ids), "ids": ids}
