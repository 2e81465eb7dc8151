"""Accountability (考核问责): responsibilities, the assessment scheme, scores, grades, cases, bans, bulletins.

Rules the source document fixes and where they live:
- "五个责任" → `Responsibility` (dated, so "who was responsible for this village on that date" has an answer);
- 考评办法 with 一票否决 → `AssessmentScheme` + `AssessmentIndicator` + `VetoCondition` (versioned data);
- "一般"→约谈, "差"→两年内不得提拔重用, 整改评估验收后仍达不到要求→本年度不得提拔重用, "三个一律",
  责任倒查 → `accountability.services.rules` opening `AccountabilityCase` rows;
- 一月一通报 → `Bulletin` (one published version per month; regenerating keeps the earlier one).

One module per sub-domain; every name is importable from `accountability.models` as before.
"""

from .annual import (
    ANNUAL_BULLETIN_TRANSITIONS,
    APPEAL_TRANSITIONS,
    DECIDE_APPEAL_PERM,
    AccountabilitySettings,
    AnnualBulletin,
    AnnualBulletinStatus,
    AnnualBulletinStatusChange,
    AnnualIndicator,
    AppealStatus,
    EvaluationVeto,
    GradeAppeal,
    GradeAppealStatusChange,
    IndicatorSource,
)
from .bulletins import BULLETIN_TRANSITIONS, Bulletin, BulletinStatus, BulletinStatusChange
from .cases import (
    ALLOWED_TRANSITIONS,
    DECIDE_PERM,
    OPEN_STATUSES,
    AccountabilityCase,
    CaseRule,
    CaseStatus,
    CaseStatusChange,
    CaseType,
    PromotionBan,
)
from .responsibilities import OFFICER_KINDS, DateRangeFunc, Responsibility, ResponsibilityKind
from .scores import (
    AnnualGrade,
    AssessmentIndicator,
    AssessmentScheme,
    Grade,
    IndicatorCode,
    MonthlyScore,
    RectificationReview,
    VetoCondition,
)

__all__ = [
    "ALLOWED_TRANSITIONS",
    "ANNUAL_BULLETIN_TRANSITIONS",
    "APPEAL_TRANSITIONS",
    "BULLETIN_TRANSITIONS",
    "DECIDE_APPEAL_PERM",
    "DECIDE_PERM",
    "OFFICER_KINDS",
    "OPEN_STATUSES",
    "AccountabilityCase",
    "AccountabilitySettings",
    "AnnualBulletin",
    "AnnualBulletinStatus",
    "AnnualBulletinStatusChange",
    "AnnualGrade",
    "AnnualIndicator",
    "AppealStatus",
    "AssessmentIndicator",
    "AssessmentScheme",
    "Bulletin",
    "BulletinStatus",
    "BulletinStatusChange",
    "CaseRule",
    "CaseStatus",
    "CaseStatusChange",
    "CaseType",
    "DateRangeFunc",
    "EvaluationVeto",
    "Grade",
    "GradeAppeal",
    "GradeAppealStatusChange",
    "IndicatorCode",
    "IndicatorSource",
    "MonthlyScore",
    "PromotionBan",
    "RectificationReview",
    "Responsibility",
    "ResponsibilityKind",
    "VetoCondition",
]
