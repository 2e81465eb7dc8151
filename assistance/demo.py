"""Demo data for assistance: village work teams and this year's plans for the demo households,
with some gaps (no plan, a cause left uncovered) and late measures for the work list.

Runs after households.demo. Without demo households it seeds nothing. Running it twice changes
nothing: teams are found by name, and a household that already has this year's plan is skipped
(which households get gaps is decided by their file number, not by chance: households are ranked
by a hash of it, and every 11th in that order has no plan, every 7th planned one with several causes
leaves one uncovered, every 5th is late — so any set of households gets its gaps, the same each run).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.models import Officer, Region, Unit, UnitKind, User
from households.models import Household, PovertyCause

from . import selectors, services
from .models import AssistancePlan, MeasureKind, MeasureStatus, TeamVillage, VillageTeam

DEMO_COUNTY = "410821"  # 修武县
MAX_HOUSEHOLDS = 600  # plans are written through the services (with history); keep the demo quick

# The usual answer to each cause: kind, description, expected yearly income gain, money needed.
ANSWERS: dict[str, tuple[str, str, int, int]] = {
    PovertyCause.ILLNESS: (MeasureKind.MEDICAL_RELIEF, "大病保险二次报销、家庭医生签约服务", 0, 3000),
    PovertyCause.DISABILITY: (MeasureKind.SPECIAL_RELIEF, "残疾人两项补贴，安排公益岗位", 2400, 1200),
    PovertyCause.SCHOOLING: (MeasureKind.EDUCATION_RELIEF, "雨露计划助学补助，减免学杂费", 0, 3000),
    PovertyCause.DISASTER: (MeasureKind.DISASTER_RELIEF, "灾后重建补助，农业保险理赔", 0, 5000),
    PovertyCause.LACK_LAND: (MeasureKind.INDUSTRY, "土地流转入股合作社，年底分红", 1500, 2000),
    PovertyCause.LACK_WATER: (MeasureKind.INDUSTRY, "安全饮水入户，发展节水蔬菜大棚", 2000, 8000),
    PovertyCause.LACK_SKILLS: (MeasureKind.SKILLS_TRAINING, "参加县职教中心焊工培训并推荐就业", 6000, 1500),
    PovertyCause.LACK_LABOUR: (MeasureKind.SOCIAL_GUARANTEE, "纳入农村低保，应保尽保", 3600, 0),
    PovertyCause.LACK_FUNDS: (MeasureKind.MICROCREDIT, "扶贫小额信贷5万元，入股养牛合作社", 3000, 50000),
    PovertyCause.POOR_TRANSPORT: (MeasureKind.RELOCATION, "纳入易地扶贫搬迁，集中安置", 0, 60000),
    PovertyCause.LACK_MOTIVATION: (MeasureKind.EMPLOYMENT, "扶志教育，转移就业到县产业集聚区", 12000, 0),
}


def _key(text: str) -> int:
    """A stable number per household, so gaps fall on the same households every run."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def _actor() -> User | None:
    return User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()


