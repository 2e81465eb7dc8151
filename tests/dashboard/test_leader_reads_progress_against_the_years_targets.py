"""Issue 18.5 as a city leader: this year's targets beside what the register counts, by county, with
last year's reported results labelled as recorded — and the drill-down to the rows counted. The counts
below are the data set's, stated by hand."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Region, Role
from households.models import (
    CaseState,
    ExitTarget,
    HouseholdStatus,
    PoorVillage,
    ProcedureCase,
    ProcedureCaseStatusChange,
    ProcedureKind,
)
from tests.factories.core import UserFactory
from tests.factories.households import HouseholdFactory, MemberFactory, first_village

pytestmark = pytest.mark.django_db

XIUWU, BOAI, CITY = "410821000000", "410822000000", "410800000000"
YEAR = timezone.localdate().year
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def exited(village, *, members: int, at: dt.datetime, name: str, completed: bool = True):
    household = HouseholdFactory(village=village, head_name=name, status=HouseholdStatus.EXITED)
    for i in range(members):
        MemberFactory(household=household, relation="head" if i == 0 else "son")
    user = UserFactory()
    case = ProcedureCase.objects.create(
        household=household, kind=ProcedureKind.EXIT, started_by=user,
        state=CaseState.COMPLETED if completed else CaseState.OPEN,
    )  # fmt: skip
    ProcedureCaseStatusChange.objects.create(
        case=case, from_status="", to_status="open", at=at - dt.timedelta(days=30)
    )
    if completed:
        ProcedureCaseStatusChange.objects.create(case=case, from_status="open", to_status="completed", at=at)
    return household


@pytest.fixture
def year_data(regions, admin_user):
    xiuwu, boai = first_village("410821"), first_village("410822")
    this_year = dt.datetime(YEAR, 3, 10, 9, tzinfo=TZ)
    # 修武县: 2 households exited this year (3 + 2 people), 1 last year, 1 exit still open.
    exited(xiuwu, members=3, at=this_year, name="今年甲")
    exited(
        xiuwu, members=2, at=dt.datetime(YEAR, 1, 1, 0, 30, tzinfo=TZ), name="今年乙"
    )  # Jan 1st in Shanghai
    exited(xiuwu, members=4, at=dt.datetime(YEAR - 1, 12, 31, 23, tzinfo=TZ), name="去年丙")
    exited(xiuwu, members=1, at=this_year, name="未完丁", completed=False)
    # 博爱县: 1 household (1 person) this year.
    exited(boai, members=1, at=this_year, name="博爱戊")
    villages = list(Region.objects.filter(code__startswith="410821", level="village").order_by("code")[:3])
    PoorVillage.objects.create(village=villages[0], identified_year=2014, status="exited", exit_year=YEAR)
    PoorVillage.objects.create(village=villages[1], identified_year=2014, status="exited", exit_year=YEAR - 1)
    PoorVillage.objects.create(village=villages[2], identified_year=2014)
    ExitTarget.objects.create(
        region_id=XIUWU, year=YEAR, people=10, households=4, villages=2, recorded_by=admin_user
    )
    ExitTarget.objects.create(
        region_id=CITY, year=YEAR, people=20, households=8, villages=5, recorded_by=admin_user
    )
    ExitTarget.objects.create(
        region_id=CITY, year=YEAR - 1, achieved_people=15000, achieved_villages=48,
        achieved_source="市第三次推进会报告", recorded_by=admin_user,
    )  # fmt: skip
    return villages


def test_leader_reads_progress_by_county_and_last_years_recorded_results(client, leader, year_data):
    client.force_login(leader)
    response = client.get(reverse("dashboard:targets"))
    assert response.status_code == 200
    current = response.context["current"]
    assert current.region.code == CITY
    assert current.achieved == {"households": 3, "people": 6, "villages": 1}
    assert (current.target_of("people"), current.share("people")) == (20, 6 / 20)
    by_county = {c.region.code: c for c in current.counties}
    assert by_county[XIUWU].achieved == {"households": 2, "people": 5, "villages": 1}
    assert by_county[XIUWU].share("households") == 0.5
    assert by_county[BOAI].achieved == {"households": 1, "people": 1, "villages": 0}
    assert by_county[BOAI].target is None
    previous = response.context["previous"]
    assert previous.achieved == {"households": 1, "people": 4, "villages": 1}
    assert (previous.recorded_of("people"), previous.recorded_of("villages")) == (15000, 48)
    body = response.content.decode()
    assert "15000" in body
    assert "市第三次推进会报告" in body


def test_leader_drills_down_to_the_households_and_villages_counted(client, leader, year_data):
    client.force_login(leader)
    page = client.get(reverse("dashboard:target_rows", args=[XIUWU, "households"]), {"year": YEAR})
    assert sorted(h.head_name for h in page.context["page"]) == ["今年乙", "今年甲"]
    last = client.get(reverse("dashboard:target_rows", args=[XIUWU, "households"]), {"year": YEAR - 1})
    assert [h.head_name for h in last.context["page"]] == ["去年丙"]
    villages = client.get(reverse("dashboard:target_rows", args=[CITY, "villages"]), {"year": YEAR})
    assert [v.village_id for v in villages.context["page"]] == [year_data[0].code]
    assert client.get(reverse("dashboard:target_rows", args=[XIUWU, "nope"])).status_code == 404


def test_a_county_reader_sees_their_county_only(client, api_as, persona, year_data):
    clerk = persona(Role.COUNTY_CLERK, BOAI)
    client.force_login(clerk)
    own = client.get(reverse("dashboard:targets"))
    assert own.context["current"].region.code == BOAI
    assert own.context["current"].achieved["households"] == 1
    assert client.get(reverse("dashboard:targets_region", args=[XIUWU])).status_code == 404
    assert client.get(reverse("dashboard:target_rows", args=[XIUWU, "households"])).status_code == 404
    assert api_as(clerk).get("/api/v1/dashboard/targets/", {"region": CITY}).status_code == 404


def test_the_api_gives_the_same_progress(api_as, leader, year_data):
    data = api_as(leader).get("/api/v1/dashboard/targets/", {"region": XIUWU}).json()
    lines = {line["key"]: line for line in data["current"]["lines"]}
    assert (lines["households"]["achieved"], lines["households"]["target"]) == (2, 4)
    assert lines["villages"]["share"] == 0.5
    city = api_as(leader).get("/api/v1/dashboard/targets/").json()
    recorded = {line["key"]: line["recorded"] for line in city["previous"]["lines"]}
    assert recorded == {"people": 15000, "households": None, "villages": 48}
    assert city["previous"]["recorded_source"] == "市第三次推进会报告"
