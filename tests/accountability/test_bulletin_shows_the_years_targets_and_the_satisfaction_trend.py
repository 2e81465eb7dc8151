"""一月一通报 carries the year's targets (issue 18.5) and the recognition and satisfaction trend (issue
19.11), as the supervision group publishes it and a leader reads it: page and .xlsx. The data set is
built by hand and its figures stated here:

- 修武县's target for the year: 4 households, 10 people, 2 villages; the city's: 8 households;
- exits completed in January (2 people) and March (3 people); one in April, after the March bulletin;
- one poor village of 修武县 exited with this year; last year the city recorded 15,000 people and 48
  villages (its report), while the register counts one household (4 people) for that year;
- surveys: January 2 answers (1 recognises, 1 satisfied: 50%, 50%), March 4 (4 recognise, 3 satisfied:
  100%, 75%) — March is +50.0 and +25.0 points against the January baseline.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accountability.services.bulletin import bulletin_generate
from accountability.xlsx import bulletin_workbook
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
from inspections.models import ReportStatus, SurveyResponse
from tests.conftest import CITY
from tests.factories.core import UserFactory
from tests.factories.households import HouseholdFactory, MemberFactory, first_village
from tests.factories.inspections import VisitReportFactory

pytestmark = pytest.mark.django_db

XIUWU = "410821000000"
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
YEAR = timezone.localdate().year - 1  # a complete year, whatever today is
MONTH = dt.date(YEAR, 3, 1)


def exit_completed(village, members: int, at: dt.datetime):
    household = HouseholdFactory(village=village, status=HouseholdStatus.EXITED)
    for i in range(members):
        MemberFactory(household=household, relation="head" if i == 0 else "son")
    case = ProcedureCase.objects.create(
        household=household, kind=ProcedureKind.EXIT, started_by=UserFactory(), state=CaseState.COMPLETED
    )
    ProcedureCaseStatusChange.objects.create(case=case, from_status="open", to_status="completed", at=at)


def surveyed(day: dt.date, rows):
    village = first_village("410821")
    report = VisitReportFactory(visit_date=day, status=ReportStatus.FILED, filed_at=timezone.now())
    for recognises, satisfaction in rows:
        SurveyResponse.objects.create(
            report=report, household=HouseholdFactory(village=village), village=village, result="exit",
            recognises=recognises, satisfaction=satisfaction, answered_on=day, recorded_by=report.author,
        )  # fmt: skip


@pytest.fixture
def month_data(regions, admin_user):
    village = first_village("410821")
    exit_completed(village, 2, dt.datetime(YEAR, 1, 20, 10, tzinfo=TZ))
    exit_completed(village, 3, dt.datetime(YEAR, 3, 31, 23, tzinfo=TZ))  # still March in Shanghai
    exit_completed(village, 1, dt.datetime(YEAR, 4, 2, 10, tzinfo=TZ))
    exit_completed(village, 4, dt.datetime(YEAR - 1, 6, 1, 10, tzinfo=TZ))
    poor = Region.objects.filter(code__startswith="410821", level="village").order_by("code")[1]
    PoorVillage.objects.create(village=poor, identified_year=2014, status="exited", exit_year=YEAR)
    ExitTarget.objects.create(
        region_id=XIUWU, year=YEAR, households=4, people=10, villages=2, recorded_by=admin_user
    )
    ExitTarget.objects.create(region_id=CITY, year=YEAR, households=8, recorded_by=admin_user)
    ExitTarget.objects.create(
        region_id=CITY, year=YEAR - 1, achieved_people=15000, achieved_villages=48,
        achieved_source="市第三次推进会报告", recorded_by=admin_user,
    )  # fmt: skip
    surveyed(dt.date(YEAR, 1, 15), [(True, "satisfied"), (False, "neutral")])
    surveyed(dt.date(YEAR, 3, 10), [(True, "satisfied"), (True, "very_satisfied"), (True, "satisfied"),
                                    (True, "dissatisfied")])  # fmt: skip


def test_the_bulletin_shows_progress_against_the_years_targets_and_the_trend(client, persona, month_data):
    bulletin, _created = bulletin_generate(region=Region.objects.get(code=CITY), month=MONTH)
    targets = bulletin.content["year_targets"]
    lines = {line["key"]: line for line in targets["current"]["lines"]}
    assert (lines["households"]["achieved"], lines["households"]["target"]) == (2, 8)
    assert lines["people"]["achieved"] == 5
    assert lines["villages"]["achieved"] == 1
    xiuwu = next(c for c in targets["current"]["counties"] if c["code"] == XIUWU)
    assert {line["key"]: (line["achieved"], line["target"]) for line in xiuwu["lines"]} == {
        "people": (5, 10), "households": (2, 4), "villages": (1, 2),
    }  # fmt: skip
    previous = {line["key"]: (line["achieved"], line["recorded"]) for line in targets["previous"]["lines"]}
    assert previous == {"people": (4, 15000), "households": (1, None), "villages": (0, 48)}

    trend = bulletin.content["survey_trend"]
    assert trend["baseline"]["month"] == f"{YEAR}-01-01"
    march = trend["months"][-1]
    assert (march["n"], march["recognition"]["rate"], march["satisfaction"]["rate"]) == (4, 1.0, 0.75)
    assert (march["recognition_points"], march["satisfaction_points"]) == (50.0, 25.0)
    assert trend["months"][-2]["n"] == 0

    client.force_login(persona(Role.LEADER, CITY))
    page = client.get(reverse("accountability:bulletin_detail", args=[bulletin.pk])).content.decode()
    assert 'id="year-targets"' in page
    assert 'id="survey-trend"' in page
    assert "市第三次推进会报告" in page
    assert "+25.0" in page
    book = load_workbook(BytesIO(bulletin_workbook(bulletin)))
    values = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert 15000 in values
    assert 25.0 in values
