"""Demo of the year's targets (issue 18.5): this year's targets for 焦作市 and its counties, set a little
above what the demo register has achieved so far (progress shows, not yet reached), and last year's
results as the city reported them (the source document: 1.5万 people out of poverty, 48 villages
exited), recorded and labelled as such. Recorded through the service, as an administrator does."""

from __future__ import annotations

import math

from django.utils import timezone

from core.models import Region, RegionLevel, User

from .models import ExitTarget, PoorVillage
from .selectors.targets import progress
from .services.targets import exit_target_record

CITY = "410800000000"
REPORTED = "焦作市第三次脱贫攻坚推进会报告：上年脱贫1.5万人、退出贫困村48个"


def _above(achieved: int, share: float = 0.7) -> int:
    """A target the achieved figure is about `share` of, rounded up to a tidy number."""
    return max(10, math.ceil(achieved / share / 10) * 10)


def seed_targets(*, stdout) -> None:
    admin = User.objects.filter(username="admin").first() or User.objects.filter(is_superuser=True).first()
    city = Region.objects.filter(code=CITY).first()
    if admin is None or city is None:
        return
    year = timezone.localdate().year
    if ExitTarget.objects.filter(region_id=CITY, year=year).exists():
        stdout.write("households: the year's targets present, nothing to do")
        return
    now = progress(region=city, year=year)
    for county in now.counties:
        poor = PoorVillage.objects.filter(village__code__startswith=county.region.code[:6]).count()
        exit_target_record(
            region_code=county.region.code, year=year, actor=admin,
            figures={"households": _above(county.achieved["households"]), "people": _above(county.achieved["people"]),
                     "villages": max(1, poor // 4) if poor else 0},
        )  # fmt: skip
    villages = PoorVillage.objects.filter(village__code__startswith=CITY[:4]).count()
    exit_target_record(
        region_code=CITY, year=year, actor=admin,
        figures={"households": _above(now.achieved["households"]), "people": _above(now.achieved["people"]),
                 "villages": max(1, villages // 4)},
        note="市脱贫攻坚领导小组下达的年度任务（演示）",
    )  # fmt: skip
    exit_target_record(
        region_code=CITY, year=year - 1, actor=admin, source=REPORTED,
        figures={"achieved_people": 15000, "achieved_villages": 48},
    )  # fmt: skip
    counties = Region.objects.filter(level=RegionLevel.COUNTY, code__startswith=CITY[:4]).count()
    stdout.write(
        f"households: the year's targets of {year} for the city and {counties} counties, "
        f"and {year - 1}'s reported results (15,000 people, 48 villages)"
    )
