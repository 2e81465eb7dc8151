"""A unit's monthly score computed by hand from a small fixture equals what the service stores."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from accountability.models import CaseRule, CaseType, Grade, MonthlyScore
from accountability.services import case_open, compute, monthly_score_compute
from core.models import Region
from households.models import HouseholdStatus
from inspections.models import Finding, RectificationItem
from tests.factories.core import UserFactory
from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
MAY = dt.date(2017, 5, 1)


def finding(region, severity, category="files", when=dt.datetime(2017, 5, 12, 10, 0, tzinfo=SH)):
    return Finding.objects.create(source="audit", category=category, severity=severity, description="测试问题",
                                  region=region, status="confirmed", confirmed_at=when)  # fmt: skip


def item(f, unit, deadline, closed_at=None, closer=None):
    return RectificationItem.objects.create(
        finding=f, description="整改", responsible_unit=unit, region=unit.region, deadline=deadline,
        status="closed" if closed_at else "open", evidence_note="已整改" if closed_at else "",
        closed_at=closed_at, closed_by=closer, created_at=dt.datetime(2017, 5, 2, tzinfo=SH),
    )  # fmt: skip


@pytest.fixture
def may_fixture(scheme, xiuwu_org):
    village = xiuwu_org["village"]
    boai_village = Region.objects.filter(code__startswith="410822", level="village").first()
    # In 修武县, confirmed in May: 3 minor (one of them an identification error), 2 serious (one an exit
    # error), 1 grave.
    f1 = finding(village, "minor", "identification")
    finding(village, "minor")
    finding(xiuwu_org["township"], "minor")
    finding(village, "serious", "exit")
    finding(village, "serious")
    finding(xiuwu_org["county"], "grave")
    # Not counted: another county; April; not confirmed.
    finding(boai_village, "grave")
    finding(village, "grave", when=dt.datetime(2017, 4, 30, 23, 0, tzinfo=SH))
    Finding.objects.create(
        source="audit", category="files", severity="grave", description="待核实", region=village
    )
    # Rectification: two overdue at the end of May, one closed in time, one not yet due.
    unit = xiuwu_org["township_unit"]
    closer = UserFactory()
    item(f1, unit, dt.date(2017, 5, 20))
    item(f1, unit, dt.date(2017, 5, 31))
    item(f1, unit, dt.date(2017, 5, 20), closed_at=dt.datetime(2017, 5, 18, tzinfo=SH), closer=closer)
    item(f1, unit, dt.date(2017, 6, 10))
    # Three registered households in 修武县 with no plan for 2017 (plan coverage gaps); one exited (not counted).
    for _ in range(3):
        HouseholdFactory(village=village, status=HouseholdStatus.REGISTERED)
    HouseholdFactory(village=village, status=HouseholdStatus.EXITED)
    return xiuwu_org


def test_unit_score_equals_the_hand_computation(may_fixture):
    committee = may_fixture["committee"]
    score = monthly_score_compute(month=MAY, unit=committee)
    # By hand, with the standard scheme (tests/factories/accountability.py):
    #   minor findings     3 × 1   = 3    (cap 10)
    #   serious findings   2 × 3   = 6    (cap 15)
    #   grave findings     1 × 5   = 5
    #   overdue items      2 × 2   = 4    (cap 10)
    #   identification     1 × 4   = 4
    #   exit errors        1 × 4   = 4
    #   plan gaps          3 × 0.5 = 1.5
    #   100 − 27.5 = 72.50 → 一般 (60 ≤ score < 80)
    assert score.score == Decimal("72.50")
    assert score.grade == Grade.AVERAGE
    assert not score.vetoed
    counts = score.inputs["counts"]
    assert counts["findings:minor"] == 3
    assert counts["findings:serious"] == 2
    assert counts["findings:grave"] == 1
    assert counts["overdue_rectifications"] == 2
    assert counts["plan_gaps"] == 3
    # The stored inputs re-check to the same number.
    assert compute(score.scheme, counts).score == score.score
    assert sum(Decimal(b["deduction"]) for b in score.breakdown) == Decimal("27.50")


def test_recomputing_updates_in_place(may_fixture):
    committee = may_fixture["committee"]
    first = monthly_score_compute(month=MAY, unit=committee)
    again = monthly_score_compute(month=MAY, unit=committee)
    assert first.pk == again.pk
    assert MonthlyScore.objects.filter(unit=committee, month=MAY).count() == 1


def test_a_veto_condition_forces_poor(may_fixture):
    org = may_fixture
    case_open(case_type=CaseType.CRITICISM, grounds="央媒曝光", officer=org["secretary"], rule=CaseRule.THREE_ALWAYS,
              mandatory=True, confirmed=True, opened_on=dt.date(2017, 5, 15), finding_id=99,
              dedupe_key="three_always:test")  # fmt: skip
    score = monthly_score_compute(month=MAY, unit=org["committee"])
    assert score.score == Decimal("72.50")
    assert score.grade == Grade.POOR
    assert score.vetoed
    assert score.veto_reasons == ["被中央、省媒体曝光或被省级通报批评"]


def test_caps_limit_a_deduction(scheme):
    result = compute(scheme, {"findings:minor": 25, "fund_errors": 1})
    # minor findings 25 × 1 = 25, capped at 10; fund errors 1 × 5 = 5 → 85.00 → 较好
    assert result.score == Decimal("85.00")
    assert result.grade == Grade.FAIRLY_GOOD


def test_fund_error_veto(scheme):
    result = compute(scheme, {"fund_errors": 3})
    assert result.score == Decimal("85.00")
    assert result.grade == Grade.POOR
