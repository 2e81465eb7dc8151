"""督查巡查: inspection groups, covert visit plans, visit reports, findings, the rectification
ledger (整改台账), province problem lists and in-app notifications — one module per sub-domain.

Every name stays importable from `inspections.models` (other apps, tests and migrations use it).
"""

from . import ledger, notifications, plans, problem_lists, reports, surveys
from .ledger import (
    ALLOWED_TRANSITIONS,
    ItemKind,
    ItemStatus,
    ItemStatusChange,
    RectificationEvidence,
    RectificationItem,
    evidence_submitter_ids,
)
from .notifications import Notification, NotificationKind, PublicBoardSettings
from .plans import (
    PLAN_TRANSITIONS,
    GroupKind,
    InspectionGroup,
    MissedVisitMonth,
    PlanStatus,
    PlanStatusChange,
    TargetKind,
    VisitPlan,
    VisitTarget,
)
from .problem_lists import (
    ANSWER_TRANSITIONS,
    OWED_STATUSES,
    REVIEW_STATUSES,
    AnswerEvidence,
    AnswerStatus,
    ProblemAnswer,
    ProblemAnswerStatusChange,
    ProblemListRecipient,
    ProvinceProblem,
    ProvinceProblemList,
    is_city_reviewer,
)
from .reports import (
    ALLOWED_PHOTO_TYPES,
    FINDING_TRANSITIONS,
    MAX_PHOTO_BYTES,
    REPORT_TRANSITIONS,
    Finding,
    FindingCategory,
    FindingPhoto,
    FindingSource,
    FindingStatus,
    FindingStatusChange,
    ReportStatus,
    ReportStatusChange,
    Severity,
    VisitReport,
)
from .surveys import (
    SATISFIED_ANSWERS,
    RecordsState,
    Satisfaction,
    SurveyResponse,
    SurveyResult,
    TeamCheck,
)

__all__ = [
    "ALLOWED_PHOTO_TYPES",
    "ALLOWED_TRANSITIONS",
    "ANSWER_TRANSITIONS",
    "FINDING_TRANSITIONS",
    "MAX_PHOTO_BYTES",
    "OWED_STATUSES",
    "PLAN_TRANSITIONS",
    "REPORT_TRANSITIONS",
    "REVIEW_STATUSES",
    "SATISFIED_ANSWERS",
    "AnswerEvidence",
    "AnswerStatus",
    "Finding",
    "FindingCategory",
    "FindingPhoto",
    "FindingSource",
    "FindingStatus",
    "FindingStatusChange",
    "GroupKind",
    "InspectionGroup",
    "ItemKind",
    "ItemStatus",
    "ItemStatusChange",
    "MissedVisitMonth",
    "Notification",
    "NotificationKind",
    "PlanStatus",
    "PlanStatusChange",
    "ProblemAnswer",
    "ProblemAnswerStatusChange",
    "ProblemListRecipient",
    "ProvinceProblem",
    "ProvinceProblemList",
    "PublicBoardSettings",
    "RecordsState",
    "RectificationEvidence",
    "RectificationItem",
    "ReportStatus",
    "ReportStatusChange",
    "Satisfaction",
    "Severity",
    "SurveyResponse",
    "SurveyResult",
    "TargetKind",
    "TeamCheck",
    "VisitPlan",
    "VisitReport",
    "VisitTarget",
    "evidence_submitter_ids",
    "is_city_reviewer",
]


def __getattr__(name: str):
    """The history event models (`FindingEvent`, …): pghistory adds them to their model's module
    when the apps are ready, so they are looked up there on first use."""
    if name.endswith("Event"):
        for module in (ledger, notifications, plans, problem_lists, reports, surveys):
            if hasattr(module, name):
                return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
