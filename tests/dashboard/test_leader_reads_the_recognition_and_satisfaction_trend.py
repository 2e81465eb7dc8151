"""Issue 19.11 as a city leader: recognition and satisfaction month by month against a baseline, with
sample sizes. The data set is built by hand and its rates are stated here, not recomputed:

- January: 4 households surveyed, 2 recognise (50%), 1 satisfied (25%) — the baseline;
- February: nobody surveyed (no rate, sample 0);
- March: 5 surveyed, 4 recognise (80%, +30 points), 4 satisfied (80%, +55 points);
- a draft visit's answers in March do not count (its visit is not filed);
- 博爱县: 1 surveyed in March, not recognising, dissatisfied (city March: 4/6 and 4/6).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from inspections.models import ReportStatus, SurveyResponse
from tests.factories.core import UserFactory
from tests.factories.households import HouseholdFactory, first_village
from tests.factories.inspections import VisitReportFactory

pytestmark = pytest.mark.django_db

XIUWU, BOAI = "410821000000", "410822000000"
YEAR = 2026


def answers(visit_date, rows, *, county=XIUWU, status=ReportStatus.FILED):
    village = first_village(county[:6])
    filed_at = timezone.now() if status == ReportStatus.FILED else None
    report = VisitReportFactory(county_id=county, visit_date=visit_date, status=status, filed_at=filed_at)
    recorder = UserFactory(roles=[Role.INSPECTOR], region_id="410800000000")
    for recognises, satisfaction in rows:
        SurveyResponse.objects.create(
            report=report, household=HouseholdFactory(village=village), village=village, result="exit",
            recognises=recognises, satisfaction=satisfaction, answered_on=visit_date, recorded_by=recorder,
        )  # fmt: skip


@pytest.fixture
def surveys(regions):
    answers(dt.date(YEAR, 1, 12), [(True, "very_satisfied"), (True, "neutral"), (False, "dissatisfied"),
                                   (False, "neutral")])  # fmt: skip
    answers(dt.date(YEAR, 3, 3), [(True, "satisfied"), (True, "very_satisfied"), (True, "satisfied"),
                                  (False, "satisfied"), (True, "dissatisfied")])  # fmt: skip
    answers(dt.date(YEAR, 3, 20), [(False, "dissatisfied")] * 3, status=ReportStatus.DRAFT)
    answers(dt.date(YEAR, 3, 9), [(False, "dissatisfied")], county=BOAI)


def month_rows(response):
    return {f"{m['month']:%Y-%m}": m for m in response.context["t"]["months"]}


def test_leader_reads_the_county_trend_against_the_baseline(client, leader, surveys):
    client.force_login(leader)
    response = client.get(reverse("dashboard:trend_region", args=[XIUWU]), {"month": f"{YEAR}-03"})
    assert response.status_code == 200
    rows = month_rows(response)
    assert list(rows)[-3:] == [f"{YEAR}-01", f"{YEAR}-02", f"{YEAR}-03"]
    jan, feb, mar = rows[f"{YEAR}-01"], rows[f"{YEAR}-02"], rows[f"{YEAR}-03"]
    assert (jan["n"], jan["recognition"].rate, jan["satisfaction"].rate) == (4, 0.5, 0.25)
    assert (feb["n"], feb["recognition"].rate) == (0, None)
    assert (mar["n"], mar["recognition"].rate, mar["satisfaction"].rate) == (5, 0.8, 0.8)
    assert (mar["recognition_points"], mar["satisfaction_points"]) == (30.0, 55.0)
    assert response.context["t"]["baseline"].month == dt.date(YEAR, 1, 1)
    body = response.content.decode()
    assert "80.0%" in body
    assert "+55.0" in body
    chart = response.context["chart"]
    assert chart["recognition"][-3:] == [50.0, None, 80.0]
    assert chart["n"][-3:] == [4, 0, 5]
    assert chart["labels"]["rate_axis"]


def test_the_city_trend_adds_the_counties_and_a_chosen_baseline_moves_the_comparison(client, leader, surveys):
    client.force_login(leader)
    response = client.get(reverse("dashboard:trend"), {"month": f"{YEAR}-03", "baseline": f"{YEAR}-03"})
    mar = month_rows(response)[f"{YEAR}-03"]
    assert (mar["n"], mar["recognition"].part, mar["satisfaction"].part) == (6, 4, 4)
    assert mar["recognition_points"] == 0.0
    assert month_rows(response)[f"{YEAR}-01"]["recognition_points"] == round((0.5 - 4 / 6) * 100, 1)


def test_the_api_gives_the_trend_with_sample_sizes(api_as, leader, surveys):
    data = (
        api_as(leader)
        .get("/api/v1/dashboard/survey-trend/", {"region": XIUWU, "month": f"{YEAR}-03", "months": 3})
        .json()
    )
    assert data["baseline"]["month"] == f"{YEAR}-01-01"
    last = data["months"][-1]
    assert (last["n"], last["recognition"], last["satisfaction_points"]) == (
        5, {"part": 4, "whole": 5, "rate": 0.8}, 55.0,
    )  # fmt: skip


def test_a_county_reader_reads_their_county_only(client, persona, surveys):
    clerk = persona(Role.COUNTY_CLERK, BOAI)
    client.force_login(clerk)
    response = client.get(reverse("dashboard:trend"), {"month": f"{YEAR}-03"})
    assert month_rows(response)[f"{YEAR}-03"]["n"] == 1
    assert client.get(reverse("dashboard:trend_region", args=[XIUWU])).status_code == 404
