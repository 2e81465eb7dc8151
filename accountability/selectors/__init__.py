"""Reads of the accountability app; every list applies the scoping rule once."""

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
    "annual_grade_list",
    "ban_list",
    "bulletin_get",
    "bulletin_latest",
    "bulletin_list",
    "bulletin_versions",
    "case_get",
    "case_list",
    "promotion_eligibility",
    "ranking",
    "responsibility_get",
    "responsibility_list",
    "responsible_on",
    "score_list",
    "who_was_responsible",
]
