"""Demo data for assistance: village work teams and this year's plans for the demo households,
with some gaps (no plan, a cause left uncovered) and late measures for the work list.

Runs after households.demo. Without demo households it seeds nothing. Running it twice changes
nothing: teams are found by name, and a household that already has this year's plan is skipped
(which households get gaps is decided by their file number, not by chance: households are ranked
by a hash of it, and every 11th in that order has no plan, every 7th planned one with several causes
leaves one uncovered, every 5th is late — so any set of households gets its gaps, the same each run).

因户施策 in the demo: employment measures name the member employed, microcredit its loan, relocation
its site; the first planned household poor through illness gets 健康扶贫 and no relief (a 应保尽保
flag); one measure carried over from the old register claims a cause its kind does not answer and
waits for the county's review.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.models import Officer, Region, Unit, UnitKind, User
from core.transitions import record_created
from households.models import Household, LabourAbility, Member, PovertyCause

from . import demo_fieldwork, selectors, services
from .models import AssistancePlan, Measure, MeasureKind, MeasureStatus, TeamVillage, VillageTeam

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


WORKING = (LabourAbility.SKILLED, LabourAbility.ORDINARY, LabourAbility.WEAK)
LEGACY_TITLE = "（原台账迁入）技能培训，记作因病帮扶"


def _details(household: Household, kind: str, year: int, today: dt.date) -> dict:
    """The facts of a measure's kind (因人施策): who is employed, the loan, the resettlement."""
    if kind == MeasureKind.EMPLOYMENT:
        member = (
            Member.objects.filter(household=household, is_active=True, labour_ability__in=WORKING)
            .order_by("id")
            .first()
        )
        return {"employed_member": member}
    if kind == MeasureKind.MICROCREDIT:
        return {
            "loan_amount": Decimal(50000), "loan_bank": "修武县农村商业银行", "loan_date": dt.date(year, 3, 1),
            "loan_due": dt.date(year + 3, 2, 28), "interest_subsidy": Decimal("2175.00"),
        }  # fmt: skip
    if kind == MeasureKind.RELOCATION:
        return {"relocation_site": "县城东区集中安置点", "move_in_date": min(dt.date(year, 6, 30), today)}
    return {}


def _plan(
    household: Household, year: int, actor: User, today: dt.date, *, gap: bool, late_first: bool,
    no_relief: bool = False,
) -> None:  # fmt: skip
    key = _key(household.file_number)
    plan = services.plan_create(
        household=household, year=year, actor=actor, summary="因户施策：针对每项致贫原因落实帮扶措施。"
    )
    causes = list(household.causes)
    if gap:
        causes = causes[:-1]  # a gap: the last cause has no measure yet
    for i, cause in enumerate(causes):
        kind, title, gain, funds = ANSWERS[PovertyCause(cause)]
        if no_relief and cause == PovertyCause.ILLNESS:
            # 健康扶贫 answers the illness, but is no relief: the household stays flagged 应保尽保.
            kind, title = MeasureKind.HEALTH, "家庭医生签约服务，慢病卡办理"
        details = _details(household, kind, year, today)
        if kind == MeasureKind.EMPLOYMENT and details["employed_member"] is None:
            # Nobody in the household can work: training and motivation instead of a job.
            kind, title, details = MeasureKind.SKILLS_TRAINING, "扶志教育，参加实用技术培训", {}
        late = late_first and i == 0
        measure = services.measure_add(
            plan=plan, actor=actor, kind=kind, title=title, causes=[cause],
            responsible_officer=household.assistance_officer,
            planned_end=today - dt.timedelta(days=10 + key % 50) if late else dt.date(year, 12, 31),
            expected_income_gain=Decimal(gain), funds_needed=Decimal(funds), **details,
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
    if _actor() is not None:  # responsible officers first: the plans' measures name them
        demo_fieldwork.assign_officers(_actor())
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
    ill = [hh for hh in planned if PovertyCause.ILLNESS in hh.causes and hh.pk not in gaps]
    no_relief = {ill[0].pk} if ill else set()
    created = 0
    for household in sorted(planned, key=lambda hh: (hh.village_id, hh.file_number)):
        if household.pk in have:
            continue
        _plan(
            household, year, actor, today, gap=household.pk in gaps, late_first=household.pk in late,
            no_relief=household.pk in no_relief,
        )  # fmt: skip
        created += 1
    stdout.write(f"assistance plans for {year}: {created} created, {len(have)} already there")
    _legacy_measure_under_review(ill[-1] if ill else None, year, actor)
    demo_fieldwork.seed(stdout=stdout, actor=actor)


def _legacy_measure_under_review(household: Household | None, year: int, actor: User) -> None:
    """A measure carried over from the old register (written as it was, around the services): a
    skills training counted against illness, which its kind does not answer — listed for review."""
    if household is None:
        return
    plan = AssistancePlan.objects.filter(household=household, year=year).first()
    if plan is None or Measure.objects.filter(plan=plan, title=LEGACY_TITLE).exists():
        return
    measure = Measure.objects.create(
        plan=plan, kind=MeasureKind.SKILLS_TRAINING, title=LEGACY_TITLE, causes=[PovertyCause.ILLNESS],
        planned_end=dt.date(year, 12, 31),
    )  # fmt: skip
    record_created(measure, actor=actor, note="原台账迁入")
    services.fit_reviews_open(actor=actor)
