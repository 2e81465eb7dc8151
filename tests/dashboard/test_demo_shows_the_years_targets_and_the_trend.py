"""The demo shows issue 18.5 and 19.11 (households.demo_targets, inspections.demo_trend): this year's
targets of the city and its counties with progress short of them, last year's reported results (15,000
people, 48 villages) labelled as recorded, and six months of survey answers whose recognition and
satisfaction rise from the baseline month — on the leaders' pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from households.demo_targets import seed_targets
from households.models import (
    CaseState,
    ExitTarget,
    HouseholdStatus,
    ProcedureCase,
    ProcedureCaseStatusChange,
    ProcedureKind,
)
from inspections.demo_trend import seed_survey_trend
from tests.conftest import CITY, make_user
from tests.factories.households import HouseholdFactory, MemberFactory, first_village
from tests.factories.inspections import inspection_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(regions):
    admin = make_user(Role.ADMIN, CITY, username="admin", is_superuser=True)
    inspector = make_user(Role.INSPECTOR, CITY, username="inspector")
    inspection_group()
    for county in ("410821", "410822"):
        village = first_village(county)
        for _ in range(60):
            HouseholdFactory(village=village)
    for _ in range(3):  # exits completed this year in 修武县
        household = HouseholdFactory(village=first_village("410821"), status=HouseholdStatus.EXITED)
        MemberFactory(household=household)
        case = ProcedureCase.objects.create(
            household=household, kind=ProcedureKind.EXIT, started_by=admin, state=CaseState.COMPLETED
        )
        ProcedureCaseStatusChange.objects.create(case=case, from_status="open", to_status="completed")
    return admin, inspector


def test_the_demo_shows_targets_with_progress_and_a_rising_trend(client, demo_world):
    seed_survey_trend(stdout=io.StringIO())
    seed_survey_trend(stdout=io.StringIO())  # idempotent
    seed_targets(stdout=io.StringIO())
    seed_targets(stdout=io.StringIO())
    year = timezone.localdate().year
    assert ExitTarget.objects.filter(year=year).count() >= 3  # the city and its counties

    client.force_login(make_user(Role.LEADER, CITY, username="leader_demo"))
    page = client.get(reverse("dashboard:targets"))
    current, previous = page.context["current"], page.context["previous"]
    assert current.achieved["households"] == 3
    assert 0 < current.share("households") < 1
    assert (previous.recorded_of("people"), previous.recorded_of("villages")) == (15000, 48)
    assert "1.5万" in page.content.decode()

    this_month = timezone.localdate().replace(day=1)
    trend = client.get(reverse("dashboard:trend"), {"month": f"{this_month - dt.timedelta(days=1):%Y-%m}"})
    months = [m for m in trend.context["t"]["months"] if m["n"]]
    assert len(months) == 6
    assert {m["n"] for m in months} == {20}  # two counties, ten households each
    assert trend.context["t"]["baseline"].month == months[0]["month"]
    rates = [m["recognition"].rate for m in months]
    assert rates == sorted(rates)
    assert rates[-1] > rates[0]
    assert months[-1]["satisfaction_points"] > 0
