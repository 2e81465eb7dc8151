"""The demo shows the annual assessment (issue 19): a county graded 一般 with its talk and an appeal awaiting the
organisation department, the county that failed its acceptance graded 差 with its bans and the veto on its
heads, the published annual bulletin; running it again adds nothing."""

import io

import pytest

from accountability import demo
from accountability.models import (
    AnnualBulletin,
    AnnualGrade,
    CaseRule,
    EvaluationVeto,
    GradeAppeal,
)
from core import demo as core_demo

pytestmark = pytest.mark.django_db


def test_the_demo_holds_grades_an_appeal_a_veto_and_the_annual_bulletin(regions, monkeypatch):
    monkeypatch.setattr(demo, "SCORE_MONTHS", 1)
    core_demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    xiuwu = AnnualGrade.objects.get(unit__region_id="410821000000")
    assert xiuwu.cases.filter(rule__in=[CaseRule.GRADE_AVERAGE, CaseRule.GRADE_POOR]).exists()
    assert GradeAppeal.objects.filter(grade=xiuwu, status="lodged").count() == 1
    boai = AnnualGrade.objects.get(unit__region_id="410822000000")
    assert (boai.grade, boai.vetoed) == ("poor", True)
    assert EvaluationVeto.objects.filter(region_id="410822000000", lifted_on__isnull=True).count() >= 2
    assert AnnualBulletin.objects.filter(status="published").count() == 1
    before = (AnnualGrade.objects.count(), GradeAppeal.objects.count(), AnnualBulletin.objects.count())
    demo.seed(stdout=io.StringIO())
    assert (
        AnnualGrade.objects.count(),
        GradeAppeal.objects.count(),
        AnnualBulletin.objects.count(),
    ) == before
