"""Writes for households. Views, API, imports and tasks all call these."""

from ..duplicate_finder import duplicates_scan
from .campaigns import campaign_check_record, campaign_close, campaign_create
from .duplicates import duplicate_city_review, duplicate_review
from .imports import MigrationRefused, import_kinds, import_start
from .moves import (
    TRANSFER_DECISIONS,
    household_move,
    household_transfer_accept,
    household_transfer_cancel,
    household_transfer_decline,
)
from .procedures import procedure_step_record, public_notice_objection_raise
from .registry import (
    household_mark_returned,
    household_register,
    household_remove,
    household_transition,
    household_update,
    income_record,
    member_add,
    member_reveal_id_number,
    member_update,
)
from .villages import poor_village_exit

__all__ = [
    "TRANSFER_DECISIONS",
    "MigrationRefused",
    "campaign_check_record",
    "campaign_close",
    "campaign_create",
    "duplicate_city_review",
    "duplicate_review",
    "duplicates_scan",
    "household_mark_returned",
    "household_move",
    "household_register",
    "household_remove",
    "household_transfer_accept",
    "household_transfer_cancel",
    "household_transfer_decline",
    "household_transition",
    "household_update",
    "import_kinds",
    "import_start",
    "income_record",
    "member_add",
    "member_reveal_id_number",
    "member_update",
    "poor_village_exit",
    "procedure_step_record",
    "public_notice_objection_raise",
]
