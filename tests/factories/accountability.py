import datetime as dt
from decimal import Decimal

import factory

from accountability.models import (
    AccountabilityCase,
    AssessmentIndicator,
    AssessmentScheme,
    CaseType,
    IndicatorCode,
    Responsibility,
    ResponsibilityKind,
    VetoCondition,
)
from core.models import Region

from .core import OfficerFactory


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responsibility

    kind = ResponsibilityKind.CONTACT_LEADER
    officer = factory.SubFactory(OfficerFactory)
    region = factory.LazyFunction(lambda: Region.objects.get(code="410821000000"))
    valid_from = dt.date(2017, 1, 1)
    duty = "测试职责"


class SchemeFactory(factory.django.DjangoModelFactory):
    """考评办法 v1: 100 points; 好 ≥ 90, 较好 ≥ 80, 一般 ≥ 60, else 差."""

    class Meta:
        model = AssessmentScheme

    code = "xiangxiang"
    version = factory.Sequence(lambda n: n + 1)
    title = "县乡党政正职履行脱贫攻坚责任考评办法"
    effective_from = dt.date(2017, 1, 1)


def standard_scheme(**kwargs) -> AssessmentScheme:
    """The scheme the tests compute by hand (see test_monthly_score_by_hand)."""
    scheme = SchemeFactory(**kwargs)
    for code, severity, weight, cap in [
        (IndicatorCode.FINDINGS, "minor", "1", "10"),
        (IndicatorCode.FINDINGS, "serious", "3", "15"),
        (IndicatorCode.FINDINGS, "grave", "5", None),
        (IndicatorCode.OVERDUE_RECTIFICATIONS, "", "2", "10"),
        (IndicatorCode.IDENTIFICATION_ERRORS, "", "4", "20"),
        (IndicatorCode.EXIT_ERRORS, "", "4", "20"),
        (IndicatorCode.FUND_ERRORS, "", "5", "20"),
        (IndicatorCode.PLAN_GAPS, "", "0.5", "10"),
    ]:
        AssessmentIndicator.objects.create(
            scheme=scheme, code=code, severity=severity, weight=Decimal(weight),
            cap=Decimal(cap) if cap else None,
        )  # fmt: skip
    VetoCondition.objects.create(
        scheme=scheme, code=IndicatorCode.THREE_ALWAYS_CASES, threshold=1,
        description="被中央、省媒体曝光或被省级通报批评",
    )  # fmt: skip
    VetoCondition.objects.create(
        scheme=scheme, code=IndicatorCode.FUND_ERRORS, threshold=3, description="扶贫资金差错三笔以上"
    )
    return scheme


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountabilityCase

    case_type = CaseType.ADMONITION_TALK
    subject_officer = factory.SubFactory(OfficerFactory)
    region = factory.LazyAttribute(
        lambda o: o.subject_officer.region if o.subject_officer else o.subject_unit.region
    )
    grounds = "测试问责"
    opened_on = dt.date(2017, 5, 10)
