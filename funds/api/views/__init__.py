"""REST API of the funds app: the same services and selectors as the pages, the same scope.

One module per sub-domain; every view is re-exported here for `funds.api.urls`."""

from .bank import BankCardApi, BankReturnDetailApi, BankReturnListApi
from .batches import (
    BatchConfirmApi,
    BatchListApi,
    BatchPageApi,
    PaymentFileDetailApi,
    PaymentFileListApi,
)
from .catalogue import (
    VIEW_FUND,
    ContractChangeListApi,
    FundAllocationApi,
    FundBudgetApi,
    FundDetailApi,
    FundFilter,
    FundListApi,
    PaymentLimitApi,
    PaymentRulesApi,
    ProjectDetailApi,
    ProjectFilter,
    ProjectListApi,
)
from .disbursements import (
    RequestApproveApi,
    RequestDetailApi,
    RequestFilter,
    RequestListApi,
    RequestPreviewApi,
    RequestRejectApi,
    RequestReverseApi,
    RequestWithdrawApi,
)
from .ledger import (
    AccountFilter,
    AccountLedgerApi,
    AccountListApi,
    EntryDetailApi,
    EntryFilter,
    EntryListApi,
    EntryReverseApi,
)
from .payees import PayeeListApi
from .reconciliation import FlagListApi, ReconciliationApi, reconciliation_target

__all__ = [
    "VIEW_FUND",
    "AccountFilter",
    "AccountLedgerApi",
    "AccountListApi",
    "BankCardApi",
    "BankReturnDetailApi",
    "BankReturnListApi",
    "BatchConfirmApi",
    "BatchListApi",
    "BatchPageApi",
    "ContractChangeListApi",
    "EntryDetailApi",
    "EntryFilter",
    "EntryListApi",
    "EntryReverseApi",
    "FlagListApi",
    "FundAllocationApi",
    "FundBudgetApi",
    "FundDetailApi",
    "FundFilter",
    "FundListApi",
    "PayeeListApi",
    "PaymentFileDetailApi",
    "PaymentFileListApi",
    "PaymentLimitApi",
    "PaymentRulesApi",
    "ProjectDetailApi",
    "ProjectFilter",
    "ProjectListApi",
    "ReconciliationApi",
    "RequestApproveApi",
    "RequestDetailApi",
    "RequestFilter",
    "RequestListApi",
    "RequestPreviewApi",
    "RequestRejectApi",
    "RequestReverseApi",
    "RequestWithdrawApi",
    "reconciliation_target",
]
