"""HTML pages of inspections, one module per use case. Every read goes through the selectors
(scope + secrecy). Every view stays importable from `inspections.views` (urls.py uses it)."""

from .findings import FindingCreateView, FindingDetailView, FindingListView, PhotoView
from .ledger import EvidenceFileView, ItemDetailView, ItemListView, NotificationListView
from .problem_lists import (
    ProblemListDetailView,
    ProblemListImportView,
    ProblemListListView,
    RecipientDetailView,
)
from .visits import (
    PlanCreateView,
    PlanDetailView,
    PlanListView,
    ReportDetailView,
    ReportFilingView,
    ReportListView,
    service_worker,
)

__all__ = [
    "EvidenceFileView",
    "FindingCreateView",
    "FindingDetailView",
    "FindingListView",
    "ItemDetailView",
    "ItemListView",
    "NotificationListView",
    "PhotoView",
    "PlanCreateView",
    "PlanDetailView",
    "PlanListView",
    "ProblemListDetailView",
    "ProblemListImportView",
    "ProblemListListView",
    "RecipientDetailView",
    "ReportDetailView",
    "ReportFilingView",
    "ReportListView",
    "service_worker",
]
