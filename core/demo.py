"""Demo data for core: the demo city 焦作市, its units, officers and one user per role."""

from __future__ import annotations

import random

from django.contrib.auth.models import Group
from django.db import transaction

from .models import Department, Officer, Region, Role, Unit, UnitKind, User
from .names import person_name
from .regions_data import load_regions

CITY_CODE = "410800000000"
DEMO_COUNTY = "410821000000"  # 修武县
OTHER_COUNTY = "410822000000"  # 博爱县
DEMO_PASSWORD = "Fupin@2017"  # noqa: S105 - printed for the demo, never used in production

DEPARTMENTS = [
    (Department.DEVELOPMENT, "发展和改革委员会"),
    (Department.FINANCE, "财政局"),
    (Department.CIVIL_AFFAIRS, "民政局"),
    (Department.HEALTH, "卫生和计划生育委员会"),
    (Department.EDUCATION, "教育局"),
    (Department.TRANSPORT, "交通运输局"),
    (Department.AUDIT, "审计局"),
    (Department.SUPERVISION, "监察局"),
    (Department.ORGANISATION, "组织部"),
]

DEMO_USERS = [
    # username, full name, roles, region, superuser
    ("admin", "系统管理员", [Role.ADMIN], CITY_CODE, True),
    ("leader", "市领导", [Role.LEADER], CITY_CODE, False),
    ("clerk", "修武县录入员", [Role.COUNTY_CLERK], DEMO_COUNTY, False),
    ("countyadmin", "修武县管理员", [Role.COUNTY_ADMIN], DEMO_COUNTY, False),
    ("township", "城关镇签认人", [Role.TOWNSHIP_OFFICER], "410821100000", False),  # 乡镇, issue 18.6
    ("clerk_boai", "博爱县录入员", [Role.COUNTY_CLERK], OTHER_COUNTY, False),
    ("assist", "修武县帮扶责任人", [Role.ASSISTANCE_OFFICER], DEMO_COUNTY, False),
    ("secretary", "驻村第一书记", [Role.FIRST_SECRETARY], DEMO_COUNTY, False),
    ("finance", "修武县财政干部", [Role.FINANCE_OFFICER], DEMO_COUNTY, False),
    ("finance2", "修武县财政复核员", [Role.FINANCE_OFFICER], DEMO_COUNTY, False),
    ("auditor", "修武县审计干部", [Role.AUDITOR], DEMO_COUNTY, False),
    ("inspector", "市督查巡查组组员", [Role.INSPECTOR], CITY_CODE, False),
    ("reviewer", "市级复核员", [Role.CITY_REVIEWER], CITY_CODE, False),
    # The bodies of issue 19.4: 组织部 (spot checks, the annual assessment), 纪委 (decides cases), 督导组
    # (the monthly bulletin, proposes cases; its covert visits are filed as an inspector's).
    ("zuzhibu", "市委组织部考核办干部", [Role.ORGANISATION_DEPARTMENT], CITY_CODE, False),
    ("jiwei", "市纪委监委问责干部", [Role.DISCIPLINE_COMMISSION], CITY_CODE, False),
    ("dudao", "市委督导组组员", [Role.SUPERVISION_GROUP, Role.INSPECTOR], CITY_CODE, False),
]


def _unit(region: Region, name: str, kind: str, department: str = "", parent: Unit | None = None) -> Unit:
    unit, _ = Unit.objects.get_or_create(
        region=region, name=name, defaults={"kind": kind, "department": department, "parent": parent}
    )
    return unit


def _officer(rng: random.Random, unit: Unit, position: str, region: Region | None = None) -> Officer:
    existing = Officer.objects.filter(unit=unit, position=position).first()
    if existing:
        return existing
    return Officer.objects.create(
        name=person_name(rng), position=position, unit=unit, region=region or unit.region,
        phone=f"139{rng.randint(10000000, 99999999)}",
    )  # fmt: skip


@transaction.atomic
def seed(*, stdout) -> None:
    rng = random.Random(410800)
    counts = load_regions(prefix="4108")
    stdout.write(f"regions: {counts}")
    city = Region.objects.get(code=CITY_CODE)

    city_committee = _unit(city, "中共焦作市委", UnitKind.PARTY_COMMITTEE)
    city_gov = _unit(city, "焦作市人民政府", UnitKind.GOVERNMENT)
    city_office = _unit(city, "焦作市脱贫攻坚领导小组办公室", UnitKind.POVERTY_OFFICE, parent=city_gov)
    _officer(rng, city_committee, "市委书记")
    _officer(rng, city_gov, "市长")
    _officer(rng, city_office, "主任")
    for dept, label in DEPARTMENTS:
        unit = _unit(city, f"焦作市{label}", UnitKind.DEPARTMENT, dept, parent=city_gov)
        _officer(rng, unit, "局长" if "局" in label else "主任")
    for i, numeral in enumerate("一二三四", start=1):
        group = _unit(city, f"市专职督查巡查第{numeral}组", UnitKind.INSPECTION_GROUP, parent=city_office)
        _officer(rng, group, "组长")
        for j in range(2):
            _officer(rng, group, f"组员{j + 1}")
        del i

    for county in Region.objects.filter(level="county", code__startswith="4108").order_by("code"):
        committee = _unit(county, f"中共{county.name}委员会", UnitKind.PARTY_COMMITTEE)
        gov = _unit(county, f"{county.name}人民政府", UnitKind.GOVERNMENT)
        office = _unit(county, f"{county.name}扶贫开发办公室", UnitKind.POVERTY_OFFICE, parent=gov)
        _officer(rng, committee, "县委书记")
        _officer(rng, gov, "县长")
        _officer(rng, committee, "县委副书记")
        _officer(rng, gov, "分管副县长")
        _officer(rng, office, "主任")
        for dept, label in DEPARTMENTS:
            unit = _unit(county, f"{county.name}{label}", UnitKind.DEPARTMENT, dept, parent=gov)
            _officer(rng, unit, "局长" if "局" in label else "主任")
        for township in county.children.order_by("code"):
            unit = _unit(township, f"{township.name}党委政府", UnitKind.TOWNSHIP, parent=gov)
            _officer(rng, unit, "党委书记")
            _officer(rng, unit, "乡镇长")
            _officer(rng, unit, "扶贫专干")

    for username, full_name, roles, region_code, superuser in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, region_id=region_code, is_superuser=superuser,
                        is_staff=superuser)  # fmt: skip
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set(Group.objects.filter(name__in=[str(r) for r in roles]))
    stdout.write(
        f"units: {Unit.objects.count()}, officers: {Officer.objects.count()}, users: {User.objects.count()}"
    )


def login_help() -> str:
    lines = [f"Demo users (password for all: {DEMO_PASSWORD}):"]
    for username, full_name, roles, region_code, _ in DEMO_USERS:
        lines.append(
            f"  {username:<11} {full_name}  [{', '.join(str(r) for r in roles)}]  region {region_code}"
        )
    return "\n".join(lines)
