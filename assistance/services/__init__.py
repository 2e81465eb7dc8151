"""Writes for assistance. Views, the API, the demo and imports all call these.

One module per sub-domain: `plans`, `measures` (with their status moves), `details` (the kind's
answer and facts of a measure), `fit` (the kinds' table, reviews), `evidence`, `teams`, `officers` (responsible officers, fieldwork rules), `visits` (visits and days in
the village);
`common` holds the checks every write makes. Every name is exported here, so
`assistance.services.X` stays the one import path.
"""

from __future__ import annotations

from .common import (
    _check_officer,
    _ensure_household_writable,
    _touch_plan,
)
from .details import (
    DETAIL_FIELDS,
    check_details,
    check_details_complete,
    check_kind_answers,
    member_choices,
)
from .evidence import (
    EVIDENCE_KINDS,
    evidence_attach,
)
from .fit import (
    fit_review_decide,
    fit_reviews_open,
    kind_cause_add,
)
from .measures import (
    MEASURE_EDITABLE,
    _check_measure,
    measure_add,
    measure_transition,
    measure_update,
)
from .officers import (
    ASSIGN_PERMISSION,
    fieldwork_settings_set,
    household_officer_set,
    officer_households_reassign,
    officers_without_account,
)
from .plans import (
    PLAN_EDITABLE,
    plan_create,
    plan_update,
)
from .teams import (
    TEAM_EDITABLE,
    _check_team,
    team_create,
    team_update,
)
from .visits import (
    my_presence_teams,
    presence_record,
    visit_photo_attach,
    visit_record,
)

__all__ = [
    "ASSIGN_PERMISSION",
    "DETAIL_FIELDS",
    "EVIDENCE_KINDS",
    "MEASURE_EDITABLE",
    "PLAN_EDITABLE",
    "TEAM_EDITABLE",
    "_check_measure",
    "_check_officer",
    "_check_team",
    "_ensure_household_writable",
    "_touch_plan",
    "check_details",
    "check_details_complete",
    "check_kind_answers",
    "evidence_attach",
    "fieldwork_settings_set",
    "fit_review_decide",
    "fit_reviews_open",
    "household_officer_set",
    "kind_cause_add",
    "measure_add",
    "measure_transition",
    "measure_update",
    "member_choices",
    "my_presence_teams",
    "officer_households_reassign",
    "officers_without_account",
    "plan_create",
    "plan_update",
    "presence_record",
    "team_create",
    "team_update",
    "visit_photo_attach",
    "visit_record",
]
