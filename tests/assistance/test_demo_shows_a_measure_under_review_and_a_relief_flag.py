"""The demo shows 因户施策: a measure carried over from the old register waits for the county's
review, and a household poor through illness has its illness answered but no relief (应保尽保)."""

import io

import pytest
from django.utils import timezone

from assistance import demo, selectors
from assistance.models import Measure, MeasureFitReview, MeasureKind
from core.models import Region
from tests.factories.households import HouseholdFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_demo_has_an_unfit_measure_under_review_and_a_relief_flag(admin_user, regions):
    from core.demo import seed as core_seed

    core_seed(stdout=io.StringIO())
    villages = Region.objects.filter(code__startswith="410821", level="village").order_by("code")[:4]
    causes = ["illness", "lack_funds", "lack_motivation", "poor_transport"]
    for i in range(24):
        household = HouseholdFactory(
            village=villages[i % 4], main_cause=causes[i % 4], secondary_causes=[causes[(i + 1) % 4]]
        )
        MemberFactory(household=household, name=household.head_name)

    demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())  # twice: nothing more

    review = MeasureFitReview.objects.get()
    assert review.is_open
    assert review.causes == ["illness"]
    assert review.measure.kind == MeasureKind.SKILLS_TRAINING
    year = timezone.localdate().year
    flagged = list(selectors.worklist(actor=admin_user, year=year, region="410821000000", flag="relief"))
    assert any(hh.plan_id and hh.relief_missing == ["illness"] for hh in flagged)
    assert Measure.objects.filter(kind=MeasureKind.HEALTH).exists()
    # Employment names its member, microcredit its loan, relocation its site.
    assert not Measure.objects.filter(kind=MeasureKind.EMPLOYMENT, employed_member__isnull=True).exists()
    assert not Measure.objects.filter(kind=MeasureKind.MICROCREDIT, loan_amount__isnull=True).exists()
    assert not Measure.objects.filter(kind=MeasureKind.RELOCATION, relocation_site="").exists()
