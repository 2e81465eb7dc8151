import datetime as dt

import pytest
from django.utils import timezone

from core.models import Region, UnitKind
from policies import services
from tests.factories.core import UnitFactory

CITY = "410800000000"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def policy(admin_user):
    return services.policy_create(
        system="1+16", number=1, title="转移就业脱贫实施方案", issued_on=dt.date(2016, 3, 1),
        region=Region.objects.get(code=CITY), actor=admin_user,
    )  # fmt: skip


def _task(policy, county_code, admin_user, *, days):
    unit = UnitFactory(region=Region.objects.get(code=county_code), kind=UnitKind.GOVERNMENT)
    return services.policy_task_assign(
        policy=policy, recipient=unit, requirement="出台县级配套实施办法",
        deadline=timezone.localdate() + dt.timedelta(days=days), actor=admin_user,
    )  # fmt: skip


@pytest.fixture
def overdue_task(policy, admin_user):
    """修武县's task, its deadline passed a week ago, no evidence yet."""
    return _task(policy, "410821000000", admin_user, days=-7)


@pytest.fixture
def boai_task(policy, admin_user):
    return _task(policy, "410822000000", admin_user, days=-7)
