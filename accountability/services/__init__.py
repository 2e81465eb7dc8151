"""Writes of the accountability app. Views, API, tasks and other apps call these."""

from .annual import (
    annual_grade_record,
    failed_acceptance,
    grade_vetoes,
    rectification_review_record,
    review_vetoes,
)
from .annual_bulletin import annual_bulletin_publish, build_annual_content
from .appeals import appeal_deadline, appeal_decide, appeal_lodge, may_appeal
from .bulletin import build_content, bulletin_generate, bulletin_regenerate
from .cases import (
    ban_lift,
    case_close,
    case_confirm,
    case_dismiss,
    case_open,
    case_open_manual,
    close_ended_ban_cases,
)
from .responsibilities import responsibility_assign, responsibility_end
from .rules import (
    THREE_ALWAYS_SOURCES,
    FindingFacts,
    facts_from_finding,
    finding_filed,
    grade_consequences,
    is_three_always,
    review_consequences,
    trace_back_targets,
)
from .scoring import (
    compute,
    monthly_score_compute,
    monthly_scores_compute_all,
    scheme_for,
)

__all__ = [
    "THREE_ALWAYS_SOURCES",
    "FindingFacts",
    "annual_bulletin_publish",
    "annual_grade_record",
    "appeal_deadline",
    "appeal_decide",
    "appeal_lodge",
    "ban_lift",
    "build_annual_content",
    "build_content",
    "bulletin_generate",
    "bulletin_regenerate",
    "case_close",
    "case_confirm",
    "case_dismiss",
    "case_open",
    "case_open_manual",
    "close_ended_ban_cases",
    "compute",
    "facts_from_finding",
    "failed_acceptance",
    "finding_filed",
    "grade_consequences",
    "grade_vetoes",
    "is_three_always",
    "may_appeal",
    "monthly_score_compute",
    "monthly_scores_compute_all",
    "rectification_review_record",
    "responsibility_assign",
    "responsibility_end",
    "review_consequences",
    "review_vetoes",
    "scheme_for",
    "trace_back_targets",
]
