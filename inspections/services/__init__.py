"""Writes of the inspections app, split by use case. Import from here."""

from .board import complaint_submit, public_board_set
from .ledger import (
    rectification_flag_overdue,
    rectification_item_close,
    rectification_item_create,
    rectification_item_send_back,
    rectification_item_submit,
)
from .notify import notification_mark_read, notify
from .plans import inspection_group_sync, visit_plan_draw, visit_plan_verify_draw
from .problem_lists import (
    problem_answer_review,
    problem_answer_set,
    problem_list_import,
    problem_list_send,
    problem_mark_must_accept,
)
from .reports import (
    finding_confirm,
    finding_create,
    finding_dismiss,
    finding_photo_add,
    visit_report_file,
    visit_report_submit,
)
from .supervision import supervision_flag_missed_months
from .surveys import survey_record, team_check_record

__all__ = [
    "complaint_submit",
    "finding_confirm",
    "finding_create",
    "finding_dismiss",
    "finding_photo_add",
    "inspection_group_sync",
    "notification_mark_read",
    "notify",
    "problem_answer_review",
    "problem_answer_set",
    "problem_list_import",
    "problem_list_send",
    "problem_mark_must_accept",
    "public_board_set",
    "rectification_flag_overdue",
    "rectification_item_close",
    "rectification_item_create",
    "rectification_item_send_back",
    "rectification_item_submit",
    "supervision_flag_missed_months",
    "survey_record",
    "team_check_record",
    "visit_plan_draw",
    "visit_plan_verify_draw",
    "visit_report_file",
    "visit_report_submit",
]
