"""贫困村退出 in the monthly bulletin (issue 18.4), and the bulletin's word on the townships' sign-offs.

`villages_section`: by county, the poor villages still poor, exited (in all, in the year, in the
month) and with an exit in progress; the villages that exited in the month and those whose public
notice ran at the month's end. `month_published_answer`: households asks (signal
`month_published_asked`) whether a bulletin covering a township's month is published — a township's
sign-off of that month can no longer be withdrawn (issue 18.6).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.db.models.functions import Substr

from core.models import Region, RegionLevel
from households.models import CaseState, PoorVillage, PoorVillageStatusChange, Step, VillageExitCase

from ..models import Bulletin, BulletinStatus
from ..periods import month_end, next_month


def _county_code(code: str) -> str:
    return code[:6].ljust(12, "0")


def villages_section(region: Region, month: dt.date) -> dict:
    counties = list(
        Region.objects.filter(level=RegionLevel.COUNTY, code__startswith=region.prefix).order_by("code")
    )
    start, after = month, next_month(month)
    villages = PoorVillage.objects.filter(village__code__startswith=region.prefix)
    in_progress = VillageExitCase.objects.filter(state=CaseState.OPEN, poor_village__in=villages.values("pk"))
    by_county = {
        row.pop("county").ljust(12, "0"): row
        for row in villages.annotate(county=Substr("village_id", 1, 6)).order_by().values("county").annotate(
            poor=Count("pk", filter=Q(status="poor")), exited=Count("pk", filter=Q(status="exited")),
            exited_year=Count("pk", filter=Q(exit_year=month.year)),
        )
    }  # fmt: skip
    progress: dict[str, int] = defaultdict(int)
    for code in in_progress.values_list("poor_village_id", flat=True):
        progress[_county_code(code)] += 1
    moved = (
        PoorVillageStatusChange.objects.filter(
            to_status="exited", at__date__gte=start, at__date__lt=after, poor_village__village__code__startswith=region.prefix
        )
        .select_related("poor_village__village__parent")
        .order_by("poor_village_id")
    )  # fmt: skip
    names = {c.code: c.name for c in counties}
    exited = [
        {"county": names.get(_county_code(m.poor_village_id), ""), "township": m.poor_village.village.parent.name,
         "village": m.poor_village.village.name, "code": m.poor_village_id, "year": m.poor_village.exit_year,
         "on": m.at.date().isoformat()}
        for m in moved[:500]
    ]  # fmt: skip
    in_month = defaultdict(int)
    for row in exited:
        in_month[_county_code(row["code"])] += 1
    end = month_end(month)
    notice = (
        in_progress.filter(last_step=Step.EXIT_NOTICE, notice_start__lte=end, notice_end__gte=end)
        .select_related("poor_village__village__parent")
        .order_by("poor_village_id")
    )
    in_notice = [
        {"county": names.get(_county_code(c.poor_village_id), ""), "township": c.poor_village.village.parent.name,
         "village": c.poor_village.village.name, "notice_start": c.notice_start.isoformat(),
         "notice_end": c.notice_end.isoformat()}
        for c in notice[:500]
    ]  # fmt: skip
    rows = []
    for county in counties:
        agg = by_county.get(county.code, {"poor": 0, "exited": 0, "exited_year": 0})
        rows.append({
            "code": county.code, "county": county.name, **agg, "exited_month": in_month.get(county.code, 0),
            "in_progress": progress.get(county.code, 0),
        })  # fmt: skip
    keys = ("poor", "exited", "exited_year", "exited_month", "in_progress")
    return {
        "available": True, "year": month.year, "rows": rows, "totals": {k: sum(r[k] for r in rows) for k in keys},
        "exited": exited, "in_notice": in_notice,
    }  # fmt: skip


def _covering_codes(code: str) -> list[str]:
    """The region codes whose scope holds `code`: its province, city, county and itself."""
    return [code[:n].ljust(12, "0") for n in (2, 4, 6, 9, 12)]


def month_published_answer(sender, *, township_code: str, month: dt.date, **kwargs) -> bool:
    return Bulletin.objects.filter(
        region_id__in=_covering_codes(township_code),
        month=month.replace(day=1),
        status=BulletinStatus.PUBLISHED,
    ).exists()
