"""Pages for finance officers and auditors. Every read goes through a selector (scoped), every
write through a service; a row outside the user's region is a 404.

One module per sub-domain; every view is re-exported here for `funds.urls`. The page sizes live
here (the views read them at request time, so a test can make them small).
"""

LEDGER_PAGE = 100
FLAG_PAGE = 50

from .catalogue import (  # noqa: E402 - the page sizes above come first
    FundDetailView,
    HomeView,
    ProjectDetailView,
    ProjectFormView,
    ProjectListView,
)
from .disbursements import (  # noqa: E402
    RequestActionView,
    RequestCreateView,
    RequestDetailView,
    RequestListView,
)
from .ledger import AccountLedgerView, EntryDetailView, ReconciliationView  # noqa: E402

__all__ = [
    "FLAG_PAGE",
    "LEDGER_PAGE",
    "AccountLedgerView",
    "EntryDetailView",
    "FundDetailView",
    "HomeView",
    "ProjectDetailView",
    "ProjectFormView",
    "ProjectListView",
    "ReconciliationView",
    "RequestActionView",
    "RequestCreateView",
    "RequestDetailView",
    "RequestListView",
]
