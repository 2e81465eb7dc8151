"""Celery jobs of the accountability app (schedule: CELERY_BEAT_SCHEDULE in config/settings/base.py)."""

from __future__ import annotations

import datetime as dt
import logging
import time

from celery import shared_task

from core.models import Region, RegionLevel
from inspections.models import Finding

from .periods import parse_month, previous_month, today

logger = logging.getLogger(__name__)


@shared_task(name="accountability.tasks.monthly_bulletin")
def monthly_bulletin(month: str | None = None) -> dict:
    """一月一通报, on the 1st (Asia/Shanghai) for the month before: score the month, then publish.

    Idempotent: scores are recomputed in place; a month already published keeps its bulletin
    (the unique `bulletin_one_published` constraint settles two workers racing).
    """
    from .services import bulletin_generate, monthly_scores_compute_all
    from .services.bulletin import SharedFigures

    target = parse_month(month) if month else previous_month(today())
    started = time.monotonic()
    scored = monthly_scores_compute_all(month=target)
    scored_at = time.monotonic()
    result = {"month": target.isoformat(), "scored": scored, "bulletins": []}
    cities = list(Region.objects.filter(level=RegionLevel.CITY).order_by("code"))
    shared = SharedFigures.for_regions(cities, target)  # computed once, on the first new bulletin
    for region in cities:
        bulletin, created = bulletin_generate(region=region, month=target, shared=shared)
        result["bulletins"].append({"id": bulletin.pk, "region": region.code, "created": created})
    result["seconds"] = {
        "scores": round(scored_at - started, 1),
        "bulletins": round(time.monotonic() - scored_at, 1),
    }
    logger.info("monthly_bulletin %s: %s", target, result)
    return result


@shared_task(name="accountability.tasks.daily_accountability")
def daily_accountability(day: str | None = None) -> dict:
    """Daily: close ban cases whose ban has ended; report bans ending within 30 days. Idempotent."""
    from .models import PromotionBan
    from .services import close_ended_ban_cases

    on = dt.date.fromisoformat(day) if day else today()
    closed = close_ended_ban_cases(on=on)
    rechecked = _recheck_recent_findings(on)
    expiring = PromotionBan.objects.filter(
        lifted_on__isnull=True, ends_on__gte=on, ends_on__lt=on + dt.timedelta(days=30)
    ).count()
    logger.info(
        "daily_accountability %s: %s ban cases closed, %s bans end within 30 days", on, closed, expiring
    )
    return {"day": on.isoformat(), "ban_cases_closed": closed, "bans_ending_within_30_days": expiring,
            "findings_rechecked": rechecked}  # fmt: skip


def _recheck_recent_findings(on: dt.date) -> int:
    """Safety net for findings confirmed without a signal (bulk updates): apply the rules again."""
    from .receivers import apply_rules_to_finding

    ids = Finding.objects.filter(
        status="confirmed", confirmed_at__date__gte=on - dt.timedelta(days=7), confirmed_at__date__lte=on
    ).values_list("pk", flat=True)
    for pk in ids:
        apply_rules_to_finding(pk)
    return len(ids)
