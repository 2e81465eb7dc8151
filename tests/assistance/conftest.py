import pytest

from core.models import Role
from tests.conftest import XIUWU
from tests.factories.households import HouseholdFactory


@pytest.fixture
def assist(persona):
    """Assistance officer (帮扶责任人) of 修武县."""
    return persona(Role.ASSISTANCE_OFFICER, XIUWU, username="assist_xiuwu")


@pytest.fixture
def household(xiuwu_village):
    """A registered household of 修武县 poor through illness (main), lack of skills and lack of funds."""
    return HouseholdFactory(
        village=xiuwu_village, main_cause="illness", secondary_causes=["lack_skills", "lack_funds"]
    )


@pytest.fixture
def boai_household(boai_village):
    return HouseholdFactory(village=boai_village, main_cause="disability")


@pytest.fixture
def two_xiuwu_villages(regions):
    from core.models import Region

    return list(Region.objects.filter(code__startswith="410821", level="village").order_by("code")[:2])


@pytest.fixture
def secretary(persona, two_xiuwu_villages):
    """A first secretary of 修武县 whose current team serves the first of two villages."""
    from tests.factories.assistance import VillageTeamFactory

    team = VillageTeamFactory(villages=[two_xiuwu_villages[0]])
    user = persona(Role.FIRST_SECRETARY, XIUWU, username="secretary_xiuwu")
    user.officer = team.first_secretary
    user.save()
    user.team = team
    return user
