"""The demo data: groups, plans over several months (this month's still secret), every ledger
state, a sample province list; a second run changes nothing."""

import io

import pytest

from inspections.models import (
    Finding,
    FindingSource,
    InspectionGroup,
    ItemStatus,
    PlanStatus,
    ProblemAnswer,
    ProvinceProblemList,
    RectificationItem,
    VisitPlan,
    VisitReport,
)

pytestmark = pytest.mark.django_db


def counts():
    return (
        InspectionGroup.objects.count(), VisitPlan.objects.count(), VisitReport.objects.count(),
        Finding.objects.count(), RectificationItem.objects.count(), ProvinceProblemList.objects.count(),
        ProblemAnswer.objects.count(),
    )  # fmt: skip


def test_demo_seed_is_complete_and_idempotent(regions, settings, tmp_path):
    from core import demo as core_demo
    from inspections import demo

    core_demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    first = counts()
    # The four inspection groups, and beside them the city supervision group (issue 19.5).
    assert InspectionGroup.objects.filter(kind="inspection").count() == 4
    assert InspectionGroup.objects.filter(kind="supervision").count() == 1
    assert set(VisitPlan.objects.values_list("status", flat=True)) == {PlanStatus.PLANNED, PlanStatus.FILED}
    assert VisitPlan.objects.filter(status=PlanStatus.FILED, group__kind="inspection").count() == 8
    states = set(RectificationItem.objects.values_list("status", flat=True))
    assert states == {ItemStatus.OPEN, ItemStatus.SUBMITTED, ItemStatus.CLOSED}
    assert RectificationItem.objects.exclude(sent_back_reason="").exists()
    assert RectificationItem.objects.filter(overdue_since__isnull=False).exists()
    assert Finding.objects.filter(source=FindingSource.PUBLIC_COMPLAINT).exists()
    assert ProblemAnswer.objects.exclude(status="unanswered").count() == 4
    demo.seed(stdout=io.StringIO())
    assert counts() == first
