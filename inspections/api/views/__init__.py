"""REST API of inspections: one small view per operation, reads through the selectors (scope +
secrecy), writes through the services; one module per use case, every view importable from here."""

from .findings import (
    FindingDetailApi,
    FindingFilter,
    FindingListApi,
    FindingPhotoUploadApi,
)
from .ledger import (
    ItemCloseApi,
    ItemDetailApi,
    ItemExportApi,
    ItemFilter,
    ItemListApi,
    ItemSendBackApi,
    ItemSubmitApi,
    NotificationListApi,
    NotificationReadApi,
)
from .problem_lists import (
    AnswerApi,
    ProblemListImportApi,
    ProblemListListApi,
    ProblemListRecipientsApi,
    ProblemListSendApi,
    RecipientAnswersApi,
    RecipientPagination,
)
from .visits import (
    GroupListApi,
    PlanDetailApi,
    PlanFilter,
    PlanListApi,
    PlanVerifyApi,
    ReportDetailApi,
    ReportFileApi,
    ReportFilter,
    ReportListApi,
    ReportSubmitApi,
)

__all__ = [
    "AnswerApi",
    "FindingDetailApi",
    "FindingFilter",
    "FindingListApi",
    "FindingPhotoUploadApi",
    "GroupListApi",
    "ItemCloseApi",
    "ItemDetailApi",
    "ItemExportApi",
    "ItemFilter",
    "ItemListApi",
    "ItemSendBackApi",
    "ItemSubmitApi",
    "NotificationListApi",
    "NotificationReadApi",
    "PlanDetailApi",
    "PlanFilter",
    "PlanListApi",
    "PlanVerifyApi",
    "ProblemListImportApi",
    "ProblemListListApi",
    "ProblemListRecipientsApi",
    "ProblemListSendApi",
    "RecipientAnswersApi",
    "RecipientPagination",
    "ReportDetailApi",
    "ReportFileApi",
    "ReportFilter",
    "ReportListApi",
    "ReportSubmitApi",
]
