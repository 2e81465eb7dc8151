"""Writes of the funds app. Views, API views, imports and the demo all call these."""

from .catalogue import fund_create, project_create, project_update
from .disbursements import (
    disbursement_approve,
    disbursement_reject,
    disbursement_request_create,
    disbursement_reverse,
)
from .ledger import (
    InsufficientFunds,
    allocate_to_county,
    allocate_to_project,
    budget_arrange,
    county_account,
    entry_reverse,
    household_payee_account,
    money,
    pool_account,
    project_account,
)

__all__ = [
    "InsufficientFunds",
    "allocate_to_county",
    "allocate_to_project",
    "budget_arrange",
    "county_account",
    "disbursement_approve",
    "disbursement_reject",
    "disbursement_request_create",
    "disbursement_reverse",
    "entry_reverse",
    "fund_create",
    "household_payee_account",
    "money",
    "pool_account",
    "project_account",
    "project_create",
    "project_update",
]
