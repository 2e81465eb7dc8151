"""Demo of issue 18.4 and 18.6: a 修武县 poor village's exit in its public notice and another village
that exited this year (through the services, evidence and all), and 城关镇 signed off by its township
officer for last month with a household changed afterwards — listed on the next sign-off page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.audit import actor_context
from core.models import User

from .models import (
    Household,
    InfrastructureItem,
    PoorVillage,
    PoorVillageStatus,
    Step,
    TownshipSignOff,
    VillageExitCase,
    VillageExitStandard,
)
from .services.signoffs import signoff_sign
from .services.village_exits import poor_population, village_exit_step_record, village_population_record

DEMO_COUNTY = "410821"  # 修武县
DEMO_TOWNSHIP = "410821100000"  # 城关镇, the demo township officer's (core.demo)


def _papers(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% demo evidence\n", content_type="application/pdf")


def _exit(*, poor_village: PoorVillage, actor, year: int, start: dt.date, approve: bool) -> None:
    poor = poor_population(poor_village.village_id)
    village_population_record(
        actor=actor, village=poor_village.village, year=year, registered_population=max(poor * 80, 400)
    )
    village_exit_step_record(
        poor_village=poor_village, step=Step.VERIFICATION, actor=actor,
        data={"date": start, "year": year, "collective_income": "86500.00", "note": "村集体光伏电站收益（演示数据）"},
        item_files={item: [_papers(f"{label}验收.pdf")] for item, label in InfrastructureItem.choices},
    )  # fmt: skip
    village_exit_step_record(
        poor_village=poor_village, step=Step.TOWNSHIP_REVIEW, actor=actor,
        data={"date": start + dt.timedelta(days=1), "approved": True, "note": "乡镇党委会研究同意"},
    )  # fmt: skip
    notice = start + dt.timedelta(days=2)
    village_exit_step_record(
        poor_village=poor_village, step=Step.EXIT_NOTICE, actor=actor,
        data={"date": notice, "notice_start": notice, "notice_end": notice + dt.timedelta(days=6)},
        files=[_papers("公示照片.pdf")],
    )  # fmt: skip
    if approve:
        village_exit_step_record(
            poor_village=poor_village, step=Step.COUNTY_APPROVAL, actor=actor,
            data={"date": notice + dt.timedelta(days=8), "note": "县扶贫开发领导小组审定"},
        )  # fmt: skip


def seed_village_exit_and_signoff(*, stdout) -> None:
    clerk = User.objects.filter(username="clerk").first()
    officer = User.objects.filter(username="township").first()
    if clerk is None or VillageExitCase.objects.exists():
        return
    today = timezone.localdate()
    year = today.year
    VillageExitStandard.objects.get_or_create(
        year=year, defaults={"max_incidence": Decimal("2.00"), "min_collective_income": Decimal("50000.00")}
    )
    villages = list(
        PoorVillage.objects.filter(village__code__startswith=DEMO_COUNTY, status=PoorVillageStatus.POOR)
        .select_related("village")
        .order_by("village_id")[:2]
    )
    if len(villages) == 2:
        _exit(
            poor_village=villages[0],
            actor=clerk,
            year=year,
            start=today - dt.timedelta(days=25),
            approve=True,
        )
        _exit(
            poor_village=villages[1],
            actor=clerk,
            year=year,
            start=today - dt.timedelta(days=5),
            approve=False,
        )
        stdout.write(
            f"households: {villages[0].village} exited {year}, {villages[1].village} in its public notice"
        )
    if officer is None:
        return
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    signoff = signoff_sign(actor=officer, month=last_month, note="本月数据已逐户核对（演示数据）")
    changed = Household.objects.filter(village__code__startswith=DEMO_TOWNSHIP[:9]).order_by("pk").first()
    if changed is not None:
        with actor_context(clerk, source="demo"):
            changed.phone = "13903910000"
            changed.save(update_fields=["phone", "updated_at"])
    stdout.write(
        f"households: {signoff.township} signed off {last_month:%Y-%m} "
        f"({TownshipSignOff.objects.count()} sign-off), one household changed after it"
    )
