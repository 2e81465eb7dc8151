"""Personas of the inspections tests: a city inspector, the inspected county's clerk (clerk),
another county's clerk (other_clerk), a leader; households in 修武县 villages to draw from."""

import pytest

from core.models import Region
from tests.factories.households import HouseholdFactory
from tests.factories.inspections import county_office, inspection_group, inspector_user


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def group(regions):
    return inspection_group("一")


@pytest.fixture
def inspector(group):
    return inspector_user(group, username="inspector_city")


@pytest.fixture
def xiuwu_office(regions):
    return county_office("410821000000")


@pytest.fixture
def boai_office(regions):
    return county_office("410822000000")


@pytest.fixture
def xiuwu_villages(regions):
    return list(Region.objects.filter(code__startswith="410821", level="village").order_by("code"))


@pytest.fixture
def xiuwu_households(xiuwu_villages):
    """Two households in every village of 修武县, so every drawn village has households to draw."""
    return [HouseholdFactory(village=village) for village in xiuwu_villages for _ in range(2)]
