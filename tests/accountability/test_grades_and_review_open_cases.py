"""Annual grade 一般 → 约谈; 差 → two years without promotion; failing the rectification review → this year."""

import datetime as dt

import pytest

from accountability.models import CaseRule, CaseStatus, CaseType, MonthlyScore, PromotionBan
from accountability.services import annual_grade_record, rectification_review_record

pytestmark = pytest.mark.django_db


def month_scores(scheme, officer, scores, vetoed=False):
    for i, score in enumerate(scores, start=1):
        MonthlyScore.objects.create(scheme=scheme, officer=officer, region=officer.region, month=dt.date(2017, i, 1),
                                    score=score, grade="good", vetoed=vetoed and i == 1)  # fmt: skip


def test_grade_average_opens_an_admonition_talk(scheme, xiuwu_org):
    officer = xiuwu_org["secretary"]
    month_scores(scheme, officer, [70, 65, 72])
    grade, cases = annual_grade_record(year=2017, decided_on=dt.date(2018, 1, 20), officer=officer)
    assert grade.grade == "average"
    assert [(c.case_type, c.rule, c.status) for c in cases] == [
        (CaseType.ADMONITION_TALK, CaseRule.GRADE_AVERAGE, CaseStatus.CONFIRMED)
    ]
    # Recording the grade again opens nothing new.
    _grade, again = annual_grade_record(year=2017, decided_on=dt.date(2018, 1, 20), officer=officer)
    assert [c.pk for c in again] == [c.pk for c in cases]


def test_grade_poor_bans_promotion_for_two_years(scheme, xiuwu_org):
    officer = xiuwu_org["magistrate"]
    month_scores(scheme, officer, [50, 55])
    grade, (case,) = annual_grade_record(year=2017, decided_on=dt.date(2018, 1, 20), officer=officer)
    assert grade.grade == "poor"
    assert case.case_type == CaseType.PROMOTION_BAN
    assert case.rule == CaseRule.GRADE_POOR
    ban = PromotionBan.objects.get(case=case)
    assert (ban.starts_on, ban.ends_on) == (dt.date(2018, 1, 20), dt.date(2020, 1, 19))


def test_a_vetoed_month_makes_the_year_poor(scheme, xiuwu_org):
    officer = xiuwu_org["deputy"]
    month_scores(scheme, officer, [95, 96], vetoed=True)
    grade, cases = annual_grade_record(year=2017, decided_on=dt.date(2018, 1, 20), officer=officer)
    assert grade.grade == "poor"
    assert grade.vetoed
    assert cases[0].case_type == CaseType.PROMOTION_BAN


def test_a_county_graded_poor_bans_its_heads_not_their_deputies(scheme, xiuwu_org):
    """The 考评办法 covers 县乡党政正职: the county's grade reaches its heads only (issue 19.1)."""
    committee = xiuwu_org["committee"]
    MonthlyScore.objects.create(scheme=scheme, unit=committee, region=committee.region, month=dt.date(2017, 3, 1),
                                score=40, grade="poor")  # fmt: skip
    _grade, cases = annual_grade_record(year=2017, decided_on=dt.date(2018, 1, 20), unit=committee)
    assert {c.subject_officer for c in cases} == {xiuwu_org["secretary"], xiuwu_org["magistrate"]}


def test_good_grades_open_nothing(scheme, xiuwu_org):
    month_scores(scheme, xiuwu_org["vice"], [92, 95])
    grade, cases = annual_grade_record(year=2017, decided_on=dt.date(2018, 1, 20), officer=xiuwu_org["vice"])
    assert grade.grade == "good"
    assert cases == []


def test_failing_the_rectification_review_bars_promotion_this_year(xiuwu_org):
    _review, cases = rectification_review_record(region=xiuwu_org["county"], year=2017,
                                                reviewed_on=dt.date(2017, 6, 15), passed=False)  # fmt: skip
    assert {c.subject_officer for c in cases} == {
        xiuwu_org["secretary"],
        xiuwu_org["magistrate"],
        xiuwu_org["deputy"],
        xiuwu_org["vice"],
    }
    assert {c.ban_until for c in cases} == {dt.date(2017, 12, 31)}
    assert all(c.rule == CaseRule.REVIEW_FAILED for c in cases)
    assert PromotionBan.objects.count() == 4


def test_passing_the_review_opens_nothing(xiuwu_org):
    _review, cases = rectification_review_record(region=xiuwu_org["county"], year=2017,
                                                 reviewed_on=dt.date(2017, 6, 15), passed=True)  # fmt: skip
    assert cases == []
