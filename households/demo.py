"""Demo data: a few thousand synthetic households across 焦作市, some at every procedure step.

Idempotent (does nothing once the demo files exist) and fast: everything goes in with bulk_create.
Names and ID numbers are synthetic (valid GB 11643 check digits, real birth dates).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core import pii
from core.audit import actor_context
from core.idnumbers import make_id_number
from core.models import Region, RegionLevel, User
from core.names import person_name

from .models import (
    PROCEDURE_STEPS,
    CaseState,
    Education,
    Household,
    HouseholdAttribute,
    HouseholdStatus,
    HouseholdStatusChange,
    Income,
    LabourAbility,
    Member,
    PoorVillage,
    PovertyCause,
    PovertyLine,
    ProcedureCase,
    ProcedureCaseStatusChange,
    ProcedureKind,
    ProcedureStep,
    Relation,
    Step,
)

PREFIX = "DEMO"
HOUSEHOLDS = 3000
GUARANTEES = ("food_secure", "clothing_secure", "education_secured", "medical_secured", "housing_secured")


def _members(rng: random.Random, region6: str, used: set[str], head_name: str) -> list[dict]:
    size = rng.choice([1, 2, 2, 3, 3, 4, 4, 5])
    head_birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randint(0, 14000))
    people = [(Relation.HEAD, head_birth, rng.random() < 0.3, head_name)]
    if size > 1:
        female = not people[0][2]
        people.append(
            (Relation.SPOUSE, head_birth + dt.timedelta(days=rng.randint(-1500, 1500)), female, None)
        )
    for _ in range(size - len(people)):
        child_birth = head_birth + dt.timedelta(days=rng.randint(7000, 12000))
        female = rng.random() < 0.5
        people.append((Relation.DAUGHTER if female else Relation.SON, child_birth, female, None))
    out = []
    for relation, birth, female, name in people:
        birth = min(birth, dt.date(2016, 12, 31))
        number = make_id_number(rng, region6=region6, birth=birth, female=female)
        while number in used:
            number = make_id_number(rng, region6=region6, birth=birth, female=female)
        used.add(number)
        age = 2017 - birth.year
        out.append({
            "name": name or person_name(rng, female=female), "number": number, "relation": relation,
            "sex": "F" if female else "M", "birth_date": birth,
            "education": Education.PRESCHOOL if age < 6 else rng.choice([Education.PRIMARY, Education.JUNIOR, Education.ILLITERATE]),
            "labour_ability": LabourAbility.NONE if age < 16 or age > 70 else rng.choice([LabourAbility.ORDINARY, LabourAbility.WEAK, LabourAbility.SKILLED]),
        })  # fmt: skip
    return out


def _plan(rng: random.Random) -> tuple[str, str | None, int]:
    """(status, procedure kind, number of steps done) for one household."""
    roll = rng.random()
    if roll < 0.55:
        return HouseholdStatus.REGISTERED, None, 0
    if roll < 0.70:
        return HouseholdStatus.EXITED, ProcedureKind.EXIT, 4
    if roll < 0.80:
        return HouseholdStatus.REGISTERED, ProcedureKind.EXIT, rng.randint(1, 3)
    if roll < 0.88:
        return HouseholdStatus.APPLYING, ProcedureKind.ENTRY, rng.randint(1, 4)
    if roll < 0.93:
        return HouseholdStatus.RETURNED, ProcedureKind.EXIT, 4
    if roll < 0.97:
        return HouseholdStatus.REMOVED, None, 0
    return HouseholdStatus.REJECTED, ProcedureKind.ENTRY, 2


@transaction.atomic
def seed(*, stdout) -> None:
    if Household.objects.filter(file_number__startswith=PREFIX).exists():
        stdout.write(
            f"households: demo files present ({Household.objects.count()} households), nothing to do"
        )
        return
    actor = User.objects.filter(username="clerk").first() or User.objects.filter(is_superuser=True).first()
    if actor is None:
        stdout.write("households: no demo user to act as; run core's demo first")
        return
    rng = random.Random(20170512)
    villages = list(
        Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith="4108").order_by("code")
    )
    PoorVillage.objects.bulk_create(
        [PoorVillage(village=v, identified_year=2014) for v in villages if v.is_poor_village],
        ignore_conflicts=True,
    )
    lines = dict(PovertyLine.objects.values_list("year", "amount"))
    today = timezone.localdate()
    now = timezone.now()
    used: set[str] = set()
    households, plans, member_rows = [], [], []
    for i in range(HOUSEHOLDS):
        village = rng.choice(villages)
        status, kind, done = _plan(rng)
        head_name = person_name(rng)
        main = rng.choice(PovertyCause.values)
        secondary = rng.sample([c for c in PovertyCause.values if c != main], k=rng.randint(0, 2))
        exiting = kind == ProcedureKind.EXIT
        households.append(Household(
            file_number=f"{PREFIX}{village.code[:6]}{i:05d}", village=village, head_name=head_name,
            address=f"{rng.randint(1, 9)}组{rng.randint(1, 60)}号",
            phone=f"1{rng.choice('3578')}{rng.randint(100000000, 999999999)}" if rng.random() < 0.8 else "",
            attribute=rng.choices(HouseholdAttribute.values, weights=[70, 22, 8])[0],
            identified_year=rng.choice([2014, 2014, 2015, 2016]), status=status, status_changed_at=now,
            main_cause=main, secondary_causes=secondary, created_at=now,
            **{g: exiting or rng.random() < 0.6 for g in GUARANTEES},
        ))  # fmt: skip
        plans.append((status, kind, done))
        member_rows.append(_members(rng, village.code[:6], used, head_name))
    with actor_context(actor, source="demo"):
        Household.objects.bulk_create(households, batch_size=1000)
        members, incomes, changes, cases = [], [], [], []
        for household, people, (status, kind, done) in zip(households, member_rows, plans, strict=True):
            active = status not in (HouseholdStatus.REMOVED, HouseholdStatus.REJECTED)
            for p in people:
                members.append(Member(
                    household_id=household.pk, name=p["name"], id_number_cipher=pii.encrypt(p["number"]),
                    id_number_hash=pii.keyed_hash(p["number"]), id_number_key_version=pii.key_version(),
                    id_number_masked=pii.mask_id(p["number"]),
                    sex=p["sex"], birth_date=p["birth_date"], relation=p["relation"], education=p["education"],
                    labour_ability=p["labour_ability"], is_current=active, created_at=now,
                ))  # fmt: skip
            household.member_count = len(people)
            above = kind == ProcedureKind.EXIT
            for year in (2015, 2016):
                line = lines.get(year, Decimal(3000))
                amount = (
                    line + Decimal(rng.randint(150, 2500))
                    if above
                    else line - Decimal(rng.randint(100, 1500))
                )
                incomes.append(Income(household_id=household.pk, year=year, per_capita_net_income=amount))
            changes.append(HouseholdStatusChange(household_id=household.pk, from_status="", to_status=status,
                                                 actor=actor, note="演示数据", at=now))  # fmt: skip
            if kind:
                if kind == ProcedureKind.ENTRY and status == HouseholdStatus.REJECTED:
                    state = CaseState.STOPPED
                elif done == len(PROCEDURE_STEPS[kind]):
                    state = CaseState.COMPLETED
                else:
                    state = CaseState.OPEN
                cases.append((household, kind, done, state))
        Member.objects.bulk_create(members, batch_size=2000)
        Household.objects.bulk_update(households, ["member_count"], batch_size=1000)
        Income.objects.bulk_create(incomes, batch_size=2000)
        HouseholdStatusChange.objects.bulk_create(changes, batch_size=2000)
        case_objs = []
        for household, kind, done, state in cases:
            steps = PROCEDURE_STEPS[kind][:done]
            notice = next((s for s in steps if s in (Step.ENTRY_NOTICE, Step.EXIT_NOTICE)), None)
            start = (
                today - dt.timedelta(days=40)
                if state != CaseState.OPEN or steps[-1] != notice
                else today - dt.timedelta(days=3)
            )
            case_objs.append(ProcedureCase(
                household_id=household.pk, kind=kind, state=state, last_step=steps[-1], started_by=actor,
                stop_reason="村民主评议未通过（演示数据）" if state == CaseState.STOPPED else "",
                notice_start=start if notice else None, notice_end=start + dt.timedelta(days=7) if notice else None,
            ))  # fmt: skip
        ProcedureCase.objects.bulk_create(case_objs, batch_size=1000)
        case_changes = []
        for case in case_objs:
            case_changes.append(ProcedureCaseStatusChange(case_id=case.pk, from_status="",
                                                          to_status=CaseState.OPEN, actor=actor, at=now))  # fmt: skip
            if case.state != CaseState.OPEN:
                case_changes.append(ProcedureCaseStatusChange(case_id=case.pk, from_status=CaseState.OPEN,
                                                              to_status=case.state, actor=actor, note=case.stop_reason, at=now))  # fmt: skip
        ProcedureCaseStatusChange.objects.bulk_create(case_changes, batch_size=2000)
        step_objs = []
        for case, (_household, kind, done, _state) in zip(case_objs, cases, strict=True):
            for n, step in enumerate(PROCEDURE_STEPS[kind][:done]):
                data = {}
                if step in (Step.VILLAGE_REVIEW, Step.DEMOCRATIC_REVIEW):
                    data = {"attendance": 30, "votes_for": 26, "votes_against": 2}
                step_objs.append(ProcedureStep(
                    case_id=case.pk, step=step, actor=actor, date=today - dt.timedelta(days=50 - n * 12), data=data,
                ))  # fmt: skip
        ProcedureStep.objects.bulk_create(step_objs, batch_size=2000)
    stdout.write(
        f"households: {len(households)} households, {len(members)} members, {len(case_objs)} procedures "
        f"({len(step_objs)} steps) across {len(villages)} villages"
    )
    _across_counties(actor=actor, stdout=stdout)
    _vehicle_list(stdout=stdout)
    _should_enter_and_exit(actor=actor, stdout=stdout)
    from .demo_guarantees import seed_guarantees_and_return

    seed_guarantees_and_return(actor=actor, prefix=PREFIX, stdout=stdout)  # issue 17.1, 17.4
    from .demo_villages import seed_village_exit_and_signoff

    seed_village_exit_and_signoff(stdout=stdout)  # issue 18.4, 18.6


def _across_counties(*, actor, stdout) -> None:
    """What crosses a county line (issue 15.4, 15.5): a 修武县 household released to a 博爱县 village,
    waiting for 博爱县's clerk, and a possible duplicate across the two for the city reviewer."""
    from .services import duplicates_scan, household_move

    active = Household.objects.filter(file_number__startswith=PREFIX, status=HouseholdStatus.REGISTERED)
    xiuwu = list(
        active.filter(village__parent__parent_id="410821000000").exclude(phone="").order_by("id")[:2]
    )
    boai = active.filter(village__parent__parent_id="410822000000").exclude(phone="").order_by("id").first()
    if len(xiuwu) < 2 or boai is None:
        return
    Household.objects.filter(pk=boai.pk).update(phone=xiuwu[0].phone)  # one head's phone in two counties
    found = duplicates_scan(household_ids=[boai.pk])
    target = (
        Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith="410822").order_by("code").first()
    )
    household_move(
        household=xiuwu[1], to_village=target, reason="marriage", note="女儿出嫁随迁（演示数据）", actor=actor
    )
    stdout.write(f"households: {found} possible duplicates across counties, 1 transfer awaiting 博爱县")


