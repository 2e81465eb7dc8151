"""Demo data: the "1+16" policy system of 焦作市 with one task per county for each policy.

Idempotent: policies and tasks are found by their natural keys; evidence is added once.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from core.models import Department, Region, Unit, UnitKind, User
from core.transitions import record_created, transition

from .models import Policy, PolicyEvidence, PolicyKind, PolicyTask, TaskStatus

CITY = "410800000000"
SYSTEM = "1+16"
POLICIES = [
    # number, title, departments
    (0, "关于打赢脱贫攻坚战的实施意见", [Department.DEVELOPMENT, Department.FINANCE]),
    (1, "转移就业脱贫实施方案", [Department.DEVELOPMENT]),
    (2, "产业扶贫实施方案", [Department.DEVELOPMENT, Department.FINANCE]),
    (3, "易地扶贫搬迁实施方案", [Department.DEVELOPMENT]),
    (4, "社会保障兜底脱贫实施方案", [Department.CIVIL_AFFAIRS]),
    (5, "健康扶贫实施方案", [Department.HEALTH]),
    (6, "教育扶贫实施方案", [Department.EDUCATION]),
    (7, "农村危房改造实施方案", [Department.DEVELOPMENT]),
    (8, "金融扶贫（扶贫小额信贷）实施方案", [Department.FINANCE]),
    (9, "交通扶贫实施方案", [Department.TRANSPORT]),
    (10, "农村饮水安全巩固提升实施方案", [Department.DEVELOPMENT]),
    (11, "贫困村电网改造实施方案", [Department.DEVELOPMENT]),
    (12, "电商扶贫实施方案", [Department.DEVELOPMENT]),
    (13, "光伏扶贫实施方案", [Department.DEVELOPMENT, Department.FINANCE]),
    (14, "扶贫资金监督管理办法", [Department.FINANCE, Department.AUDIT]),
    (15, "驻村第一书记和工作队管理办法", [Department.ORGANISATION]),
    (16, "脱贫攻坚责任考评和问责办法", [Department.ORGANISATION, Department.SUPERVISION]),
]


@transaction.atomic
def seed(*, stdout) -> None:
    city = Region.objects.filter(code=CITY).first()
    admin = User.objects.filter(username="admin").first()
    if city is None or admin is None:
        stdout.write("policies: core demo data missing, skipped")
        return
    rng = random.Random(20170412)
    year = timezone.localdate().year
    today = timezone.localdate()
    city_units = {u.department: u for u in Unit.objects.filter(region=city, kind=UnitKind.DEPARTMENT)}
    counties = list(Region.objects.filter(level="county", code__startswith="4108").order_by("code"))
    governments = {u.region_id: u for u in Unit.objects.filter(kind=UnitKind.GOVERNMENT, region__in=counties)}
    created = 0
    for number, title, departments in POLICIES:
        policy, _new = Policy.objects.get_or_create(
            region=city, system=SYSTEM, number=number,
            defaults={
                "kind": PolicyKind.MAIN if number == 0 else PolicyKind.SUPPORTING, "title": title,
                "document_number": f"焦发〔2016〕{number + 1}号" if number == 0 else f"焦政办〔2016〕{number + 20}号",
                "issued_on": dt.date(2016, 3, 1) + dt.timedelta(days=number * 3),
            },
        )  # fmt: skip
        policy.departments.add(*[city_units[d] for d in departments if d in city_units])
        for county in counties:
            unit = governments.get(county.code)
            if unit is None:
                continue
            deadline = dt.date(year, 1 + (number % 12), 28)
            task, new = PolicyTask.objects.get_or_create(
                policy=policy, recipient=unit,
                defaults={"region_id": county.code, "deadline": deadline,
                          "requirement": f"{county.name}出台《{title}》的县级配套实施办法并报市脱贫攻坚领导小组办公室备案"},
            )  # fmt: skip
            created += new
            if new:
                record_created(task, actor=admin)
            # Some tasks are implemented (a link to the county's published document), the rest pending.
            if new and rng.random() < 0.55 and deadline <= today + dt.timedelta(days=60):
                evidence = PolicyEvidence.objects.create(
                    task=task, title=f"{county.name}《{title}》配套办法", uploaded_by=admin,
                    url=f"https://www.jiaozuo.gov.cn/policies/{county.code[:6]}/{number}",
                )  # fmt: skip
                transition(
                    task,
                    TaskStatus.IMPLEMENTED,
                    actor=admin,
                    note=evidence.title,
                    updates={"implemented_at": timezone.now()},
                )
    stdout.write(f"policies: {len(POLICIES)} policies of {SYSTEM}, {created} new county tasks")
