"""Writes for assistance. Views, the API, the demo and imports all call these.

One module per sub-domain: `plans`, `measures` (with their status moves), `evidence`, `teams`;
`common` holds the checks every write makes. Every name is exported here, so
`assistance.services.X` stays the one import path.
"""

from __future__ import annotations

from .common import (
    _check_officer,
    _ensure_household_writable,
    _touch_plan,
    _validation_to_domain,
)
from .evidence import (
    EVIDENCE_KINDS,
    evidence_attach,
)
from .measures import (
    MEASURE_EDITABLE,
    _check_measure,
    measure_add,
    measure_transition,
    measure_update,
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

__all__ = [
    "EVIDENCE_KINDS",
    "MEASURE_EDITABLE",
    "PLAN_EDITABLE",
    "TEAM_EDITABLE",
    "_check_measure",
    "_check_officer",
    "_check_team",
    "_ensure_household_writable",
    "_touch_plan",
    "_validation_to_domain",
    "evidence_attach",
    "measure_add",
    "measure_transition",
    "measure_update",
    "plan_create",
    "plan_update",
    "team_create",
    "team_update",
]
