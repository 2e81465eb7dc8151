"""Funds (资金): budget → allocation → disbursement, kept in a double-entry, append-only ledger.

One module per sub-domain: `catalogue` (funds and projects), `ledger` (accounts, entries, lines),
`disbursements` (requests to pay and their status changes). Every name is re-exported here, so
`from funds.models import X` keeps working.
"""

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

__all__ = [
    "ALLOWED_TRANSITIONS",
    "HOLDING_KINDS",
    "MONEY",
    "MOVE_PERMISSIONS",
    "TENDER_METHODS",
    "ZERO",
    "Account",
    "AccountKind",
    "DisbursementRequest",
    "DisbursementStatusChange",
    "Entry",
    "EntryKind",
    "Fund",
    "FundSource",
    "Line",
    "PayeeKind",
    "ProcurementMethod",
    "Project",
    "ProjectKind",
    "RequestStatus",
    "may_move",
]
