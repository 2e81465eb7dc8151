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
