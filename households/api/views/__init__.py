"""REST API for households: one small view per operation; services do the work, selectors scope reads.

One module per use case; every view importable from here."""

from .households import (
    HouseholdDetailApi,
    HouseholdFilter,
    HouseholdListCreateApi,
    HouseholdSearchApi,
    IncomeApi,
    MemberDetailApi,
    MemberIdNumberApi,
    MemberListCreateApi,
)
from .import_jobs import (
    ImportCreateApi,
    ImportErrorReportApi,
    ImportStatusApi,
    PovertyLineApi,
)
from .procedures import (
    MoveApi,
    ProcedureListApi,
    ProcedureStepApi,
    StatusApi,
)
from .reviews import (
    CampaignCheckListApi,
    CampaignDetailApi,
    CampaignListCreateApi,
    CheckRecordApi,
    DuplicateListApi,
    DuplicateReviewApi,
)

__all__ = [
    "CampaignCheckListApi",
    "CampaignDetailApi",
    "CampaignListCreateApi",
    "CheckRecordApi",
    "DuplicateListApi",
    "DuplicateReviewApi",
    "HouseholdDetailApi",
    "HouseholdFilter",
    "HouseholdListCreateApi",
    "HouseholdSearchApi",
    "ImportCreateApi",
    "ImportErrorReportApi",
    "ImportStatusApi",
    "IncomeApi",
    "MemberDetailApi",
    "MemberIdNumberApi",
    "MemberListCreateApi",
    "MoveApi",
    "PovertyLineApi",
    "ProcedureListApi",
    "ProcedureStepApi",
    "StatusApi",
]
