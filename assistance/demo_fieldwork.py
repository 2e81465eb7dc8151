"""Demo data of the work in the villages (issue 18.1–18.3): a responsible officer for every
household to assist (none left without), the demo user `assist` linked to one of them, visits —
most recent, some overdue — the demo teams' days in the village last month and this month (one
first secretary short of the required days), and 修武县's rules. Running it twice adds nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from django.db.models import Count
from django.utils import timezone

from core.audit import actor_context
from core.models import Officer, Region, Unit, UnitKind, User
from households.models import Household

from .models import FieldworkSettings, PresenceDay, Satisfaction, TeamMember, VillageTeam, Visit
from .selectors import NEEDS_PLAN_STATUSES

DEMO_COUNTY = "410821"
# One household in this many of 修武县 was last visited long ago: overdue on the work list.
OVERDUE_EVERY = 13
ACTIVITIES = [
    ("了解家庭收入和务工情况，宣讲小额信贷政策", "希望能贷款扩大养殖", Satisfaction.SATISFIED),
    ("核实医疗报销到位情况，送去慢病卡", "看病报销比以前方便多了", Satisfaction.SATISFIED),
    ("检查危房改造进度，督促施工队按期完工", "房子快修好了，盼着早点住进去", Satisfaction.FAIRLY),
    ("了解孩子上学和雨露计划补助发放情况", "补助已经收到", Satisfaction.SATISFIED),
    ("帮助联系县产业集聚区岗位", "工资不高，想再看看", Satisfaction.DISSATISFIED),
]


def _key(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def _unit_of(county: Region) -> Unit:
    unit = (
        Unit.objects.filter(region__code__startswith=county.prefix, kind=UnitKind.POVERTY_OFFICE)
        .order_by("id")
        .first()
    )
    unit = unit or Unit.objects.filter(region__code__startswith=county.prefix).order_by("id").first()
    if unit is None:
        unit, _ = Unit.objects.get_or_create(
            region=county, name=f"{county.name}扶贫开发办公室", defaults={"kind": UnitKind.POVERTY_OFFICE}
        )
    return unit


def _officers_of(township: Region, unit: Unit, n: int) -> list[Officer]:
    """The township's demo responsible officers (帮扶责任人), made once."""
    have = list(Officer.objects.filter(region=township, position="帮扶责任人").order_by("id"))
    for i in range(len(have), n):
        have.append(
            Officer.objects.create(
                name=f"{township.name[:2]}帮扶干部{i + 1}", position="帮扶责任人", unit=unit, region=township
            )
        )
    return have


def assign_officers(actor: User | None) -> int:
    """Every household to assist without an officer gets one of its township's (about 25 each).
    The history rows are written by the database (migration 0009)."""
    missing = (
        Household.objects.filter(status__in=NEEDS_PLAN_STATUSES, assistance_officer__isnull=True)
        .order_by()
        .values("village__parent_id")
        .annotate(n=Count("pk"))
    )
    done = 0
    for row in missing:
        township = Region.objects.select_related("parent").get(code=row["village__parent_id"])
        total = Household.objects.filter(village__parent=township, status__in=NEEDS_PLAN_STATUSES).count()
        officers = _officers_of(township, _unit_of(township.parent), max(1, -(-total // 25)))
        pks = list(
            Household.objects.filter(
                village__parent=township, status__in=NEEDS_PLAN_STATUSES, assistance_officer__isnull=True
            ).order_by("village_id", "file_number").values_list("pk", flat=True)
        )  # fmt: skip
        with actor_context(actor):
            for i, officer in enumerate(officers):
                part = pks[i :: len(officers)]
                if part:
                    Household.objects.filter(pk__in=part).update(assistance_officer=officer)
        done += len(pks)
    return done


def _link_assist_user() -> User | None:
    """The demo responsible officer `assist` logs in as the officer of the first 修武县 household."""
    user = User.objects.filter(username="assist").first()
    if user is None:
        return None
    if user.officer_id is None:
        first = (
            Household.objects.filter(village__code__startswith=DEMO_COUNTY, status__in=NEEDS_PLAN_STATUSES)
            .exclude(assistance_officer__isnull=True)
            .exclude(assistance_officer__user__isnull=False)
            .order_by("village_id", "file_number")
            .first()
        )
        if first is None:
            return user
        user.officer_id = first.assistance_officer_id
        user.save(update_fields=["officer"])
    return user


def visits(actor: User | None, today: dt.date) -> int:
    """One visit per 修武县 household to assist: recent, except every 13th (visited 60 days ago)."""
    assist = _link_assist_user()
    rows = list(
        Household.objects.filter(village__code__startswith=DEMO_COUNTY, status__in=NEEDS_PLAN_STATUSES)
        .exclude(assistance_officer__isnull=True)
        .order_by("village_id", "file_number")
        .values_list("pk", "file_number", "assistance_officer_id")
    )
    new = []
    for pk, file_number, officer_id in rows:
        client = uuid.uuid5(uuid.NAMESPACE_URL, f"fupin-demo-visit-{pk}")
        key = _key(file_number)
        overdue = key % OVERDUE_EVERY == 0
        activities, said, satisfaction = ACTIVITIES[key % len(ACTIVITIES)]
        recorder = assist if assist is not None and assist.officer_id == officer_id else actor
        new.append(
            Visit(
                client_uuid=client, household_id=pk, officer_id=officer_id,
                visited_on=today - dt.timedelta(days=60 if overdue else 1 + key % 20),
                activities=activities, household_said=said, satisfaction=satisfaction, recorded_by=recorder,
            )
        )  # fmt: skip
    with actor_context(actor):
        made = Visit.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    return len(made)


def presence(actor: User | None, today: dt.date) -> int:
    """The demo teams' days: last month and this month so far, 22 days each, but the second team's
    first secretary only 12 last month (absent: 8 days short of 20)."""
    teams = list(
        VillageTeam.objects.filter(served__village__code__startswith=DEMO_COUNTY)
        .distinct()
        .prefetch_related("served")
    )
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    new = []
    for t_index, team in enumerate(sorted(teams, key=lambda t: t.pk)):
        village = team.served.order_by("village_id").first()
        if village is None:
            continue
        people = [
            team.first_secretary_id,
            *list(TeamMember.objects.filter(team=team).values_list("officer_id", flat=True)),
        ]
        for officer_id in dict.fromkeys(people):
            for month in (last_month, this_month):
                days = (
                    12
                    if (t_index == 1 and month == last_month and officer_id == team.first_secretary_id)
                    else 22
                )
                d = month
                count = 0
                while count < days and d.month == month.month and d <= today:
                    if d.weekday() < 6 and d >= team.start_date:
                        new.append(
                            PresenceDay(
                                client_uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"fupin-demo-presence-{officer_id}-{d}"),
                                team=team, officer_id=officer_id, village_id=village.village_id, day=d,
                                note="入户走访，召开村两委会议", recorded_by=actor,
                            )
                        )  # fmt: skip
                        count += 1
                    d += dt.timedelta(days=1)
    with actor_context(actor):
        made = PresenceDay.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    return len(made)


def seed(*, stdout, actor: User | None) -> None:
    if actor is None:
        return
    today = timezone.localdate()
    FieldworkSettings.objects.get_or_create(
        region_id=f"{DEMO_COUNTY}000000", defaults={"visit_interval_days": 30, "presence_days_required": 20}
    )
    assigned = assign_officers(actor)
    made = visits(actor, today)
    days = presence(actor, today)
    stdout.write(
        f"responsible officers given to {assigned} households; {made} visits, {days} days in the village"
    )