def _vehicle_list(*, stdout) -> None:
    """数据比对 (issue 17.6): 修武县's administrator compared the vehicle administration's list with
    the registry; one registered household's head owns a car, its flag waits for review."""
    from core import uploads, xlsx

    from .models import CrossCheckRun, CrossCheckSource
    from .services.crosschecks import crosscheck_folder
    from .tasks import run_crosscheck

    county = "410821000000"
    actor = (
        User.objects.filter(username="countyadmin").first() or User.objects.filter(is_superuser=True).first()
    )
    head = (
        Member.objects.filter(
            household__file_number__startswith=PREFIX, household__status=HouseholdStatus.REGISTERED,
            household__village__parent__parent_id=county, relation="head", is_active=True,
        )
        .order_by("household_id")
        .first()
    )  # fmt: skip
    if actor is None or head is None:
        return
    rows = [["豫H8A520", "小型轿车", head.name, pii.decrypt(head.id_number_cipher), "2016-08-19"]]
    data = xlsx.csv_bytes(rows, headers=["号牌号码", "车辆类型", "所有人", "身份证号", "登记日期"])
    path = uploads.store_bytes(data, kind="csv", folder=crosscheck_folder())
    run = CrossCheckRun.objects.create(
        source=CrossCheckSource.VEHICLES, file=path, file_name="修武县车管所机动车登记（演示）.csv",
        created_by=actor, region_id=county,
    )  # fmt: skip
    result = run_crosscheck(run.pk)  # in-process: the demo needs no worker
    stdout.write(f"households: vehicle list compared, {result.get('flags', 0)} flag under review")


