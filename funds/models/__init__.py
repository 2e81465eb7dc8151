"""Funds (资金): budget → allocation → disbursement, kept in a double-entry, append-only ledger.

One module per sub-domain: `catalogue` (funds and projects), `ledger` (accounts, entries, lines),
`disbursements` (requests to pay and their status changes). Every name is re-exported here, so
`from funds.models import X` keeps working.
"""

from .bank import (
    Bank,
    BankReturn,
    FileFormat,
    LineResult,
    PayeeBankAccount,
    PaymentFile,
    PaymentLine,
)
from .batches import PAGE_ROWS, BatchApproval, ReviewBatch, ReviewPage
from .catalogue import (
    MONEY,
    TENDER_METHODS,
    ZERO,
    Fund,
    FundSource,
    ProcurementMethod,
    Project,
    ProjectKind,
)
from .disbursements import (
    ALLOWED_TRANSITIONS,
    MOVE_PERMISSIONS,
    DisbursementRequest,
    DisbursementStatusChange,
    RequestStatus,
    may_move,
)
from .ledger import HOLDING_KINDS, Account, AccountKind, Entry, EntryKind, Line, PayeeKind
from .rules import (
    CONTRACTOR_KINDS,
    DEFAULT_LIMITS,
    DEFAULT_REVIEW_THRESHOLD,
    ContractChange,
    Payee,
    PaymentKind,
    PaymentLimit,
    PaymentSettings,
)

__all__ = [
    "ALLOWED_TRANSITIONS",
    "CONTRACTOR_KINDS",
    "DEFAULT_LIMITS",
    "DEFAULT_REVIEW_THRESHOLD",
    "HOLDING_KINDS",
    "MONEY",
    "MOVE_PERMISSIONS",
    "PAGE_ROWS",
    "TENDER_METHODS",
    "ZERO",
    "Account",
    "AccountKind",
    "Bank",
    "BankReturn",
    "BatchApproval",
    "ContractChange",
    "DisbursementRequest",
    "DisbursementStatusChange",
    "Entry",
    "EntryKind",
    "FileFormat",
    "Fund",
    "FundSource",
    "Line",
    "LineResult",
    "Payee",
    "PayeeBankAccount",
    "PayeeKind",
    "PaymentFile",
    "PaymentKind",
    "PaymentLimit",
    "PaymentLine",
    "PaymentSettings",
    "ProcurementMethod",
    "Project",
    "ProjectKind",
    "RequestStatus",
    "ReviewBatch",
    "ReviewPage",
    "may_move",
]
