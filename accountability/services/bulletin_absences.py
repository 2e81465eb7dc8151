"""The monthly bulletin's section on first secretaries found absent in spot checks (随机抽查、突击检查,
issue 19.4): every check of the month under the region that found the first secretary absent, who
checked (inspectors, or the organisation department), and the finding and rectification item it opened."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch

from core.models import Region
from inspections.models import RectificationItem, TeamCheck

from ..periods import next_month


def absences_section(region: Region, month: dt.date) -> dict:
    checks = (
        TeamCheck.objects.filter(
            village__code__startswith=region.prefix, secretary_present=False,
            checked_on__gte=month, checked_on__lt=next_month(month),
        )
        .select_related("team", "first_secretary", "village__parent__parent", "absence_finding")
        .prefetch_related(Prefetch(
            "absence_finding__rectification_items", queryset=RectificationItem.objects.order_by("id"),
        ))
        .order_by("village_id", "checked_on", "id")
    )  # fmt: skip
    rows = []
    for c in checks[:500]:
        finding = getattr(c, "absence_finding", None)
        item = next(iter(finding.rectification_items.all()), None) if finding is not None else None
        township = c.village.parent
        rows.append({
            "checked_on": c.checked_on.isoformat(), "county": township.parent.name if township else "",
            "village": c.village.name, "team": c.team.name, "secretary": c.first_secretary.name,
            "by_plan": c.plan_id is not None, "finding_id": finding.pk if finding else None,
            "item_id": item.pk if item else None, "item_status": item.get_status_display() if item else "",
            "deadline": item.deadline.isoformat() if item else "",
        })  # fmt: skip
    return {"available": True, "rows": rows, "total": checks.count()}
