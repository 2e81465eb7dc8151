"""Clerk pages. Reads through selectors (scoped), writes through services; errors beside the field.

One module per use case; every view (and the shared helpers) importable from here."""

from .common import (
    STATUS_BADGES,
    XLSX,
    apply_errors,
)
from .detail import (
    HouseholdDetailView,
    RevealIdNumberView,
    StepEvidenceView,
)
from .file import (
    HouseholdCreateView,
    HouseholdEditView,
    IncomeView,
    MoveView,
)
from .import_jobs import (
    ImportReportView,
    ImportStatusView,
    ImportTemplateView,
    ImportView,
)
from .lists import (
    HouseholdExportView,
    HouseholdListView,
)
from .reviews import (
    CampaignDetailView,
    CampaignListView,
    CheckView,
    DuplicateListView,
    DuplicateReviewView,
)
from .steps import (
    StatusView,
    StepView,
)

__all__ = [
    "STATUS_BADGES",
    "XLSX",
    "CampaignDetailView",
    "CampaignListView",
    "CheckView",
    "DuplicateListView",
    "DuplicateReviewView",
    "HouseholdCreateView",
    "HouseholdDetailView",
    "HouseholdEditView",
    "HouseholdExportView",
    "HouseholdListView",
    "ImportReportView",
    "ImportStatusView",
    "ImportTemplateView",
    "ImportView",
    "IncomeView",
    "MoveView",
    "RevealIdNumberView",
    "StatusView",
    "StepEvidenceView",
    "StepView",
    "apply_errors",
]