IMPORTED = 3  # households of the demo's import waiting for review
# No tick boxes of 两不愁三保障: an import no longer carries them (the facts are recorded per household).
DEMO_IMPORT_HEADER = ["户编号", "村代码", "家庭住址", "联系电话", "贫困户属性", "识别年度", "主要致贫原因", "其他致贫原因",
                      "收入年度", "人均纯收入（元）", "姓名", "身份证号", "与户主关系", "健康状况", "残疾等级", "文化程度",
                      "在校生情况", "劳动能力", "是否务工", "务工时间（月）"]  # fmt: skip


def _should_enter_and_exit(*, actor, stdout) -> None:
    """Issue 17.2, 17.3 in 修武县: a clerk's Excel import whose applicants wait for the village review
    (应进则进), one registered household meeting every exit condition with no exit procedure
    (应退未退), and the possible omissions (漏评: removed or rejected households whose latest income
    is not above the line) left for the county to review."""
    from core import uploads, xlsx

    from .imports import import_folder
    from .imports import run as run_import
    from .models import HouseholdImport, ImportKind, ImportMode, ImportStatus

    rng = random.Random(1717)
    village = (
        Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith="410821").order_by("code").first()
    )
    if village is None:
        return
    book = xlsx.Workbook()
    sheet = book.sheet("贫困户", headers=DEMO_IMPORT_HEADER)
    taken = set(Member.objects.values_list("id_number_hash", flat=True))
    for i in range(IMPORTED):
        while True:
            birth = dt.date(1960 + rng.randint(0, 30), rng.randint(1, 12), rng.randint(1, 28))
            number = make_id_number(rng, region6="410821", birth=birth, female=False)
            if pii.keyed_hash(number) not in taken:
                break
        sheet.append([
            f"IMP{village.code[:6]}{i:03d}", village.code, f"{i + 1}组", "", "general", 2016, "illness", "",
            2016, 2600, person_name(rng), number, "head", "chronic", "none", "primary",
            "none", "weak", "否", 0,
        ])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    path = uploads.store_bytes(out.getvalue(), kind="xlsx", folder=import_folder())
    job = HouseholdImport.objects.create(
        file=path, file_name="村级申请名单（演示）.xlsx", mode=ImportMode.VALID_ROWS, kind=ImportKind.APPLICATIONS,
        status=ImportStatus.RUNNING, created_by=actor, region_id=village.code[:6] + "000000",
    )  # fmt: skip
    run_import(job)
    # 应退未退: a registered household of 修武县, no procedure, every guarantee met, income above the line.
    # Its guarantees rest on recorded facts (demo_guarantees._facts): no member of compulsory-school age.
    from .demo_guarantees import _facts
    from .selectors.guarantees import compulsory_school_ages
    from .services.guarantees import guarantees_snapshot_refresh

    low, high = compulsory_school_ages()
    today = timezone.localdate()
    candidates = (
        Household.objects.filter(
            file_number__startswith=PREFIX,
            status=HouseholdStatus.REGISTERED,
            village__code__startswith="410821",
        )
        .exclude(procedures__state=CaseState.OPEN)
        .order_by("id")[:50]
    )
    due = next(
        (
            h
            for h in candidates
            if not any(
                low <= (today - m.birth_date).days // 365 <= high for m in h.members.filter(is_active=True)
            )
        ),
        None,
    )
    latest = due.incomes.order_by("-year").first() if due is not None else None
    line = (
        PovertyLine.objects.filter(year=getattr(latest, "year", None))
        .values_list("amount", flat=True)
        .first()
    )
    # Without poverty lines (a flushed test database) there is nothing to compare with.
    if latest is not None and line is not None:
        with actor_context(actor, source="demo"):
            due.incomes.filter(pk=latest.pk).update(per_capita_net_income=line + Decimal("860.00"))
        _facts(household=due, actor=actor, today=today)
        with actor_context(actor, source="demo"):  # the snapshot the services keep, as the facts say
            guarantees_snapshot_refresh(household=due)
    stdout.write(
        f"households: an import of {job.households_created} applicants waiting for the village review, "
        f"1 household that should have exited (应退未退) and the possible omissions (漏评) to review"
    )