def _teams(households: list[Household], stdout) -> None:
    """One work team per township of the demo county that has demo households (up to four)."""
    dispatching = list(
        Unit.objects.filter(region_id="410800000000", kind=UnitKind.DEPARTMENT).order_by("name")[:4]
    )
    if not dispatching:
        return
    townships: dict[str, list[str]] = {}
    for hh in households:
        townships.setdefault(hh.village_id[:9], [])
        if hh.village_id not in townships[hh.village_id[:9]]:
            townships[hh.village_id[:9]].append(hh.village_id)
    start = dt.date(timezone.localdate().year - 1, 3, 1)
    first_officer = None
    for unit, (township, villages) in zip(dispatching, sorted(townships.items()), strict=False):
        name = f"{unit.name}驻村工作队（{Region.objects.get(code=township.ljust(12, '0')).name}）"
        team = VillageTeam.objects.filter(name=name).first()
        if team is None:
            secretary = Officer.objects.create(
                name=f"{unit.name[3:5]}书记", position="驻村第一书记", unit=unit, region=unit.region
            )
            actor = _actor()
            team = services.team_create(
                actor=actor, name=name, dispatching_unit=unit, first_secretary=secretary,
                villages=list(Region.objects.filter(code__in=villages[:3])), start_date=start,
            )  # fmt: skip
        else:
            missing = set(villages[:3]) - set(
                TeamVillage.objects.filter(team=team).values_list("village_id", flat=True)
            )
            TeamVillage.objects.bulk_create([TeamVillage(team=team, village_id=v) for v in sorted(missing)])
        first_officer = first_officer or team.first_secretary
    # The demo first secretary logs in as the first team's secretary.
    demo_secretary = User.objects.filter(username="secretary", officer__isnull=True).first()
    if demo_secretary and first_officer and not User.objects.filter(officer=first_officer).exists():
        demo_secretary.officer = first_officer
        demo_secretary.save(update_fields=["officer"])
    stdout.write(f"village work teams: {VillageTeam.objects.count()}")


def _plan(
    household: Household, year: int, actor: User, today: dt.date, *, gap: bool, late_first: bool
) -> None:
    key = _key(household.file_number)
    plan = services.plan_create(
        household=household, year=year, actor=actor, summary="因户施策：针对每项致贫原因落实帮扶措施。"
    )
    causes = list(household.causes)
    if gap:
        causes = causes[:-1]  # a gap: the last cause has no measure yet
    for i, cause in enumerate(causes):
        kind, title, gain, funds = ANSWERS[PovertyCause(cause)]
        late = late_first and i == 0
        measure = services.measure_add(
            plan=plan, actor=actor, kind=kind, title=title, causes=[cause],
            responsible_officer=plan.officer,
            planned_end=today - dt.timedelta(days=10 + key % 50) if late else dt.date(year, 12, 31),
            expected_income_gain=Decimal(gain), funds_needed=Decimal(funds),
        )  # fmt: skip
        stage = (key >> (i + 3)) % 4
        if late or stage == 0:
            continue
        services.measure_transition(measure=measure, to_status=MeasureStatus.IN_PROGRESS, actor=actor)
        if stage == 2:
            services.measure_transition(
                measure=measure, to_status=MeasureStatus.DONE, actor=actor, actual_income_gain=Decimal(gain)
            )
        elif stage == 3 and key % 3 == 0:
            services.measure_transition(
                measure=measure,
                to_status=MeasureStatus.CANCELLED,
                actor=actor,
                reason="户主意愿变化，改用其他措施",
            )


@transaction.atomic
def seed(*, stdout) -> None:
    households = list(
        Household.objects.filter(
            village__code__startswith=DEMO_COUNTY, status__in=selectors.NEEDS_PLAN_STATUSES
        ).order_by("village_id", "file_number")[:MAX_HOUSEHOLDS]
    )
    actor = _actor()
    if not households or actor is None:
        stdout.write("assistance: no demo households yet (run households' demo first); nothing seeded")
        return
    _teams(households, stdout)
    year = selectors.current_year()
    today = timezone.localdate()
    have = set(
        AssistancePlan.objects.filter(year=year, household__in=households).values_list(
            "household_id", flat=True
        )
    )
    ranked = sorted(households, key=lambda hh: (_key(hh.file_number), hh.file_number))
    planned = [hh for i, hh in enumerate(ranked) if i % 11 != 0]  # every 11th: no plan yet
    several = [hh for hh in planned if len(hh.causes) > 1]
    gaps = {hh.pk for i, hh in enumerate(several) if i % 7 == 0}
    late = {hh.pk for i, hh in enumerate(planned) if i % 5 == 2}
    created = 0
    for household in sorted(planned, key=lambda hh: (hh.village_id, hh.file_number)):
        if household.pk in have:
            continue
        _plan(household, year, actor, today, gap=household.pk in gaps, late_first=household.pk in late)
        created += 1
    stdout.write(f"assistance plans for {year}: {created} created, {len(have)} already there")
