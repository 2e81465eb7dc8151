"""Writes of the funds app. Views, API views, imports and the demo all call these."""

from .bank import (
    bank_create,
    bank_return_upload,
    payee_bank_account_set,
    payment_file_content,
    payment_file_create,
)
from .batches import batch_open, page_confirm, page_show
from .catalogue import fund_create, project_create, project_update
from .disbursements import (
    disbursement_approve,
    disbursement_reject,
    disbursement_request_create,
    disbursement_request_preview,
    disbursement_reverse,
    disbursement_withdraw,
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
from .rules import (
    contract_change_record,
    contractor_record,
    payee_create,
    payee_record,
    payment_limit_set,
    payment_settings_set,
)

__all__ = [
    "InsufficientFunds",
    "allocate_to_county",
    "allocate_to_project",
    "bank_create",
    "bank_return_upload",
    "batch_open",
    "budget_arrange",
    "contract_change_record",
    "contractor_record",
    "county_account",
    "disbursement_approve",
    "disbursement_reject",
    "disbursement_request_create",
    "disbursement_request_preview",
    "disbursement_reverse",
    "disbursement_withdraw",
    "entry_reverse",
    "fund_create",
    "household_payee_account",
    "money",
    "page_confirm",
    "page_show",
    "payee_bank_account_set",
    "payee_create",
    "payee_record",
    "payment_file_content",
    "payment_file_create",
    "payment_limit_set",
    "payment_settings_set",
    "pool_account",
    "project_account",
    "project_create",
    "project_update",
]
