"""A policy touches the regions of its departments, recipients and linked items (issue 15.4): a
博爱县 policy took 修武县 departments and recipients, and a task took another county's items."""

import datetime as dt

import pytest
from django.utils import timezone

from core.exceptions import DomainError
from core.models import Region, UnitKind
from inspections.models import ItemKind
from policies import services
from tests.factories.core import UnitFactory
from tests.factories.inspections import RectificationItemFactory

pytestmark = pytest.mark.django_db


def test_another_countys_units_cannot_take_part_in_a_countys_policy(admin_user):
    boai, xiuwu = Region.objects.get(code="410822000000"), Region.objects.get(code="410821000000")
    xiuwu_unit = UnitFactory(region=xiuwu, kind=UnitKind.GOVERNMENT)
    issued = dt.date(2016, 3, 1)
    with pytest.raises(DomainError) as refused:
        services.policy_create(
            system="1+16", number=2, title="博爱县配套办法", issued_on=issued, region=boai, actor=admin_user,
            departments=[xiuwu_unit],
        )  # fmt: skip
    assert refused.value.field == "departments"
    policy = services.policy_create(
        system="1+16", number=2, title="博爱县配套办法", issued_on=issued, region=boai, actor=admin_user
    )
    with pytest.raises(DomainError) as refused:
        services.policy_task_assign(
            policy=policy, recipient=xiuwu_unit, requirement="出台实施细则",
            deadline=timezone.localdate() + dt.timedelta(days=30), actor=admin_user,
        )  # fmt: skip
    assert refused.value.field == "recipient"


def test_a_task_links_only_items_of_its_region_or_above(boai_task, admin_user):
    xiuwu_item = RectificationItemFactory(
        kind=ItemKind.SYSTEM, responsible_unit=UnitFactory(region=Region.objects.get(code="410821000000"))
    )
    with pytest.raises(DomainError) as refused:
        services.policy_task_link_items(task=boai_task, items=[xiuwu_item], actor=admin_user)
    assert refused.value.field == "rectification_items"
    assert not boai_task.rectification_items.exists()
