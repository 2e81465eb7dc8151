"""Reads of the accountability app; every list applies the scoping rule once."""

from .annual import (
    annual_bulletin_current,
    annual_bulletin_get,
    annual_bulletin_list,
    appeal_get,
    appeal_list,
    case_decision_due,
    decision_deadline_passed,
    grade_get,
    grade_list,
    overdue_proposed_cases,
    review_get,
    review_list,
    veto_list,
)
from .bulletins import bulletin_get, bulletin_latest, bulletin_list, bulletin_versions
from .cases import annual_grade_list, ban_list, case_get, case_list, ranking, score_list
from .eligibility import Eligibility, Reason, promotion_eligibility
from .responsibilities import (
    responsibility_get,
    responsibility_list,
    responsible_on,
    who_was_responsible,
)

__all__ = [
    "Eligibility",
    "Reason",
    "annual_bulletin_current",
    "annual_bulletin_get",
    "annual_bulletin_list",
    "annual_grade_list",
    "appeal_get",
    "appeal_list",
    "ban_list",
    "bulletin_get",
    "bulletin_latest",
    "bulletin_list",
    "bulletin_versions",
    "case_decision_due",
    "case_get",
    "case_list",
    "decision_deadline_passed",
    "grade_get",
    "grade_list",
    "overdue_proposed_cases",
    "promotion_eligibility",
    "ranking",
    "responsibility_get",
    "responsibility_list",
    "responsible_on",
    "review_get",
    "review_list",
    "score_list",
    "veto_list",
    "who_was_responsible",
]
