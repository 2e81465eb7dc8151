"""assistance.demo.seed: plans for the demo households with gaps and late measures; idempotent;
nothing (and no error) before the households demo exists."""

import io

import pytest
from django.utils import timezone

from assistance import demo, selectors
from assistance.models import AssistancePlan, Measure, MeasureStatusChange, VillageTeam
from core.models import Region
from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_without_households_nothing_is_seeded(admin_user):
    out = io.StringIO()
    demo.seed(stdout=out)
    assert "nothing seeded" in out.getvalue()
    assert not AssistancePlan.objects.exists()
    assert not VillageTeam.objects.exists()


def test_seed_makes_plans_with_gaps_and_late_measures_and_runs_twice_the_same(admin_user, regions):
    from core.demo import seed as core_seed

    core_seed(stdout=io.StringIO())
    villages = Region.objects.filter(code__startswith="410821", level="village").order_by("code")[:6]
    causes = ["illness", "lack_skills", "lack_funds", "schooling", "lack_labour", "disability"]
    for i in range(60):
        HouseholdFactory(
            village=villages[i % 6], main_cause=causes[i % 6],
            secondary_causes=[causes[(i + 1) % 6]] if i % 2 else [],
        )  # fmt: skip

    demo.seed(stdout=io.StringIO())
    counts = (AssistancePlan.objects.count(), Measure.objects.count(), MeasureStatusChange.objects.count(),
              VillageTeam.objects.count())  # fmt: skip
    demo.seed(stdout=io.StringIO())
    assert counts == (
        AssistancePlan.objects.count(), Measure.objects.count(), MeasureStatusChange.objects.count(),
        VillageTeam.objects.count(),
    )  # fmt: skip

    year = timezone.localdate().year
    admin = admin_user
    worklist = list(selectors.worklist(actor=admin, year=year, region="410821000000"))
    assert any(hh.plan_id is None for hh in worklist)
    assert any(hh.plan_id and hh.uncovered for hh in worklist)
    assert any(hh.late_measures for hh in worklist)
    assert 40 < counts[0] < 60

    from core.models import User

    secretary = User.objects.get(username="secretary")
    assert secretary.officer_id is not None
    seen = selectors.household_list(actor=secretary)
    assert seen.exists()
    assert seen.count() < 60
