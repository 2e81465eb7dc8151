"""The coverage rule computed in SQL (lists, work list, export) agrees with the rule computed in
Python (plan page, household partial) on many random plans."""

import random

import pytest
from django.utils import timezone

from assistance import selectors
from assistance.models import MeasureStatus
from households.models import PovertyCause
from tests.factories.assistance import MeasureFactory, PlanFactory
from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_sql_and_python_coverage_agree(assist, xiuwu_village):
    rng = random.Random(2017)
    causes = list(PovertyCause.values)
    year = timezone.localdate().year
    plans = []
    for _ in range(40):
        own = rng.sample(causes, rng.randint(1, 4))
        household = HouseholdFactory(village=xiuwu_village, main_cause=own[0], secondary_causes=own[1:])
        plan = PlanFactory(household=household, year=year)
        for _ in range(rng.randint(0, 3)):
            status = rng.choice(list(MeasureStatus.values))
            MeasureFactory(
                plan=plan, causes=rng.sample(own, rng.randint(1, len(own))), status=status,
                cancel_reason="取消" if status == MeasureStatus.CANCELLED else "",
                actual_end=timezone.localdate() if status == MeasureStatus.DONE else None,
            )  # fmt: skip
        plans.append(plan)
    listed = {p.pk: p.uncovered for p in selectors.plan_list(actor=assist, filters={"year": year})}
    worklist = {hh.plan_id: hh.uncovered for hh in selectors.worklist_base(actor=assist, year=year)}
    for plan in plans:
        expected = selectors.uncovered_causes(plan)
        assert listed[plan.pk] == expected
        assert worklist[plan.pk] == expected
    assert any(listed.values())
    assert not all(listed.values())
