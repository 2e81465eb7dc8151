"""A work team touches the regions of its unit and officers, not only of its villages (issue 15.4):
the API took any unit and officer, so a 修武县 clerk could make a 博爱县 officer the first secretary
of a 修武县 team. Units and officers of the clerk's region or a region above it only."""

import datetime as dt

import pytest

from assistance.services import team_create
from core.exceptions import DomainError
from core.models import Region
from tests.factories.core import OfficerFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_a_clerk_cannot_put_another_countys_unit_or_officer_on_a_team(clerk, xiuwu_village):
    boai = Region.objects.get(code="410822000000")
    boai_unit = UnitFactory(region=boai, name="博爱县某局")
    boai_officer = OfficerFactory(unit=boai_unit)
    city_unit = UnitFactory(region=Region.objects.get(code="410800000000"), name="焦作市某局")
    city_officer = OfficerFactory(unit=city_unit)
    start = dt.date(2017, 3, 1)
    for unit, secretary, members, field in (
        (boai_unit, city_officer, [], "dispatching_unit"),
        (city_unit, boai_officer, [], "first_secretary"),
        (city_unit, city_officer, [boai_officer], "members"),
    ):
        with pytest.raises(DomainError) as refused:
            team_create(
                actor=clerk, name="工作队", dispatching_unit=unit, first_secretary=secretary,
                villages=[xiuwu_village], members=members, start_date=start,
            )  # fmt: skip
        assert refused.value.field == field
    # A city department's team with a city officer is what the form offers: accepted.
    team = team_create(
        actor=clerk, name="市直工作队", dispatching_unit=city_unit, first_secretary=city_officer,
        villages=[xiuwu_village], start_date=start,
    )  # fmt: skip
    assert team.pk
