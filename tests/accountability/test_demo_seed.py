"""The demo data loads, gives the demo city's officers their responsibilities, and running it twice adds nothing."""

import io

import pytest

from accountability import demo
from accountability.models import (
    AccountabilityCase,
    AssessmentScheme,
    Bulletin,
    MonthlyScore,
    Responsibility,
    ResponsibilityKind,
)
from core import demo as core_demo

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count()
        for m in (Responsibility, AssessmentScheme, MonthlyScore, AccountabilityCase, Bulletin)
    ]


def test_demo_seed_is_idempotent(regions, monkeypatch):
    monkeypatch.setattr(demo, "SCORE_MONTHS", 1)  # `make run` scores three months; one is enough here
    core_demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    first = counts()
    demo.seed(stdout=io.StringIO())
    assert counts() == first
    assert Responsibility.objects.filter(kind=ResponsibilityKind.FIRST, region_id="410821000000").count() == 2
    assert (
        Responsibility.objects.filter(kind=ResponsibilityKind.DIRECT, region_id="410821000000").count() == 2
    )
    assert MonthlyScore.objects.values("month").distinct().count() == 1
    assert Bulletin.objects.count() == 1
    # 博爱县 failed its rectification review last year: its heads and deputies were barred.
    assert (
        AccountabilityCase.objects.filter(rule="review_failed", region__code__startswith="410822").count()
        == 4
    )
