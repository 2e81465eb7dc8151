import datetime as dt
import random
import zoneinfo

import pgtrigger
import pytest

from core.models import Region
from households.models import Household, HouseholdStatusChange, Member, PoorVillage
from tests.factories.households import household_with_members

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
STATUSES = ["applying", "registered", "exited", "returned", "removed"]
CAUSES = ["illness", "disability", "schooling", "lack_funds", "lack_labour"]


@pytest.fixture
def city_data(regions, admin_user):
    """Households across two counties and several villages, with a status history."""
    rng = random.Random(2017)
    villages = list(
        Region.objects.filter(level="village", code__startswith="410821").order_by("code")[:4]
    ) + list(Region.objects.filter(level="village", code__startswith="410822").order_by("code")[:2])
    for i, village in enumerate(villages):
        PoorVillage.objects.create(
            village=village, identified_year=2014, status="exited" if i % 3 == 0 else "poor",
            exit_year=2016 + i % 2 if i % 3 == 0 else None,
        )  # fmt: skip
    for n in range(40):
        status = STATUSES[n % len(STATUSES)]
        household = household_with_members(
            village=rng.choice(villages), members=rng.randint(1, 4), status=status,
            main_cause=rng.choice(CAUSES), attribute=rng.choice(["general", "subsistence", "destitute"]),
        )  # fmt: skip
        # A history consistent with the status, spread over 2016-2017 (Shanghai time).
        at = dt.datetime(2016, 1, 1, 10, tzinfo=TZ) + dt.timedelta(days=rng.randint(0, 700))
        path = {"registered": ["registered"], "exited": ["registered", "exited"],
                "returned": ["registered", "exited", "returned"], "removed": ["registered", "removed"]}.get(status, [])  # fmt: skip
        previous = "applying"
        for step in path:
            HouseholdStatusChange.objects.create(
                household=household, from_status=previous, to_status=step, actor=admin_user, at=at
            )
            previous, at = step, at + dt.timedelta(days=rng.randint(20, 200))
        if n % 7 == 0:  # a member who left no longer counts
            Member.objects.filter(household=household).exclude(relation="head").update(
                is_active=False, is_current=False
            )
    # Edge: a change at 23:30 on 31 December Shanghai time belongs to that year, not the next.
    edge = Household.objects.filter(status="exited").first()
    with pgtrigger.ignore("households.HouseholdStatusChange:append_only"):  # arranging the past
        HouseholdStatusChange.objects.filter(household=edge, to_status="exited").update(
            at=dt.datetime(2016, 12, 31, 23, 30, tzinfo=TZ)
        )
    return villages
