"""The demo shows issue 18.4 and 18.6 (households.demo_villages): a 修武县 village that exited this
year and another in its public notice, and 城关镇 signed off for last month by its township officer
with a household changed afterwards — on the village list and the next sign-off page."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Region, Role
from households.demo_villages import DEMO_TOWNSHIP, seed_village_exit_and_signoff
from households.models import (
    CaseState,
    PoorVillage,
    PoorVillageStatus,
    Step,
    TownshipSignOff,
    VillageExitCase,
)
from households.selectors.signoffs import changes_after
from tests.conftest import XIUWU, make_user
from tests.factories.households import HouseholdFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_village_exit_in_notice_and_a_signed_off_township_with_a_later_change(client, regions):
    clerk = make_user(Role.COUNTY_CLERK, XIUWU, username="clerk")
    officer = make_user(Role.TOWNSHIP_OFFICER, DEMO_TOWNSHIP, username="township")
    villages = list(Region.objects.filter(parent_id=DEMO_TOWNSHIP).order_by("code")[:2])
    for village in villages:
        PoorVillage.objects.create(village=village, identified_year=2014)
        MemberFactory(household=HouseholdFactory(village=village))

    seed_village_exit_and_signoff(stdout=io.StringIO())

    today = timezone.localdate()
    exited, in_notice = (PoorVillage.objects.get(pk=v.code) for v in villages)
    assert (exited.status, exited.exit_year) == (PoorVillageStatus.EXITED, today.year)
    case = VillageExitCase.objects.get(poor_village=in_notice)
    assert (case.state, case.last_step) == (CaseState.OPEN, Step.EXIT_NOTICE)
    assert case.notice_start <= today <= case.notice_end
    client.force_login(clerk)
    listing = client.get(reverse("households:villages")).content.decode()
    assert "公示至" in listing
    assert "已完成" in listing

    signoff = TownshipSignOff.objects.get()
    assert signoff.township_id == DEMO_TOWNSHIP
    assert signoff.signed_by == officer
    assert signoff.month < today.replace(day=1)
    changed = list(changes_after(signoff=signoff))
    assert len(changed) == 1
    client.force_login(officer)
    page = client.get(reverse("households:signoff_township", args=[DEMO_TOWNSHIP])).content.decode()
    assert changed[0].head_name in page
