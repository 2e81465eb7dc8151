"""Reads of the funds app. Every selector that takes an actor applies the scoping rule once.

Scope of each row: a fund by the region holding it, a project by its village (else county),
an account by its region, an entry or request by the accounts it touches. One module per
sub-domain; every name is re-exported here, so `funds.selectors.X` keeps working.
"""

from . import bank  # noqa: F401 - selectors.bank.X for the bank pages
from .batches import ROW_FLAGS, batch_approval_of, batch_get, batch_list, page_rows
from .catalogue import (
    MONEY_FIELD,
    account_get,
    account_list,
    fund_get,
    fund_list,
    payable_accounts,
    project_get,
    project_list,
    project_paid_totals,
)
from .disbursements import (
    pending_count,
    request_get,
    request_list,
    request_status_changes,
    village_fund_disclosure,
)
from .flags import (
    DUPLICATE_WINDOW_DAYS,
    FLAG_LABELS,
    Flag,
    FlagCount,
    FlagReport,
    flag_overview,
    flag_report,
    flag_summary,
    fund_flags,
    payment_flags,
    total_flags,
)
from .ledger import account_ledger, entry_get, entry_list
from .reconciliation import Reconciliation, reconciliation
from .rules import (
    DUPLICATE_REQUEST_DAYS,
    Assessment,
    RuleReads,
    assess_payment,
    contract_total,
    payment_limits,
    project_cap,
    project_chain_missing,
    request_flags,
    review_threshold,
)

__all__ = [
    "DUPLICATE_REQUEST_DAYS",
    "DUPLICATE_WINDOW_DAYS",
    "FLAG_LABELS",
    "MONEY_FIELD",
    "ROW_FLAGS",
    "Assessment",
    "Flag",
    "FlagCount",
    "FlagReport",
    "Reconciliation",
    "RuleReads",
    "account_get",
    "account_ledger",
    "account_list",
    "assess_payment",
    "batch_approval_of",
    "batch_get",
    "batch_list",
    "contract_total",
    "entry_get",
    "entry_list",
    "flag_overview",
    "flag_report",
    "flag_summary",
    "fund_flags",
    "fund_get",
    "fund_list",
    "page_rows",
    "payable_accounts",
    "payment_flags",
    "payment_limits",
    "pending_count",
    "project_cap",
    "project_chain_missing",
    "project_get",
    "project_list",
    "project_paid_totals",
    "reconciliation",
    "request_flags",
    "request_get",
    "request_list",
    "request_status_changes",
    "review_threshold",
    "total_flags",
    "village_fund_disclosure",
]
