"""一月一暗访: the city supervision group (市委督导组) files at least one covert visit each month.

The daily job flags every ended month in which an active supervision group filed no covert visit
by the month's last day (Asia/Shanghai), and tells the group. A flag is a row with a unique key
(group, month), so a second run — or two at once — writes nothing more.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import GroupKind, InspectionGroup, MissedVisitMonth, NotificationKind, PlanStatus, VisitPlan
from .notify import notify

logger = logging.getLogger(__name__)

# How far back the job looks: a group created long ago is not flagged for every month since.
LOOKBACK_MONTHS = 12


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    """The first day of the month `n` months after `month` (n may be negative)."""
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)


def ended_months(*, since: dt.date, today: dt.date) -> list[dt.date]:
    """First days of the months from `since`'s month that ended before `today`, oldest first."""
    first = max(month_start(since), add_months(month_start(today), -LOOKBACK_MONTHS))
    out, month = [], first
    while month < month_start(today):
        out.append(month)
        month = add_months(month, 1)
    return out


def months_visited(group: InspectionGroup, months: list[dt.date]) -> set[dt.date]:
    """The months among `months` in which `group` filed a covert visit by the month's last day."""
    if not months:
        return set()
    filed = VisitPlan.objects.filter(group=group, status=PlanStatus.FILED, month__in=months).values_list(
        "month", "filed_at"
    )
    return {
        month
        for month, filed_at in filed
        if filed_at is not None and timezone.localdate(filed_at) <= month_end(month)
    }


def supervision_flag_missed_months(*, today: dt.date | None = None) -> list[int]:
    """Flag each ended month without a filed visit of each active supervision group; returns the
    new flags' ids. Idempotent (unique group + month; the notification is deduplicated too)."""
    today = today or timezone.localdate()
    created: list[int] = []
    for group in InspectionGroup.objects.filter(kind=GroupKind.SUPERVISION, is_active=True).select_related(
        "unit"
    ):
        # The cadence runs from the group's start: its creation, or its first plan if that is earlier
        # (a group recorded after it began its visits).
        first_plan = group.plans.order_by("month").values_list("month", flat=True).first()
        since = min(filter(None, [timezone.localdate(group.created_at), first_plan]))
        months = ended_months(since=since, today=today)
        missed = [m for m in months if m not in months_visited(group, months)]
        if not missed:
            continue
        for month in missed:
            with transaction.atomic():
                row, was_created = MissedVisitMonth.objects.get_or_create(
                    group=group, month=month, defaults={"flagged_on": today}
                )
            if not was_created:
                continue
            created.append(row.pk)
            notify(
                unit=group.unit, kind=NotificationKind.VISIT_MISSED, dedupe_key=f"missed-visit:{group.pk}:{month:%Y-%m}",
                message=_("No covert visit of %(group)s was filed in %(month)s (one covert visit a month).")
                % {"group": group.name, "month": f"{month:%Y-%m}"},
                url=reverse("inspections:plan_list") + f"?group={group.pk}",
            )  # fmt: skip
    logger.info("supervision_flag_missed_months: %s month(s) flagged on %s", len(created), today)
    return created
