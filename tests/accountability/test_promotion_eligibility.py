"""Can officer X be promoted on date D? Answered with every reason; the answer changes when a ban ends."""

import datetime as dt

import pytest
from django.utils import timezone

from accountability.models import CaseStatus, CaseType, MonthlyScore
from accountability.selectors import promotion_eligibility
from accountability.services import (
    annual_grade_record,
    ban_lift,
    case_confirm,
    case_open,
    rectification_review_record,
)
from accountability.tasks import daily_accountability

pytestmark = pytest.mark.django_db


def poor_year(scheme, officer):
    MonthlyScore.objects.create(scheme=scheme, officer=officer, region=officer.region, month=dt.date(2017, 6, 1),
                                score=45, grade="poor")  # fmt: skip
    return annual_grade_record(year=2017, decided_on=dt.date(2018, 1, 20), officer=officer)


def test_an_officer_without_cases_can_be_promoted(xiuwu_org):
    answer = promotion_eligibility(officer=xiuwu_org["vice"], on=dt.date(2018, 3, 1))
    assert answer.eligible
    assert answer.reasons == []


def test_every_reason_is_listed_and_changes_when_a_ban_ends(scheme, xiuwu_org):
    officer = xiuwu_org["secretary"]
    rectification_review_record(
        region=xiuwu_org["county"], year=2017, reviewed_on=dt.date(2017, 6, 15), passed=False
    )
    poor_year(scheme, officer)

    during_both = promotion_eligibility(officer=officer, on=dt.date(2017, 12, 1))
    assert not during_both.eligible
    # The failed acceptance also vetoes the county head's overall evaluation of 2017 (issue 19.3).
    assert [r.code for r in during_both.reasons] == ["promotion_ban", "evaluation_veto"]
    assert during_both.reasons[0].until == dt.date(2017, 12, 31)

    in_2018 = promotion_eligibility(officer=officer, on=dt.date(2018, 2, 1))
    assert [r.until for r in in_2018.reasons] == [dt.date(2020, 1, 19), None]
    assert "2017" in in_2018.reasons[0].message

    last_day = promotion_eligibility(officer=officer, on=dt.date(2020, 1, 19))
    assert not last_day.eligible
    after = promotion_eligibility(officer=officer, on=dt.date(2020, 1, 20))
    assert after.eligible


def test_the_daily_job_closes_cases_of_ended_bans(scheme, xiuwu_org):
    officer = xiuwu_org["magistrate"]
    _grade, (case,) = poor_year(scheme, officer)
    assert daily_accountability("2019-12-31")["ban_cases_closed"] == 0
    result = daily_accountability("2020-01-20")
    assert result["ban_cases_closed"] == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert daily_accountability("2020-01-21")["ban_cases_closed"] == 0  # idempotent


def test_a_lifted_ban_no_longer_blocks(scheme, xiuwu_org, decider):
    officer = xiuwu_org["deputy"]
    _grade, (case,) = poor_year(scheme, officer)
    ban_lift(ban=case.ban, lifted_on=dt.date(2018, 6, 1), reason="复核后年度等次更正为较好", actor=decider)
    assert not promotion_eligibility(officer=officer, on=dt.date(2018, 5, 31)).eligible
    assert promotion_eligibility(officer=officer, on=dt.date(2018, 6, 1)).eligible


def test_pending_discipline_and_admonishment_block(xiuwu_org, decider):
    officer = xiuwu_org["vice"]
    pending, _ = case_open(case_type=CaseType.DISCIPLINE, grounds="失职渎职", officer=officer,
                           opened_on=dt.date(2018, 1, 5))  # fmt: skip
    reasons = promotion_eligibility(officer=officer, on=dt.date(2018, 1, 6)).reasons
    assert [r.code for r in reasons] == ["case_pending"]
    admonish, _ = case_open(case_type=CaseType.ADMONISHMENT, grounds="作风漂浮", officer=xiuwu_org["deputy"],
                            opened_on=dt.date(2018, 1, 5))  # fmt: skip
    case_confirm(case=admonish, decision="诫勉谈话", actor=decider)
    today_reasons = promotion_eligibility(officer=xiuwu_org["deputy"], on=timezone.localdate()).reasons
    assert [r.code for r in today_reasons] == ["admonishment"]
    assert pending.status == CaseStatus.PROPOSED
