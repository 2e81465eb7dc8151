"""Writes of the accountability app. Views, API, tasks and other apps call these."""

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
    annual_grade_record,
    compute,
    monthly_score_compute,
    monthly_scores_compute_all,
    rectification_review_record,
    scheme_for,
)

__all__ = [
    "THREE_ALWAYS_SOURCES",
    "FindingFacts",
    "annual_grade_record",
    "ban_lift",
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
    "finding_filed",
    "grade_consequences",
    "is_three_always",
    "monthly_score_compute",
    "monthly_scores_compute_all",
    "rectification_review_record",
    "responsibility_assign",
    "responsibility_end",
    "review_consequences",
    "scheme_for",
    "trace_back_targets",
]
