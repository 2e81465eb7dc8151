"""Pages for finance officers and auditors. Every read goes through a selector (scoped), every
write through a service; a row outside the user's region is a 404.

One module per sub-domain; every view is re-exported here for `funds.urls`. The page sizes live
here (the views read them at request time, so a test can make them small).
"""

LEDGER_PAGE = 100
FLAG_PAGE = 50

from .bank import BankHomeView, BankReturnView, PaymentFileDownloadView, PaymentFileView  # noqa: E402
from .batches import BatchConfirmView, BatchListView, BatchPageView, BatchResultView  # noqa: E402
from .catalogue import (  # noqa: E402 - the page sizes above come first
    FundDetailView,
    HomeView,
    PaymentSettingsView,
    ProjectDetailView,
    ProjectFormView,
    ProjectListView,
)
from .disbursements import (  # noqa: E402
    RequestActionView,
    RequestCreateView,
    RequestDetailView,
    RequestListView,
    RequestWithdrawView,
)
from .ledger import AccountLedgerView, EntryDetailView, ReconciliationView  # noqa: E402
from .payees import HouseholdPayeeView, PayeeListView, PayeeView  # noqa: E402

__all__ = [
    "FLAG_PAGE",
    "LEDGER_PAGE",
    "AccountLedgerView",
    "BankHomeView",
    "BankReturnView",
    "BatchConfirmView",
    "BatchListView",
    "BatchPageView",
    "BatchResultView",
    "EntryDetailView",
    "FundDetailView",
    "HomeView",
    "HouseholdPayeeView",
    "PayeeListView",
    "PayeeView",
    "PaymentFileDownloadView",
    "PaymentFileView",
    "PaymentSettingsView",
    "ProjectDetailView",
    "ProjectFormView",
    "ProjectListView",
    "ReconciliationView",
    "RequestActionView",
    "RequestCreateView",
    "RequestDetailView",
    "RequestListView",
    "RequestWithdrawView",
]
