"""帮扶: plans and measures (`plans`), village work teams (`teams`), the kinds' causes and the
review of measures that do not fit them (`fit`). Every name is exported here, so
`assistance.models.X` stays the one import path (migrations name `assistance.models.evidence_path`)."""

from .fieldwork import (
    DEFAULT_PRESENCE_DAYS,
    DEFAULT_VISIT_INTERVAL_DAYS,
    FieldworkSettings,
    OfficerAssignment,
    PresenceDay,
    Satisfaction,
    Visit,
)
from .fit import (
    DEFAULT_KIND_CAUSES,
    RELIEF_FOR_CAUSE,
    FitDecision,
    KindCause,
    MeasureFitReview,
)
from .plans import (
    ALLOWED_TRANSITIONS,
    COVERAGE_FIELDS,
    MONEY,
    OPEN_STATUSES,
    AssistancePlan,
    Evidence,
    Measure,
    MeasureKind,
    MeasureStatus,
    MeasureStatusChange,
    evidence_path,
)
from .teams import TeamMember, TeamVillage, VillageTeam

__all__ = [
    "ALLOWED_TRANSITIONS",
    "COVERAGE_FIELDS",
    "DEFAULT_KIND_CAUSES",
    "DEFAULT_PRESENCE_DAYS",
    "DEFAULT_VISIT_INTERVAL_DAYS",
    "MONEY",
    "OPEN_STATUSES",
    "RELIEF_FOR_CAUSE",
    "AssistancePlan",
    "Evidence",
    "FieldworkSettings",
    "FitDecision",
    "KindCause",
    "Measure",
    "MeasureFitReview",
    "MeasureKind",
    "MeasureStatus",
    "MeasureStatusChange",
    "OfficerAssignment",
    "PresenceDay",
    "Satisfaction",
    "TeamMember",
    "TeamVillage",
    "VillageTeam",
    "Visit",
    "evidence_path",
]
