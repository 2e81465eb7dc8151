"""In a browser, as a city leader: the year's targets with progress, a click down to the households
counted, and the recognition and satisfaction chart drawn with its axes' units (issues 18.5, 19.11)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from core.models import Role
from households.models import (
    CaseState,
    ExitTarget,
    HouseholdStatus,
    ProcedureCase,
    ProcedureCaseStatusChange,
    ProcedureKind,
)
from inspections.models import ReportStatus, SurveyResponse
from tests.conftest import CITY, make_user
from tests.factories.households import HouseholdFactory, first_village
from tests.factories.inspections import VisitReportFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_leader_reads_targets_drills_down_and_sees_the_trend_chart(
    page, live_server, regions, login, screenshot
):
    leader = make_user(Role.LEADER, CITY, username="leader_e2e")
    admin = make_user(Role.ADMIN, CITY, username="admin_e2e", is_superuser=True)
    village = first_village("410821")
    household = HouseholdFactory(village=village, head_name="脱贫户甲", status=HouseholdStatus.EXITED)
    case = ProcedureCase.objects.create(
        household=household, kind=ProcedureKind.EXIT, started_by=admin, state=CaseState.COMPLETED
    )
    ProcedureCaseStatusChange.objects.create(case=case, from_status="open", to_status="completed")
    ExitTarget.objects.create(region_id=CITY, year=timezone.localdate().year, households=4, recorded_by=admin)
    this_month = timezone.localdate().replace(day=1)
    for k, recognised in ((2, 1), (1, 2)):
        day = (this_month - dt.timedelta(days=28 * k)).replace(day=5)
        report = VisitReportFactory(visit_date=day, status=ReportStatus.FILED, filed_at=timezone.now())
        for i in range(2):
            SurveyResponse.objects.create(
                report=report, household=HouseholdFactory(village=village), village=village, result="exit",
                recognises=i < recognised, satisfaction="satisfied", answered_on=day, recorded_by=report.author,
            )  # fmt: skip

    login(page, leader.username, "Pass-word-123")
    page.goto(f"{live_server.url}/dashboard/")
    page.click("text=年度目标完成进度")
    page.wait_for_selector("#progress")
    assert "25.0%" in page.locator("#progress").inner_text()
    page.wait_for_selector("#chart-targets svg")
    assert "户数（户）" in page.locator("#chart-targets svg").inner_html()
    screenshot(page, "dashboard_targets")
    page.click("#progress tr[data-figure='households'] a[data-achieved]")
    page.wait_for_url(re.compile(r".*/dashboard/targets/410800000000/rows/households/\?year=\d{4}$"))
    assert "脱贫户甲" in page.locator("#rows").inner_text()

    page.goto(f"{live_server.url}/dashboard/trend/")
    page.wait_for_selector("#chart-survey-trend svg")
    drawn = page.locator("#chart-survey-trend svg").inner_html()
    assert "比率（%）" in drawn
    assert "受访户数" in drawn
    assert "户数（户）" in drawn  # the sample-size axis in households
    assert "100%" in drawn  # the rate axis in per cent
    screenshot(page, "dashboard_survey_trend")
