"""Reads for assistance. Every queryset goes through `core.scoping.scope` (on the household's
village), so no page, endpoint or export can forget the scope.

Scope: the general rule of `core.scoping` (rows under the actor's region), which narrows a first
secretary (驻村第一书记) to the villages their current work team serves by asking
`village_restriction` (`scope`; this app knows the rule; `apps.AssistanceConfig` names it).

One module per sub-domain: `scope`, `coverage` (the rule), `plans` (plans, measures, evidence, the
household page summary), `fit` (the kinds' table, reviews, 应保尽保), `worklist` ("missing or late"), `teams` (work teams and the villages they
cover), `reports` (the 六个一 board's line). Every name is exported here, so
`assistance.selectors.X` stays the one import path.
"""

from __future__ import annotations

from .coverage import (
    UncoveredCauses,
    _late_count,
    _late_count_if_due,
    county_of,
    kind_answers,
    unanswered_by_kind,
    uncovered_causes,
)
from .fit import (
    KindRow,
    ReliefLacking,
    ReliefMissing,
    counties_in_scope,
    fit_review_get,
    fit_review_list,
    kind_cause_extensions,
    kind_table,
    open_fit_review_count,
    plans_lacking_relief,
    relief_missing,
)
from .plans import (
    CauseCoverage,
    PlanSummary,
    _summary,
    evidence_get,
    measure_get,
    measure_list,
    measures_of_plan,
    officer_choices,
    plan_get,
    plan_list,
    plan_scoped,
    plan_summary,
    plan_summary_for_household,
    status_changes_of_plan,
)
from .reports import (
    measures_due_base,
)
from .scope import (
    NEEDS_PLAN_STATUSES,
    PLAN_ALLOWED_STATUSES,
    current_teams,
    current_year,
    household_get,
    household_list,
    is_village_restricted,
    secretary_village_ids,
    village_restriction,
)
from .teams import (
    _memberships,
    team_form_choices,
    team_get,
    team_list,
    uncovered_villages,
    village_coverage,
    villages_in_scope,
)
from .worklist import (
    Flag,
    WorklistRows,
    _flag_q,
    worklist,
    worklist_base,
    worklist_by_village,
)

__all__ = [
    "NEEDS_PLAN_STATUSES",
    "PLAN_ALLOWED_STATUSES",
    "CauseCoverage",
    "Flag",
    "KindRow",
    "PlanSummary",
    "ReliefLacking",
    "ReliefMissing",
    "UncoveredCauses",
    "WorklistRows",
    "_flag_q",
    "_late_count",
    "_late_count_if_due",
    "_memberships",
    "_summary",
    "counties_in_scope",
    "county_of",
    "current_teams",
    "current_year",
    "evidence_get",
    "fit_review_get",
    "fit_review_list",
    "household_get",
    "household_list",
    "is_village_restricted",
    "kind_answers",
    "kind_cause_extensions",
    "kind_table",
    "measure_get",
    "measure_list",
    "measures_due_base",
    "measures_of_plan",
    "officer_choices",
    "open_fit_review_count",
    "plan_get",
    "plan_list",
    "plan_scoped",
    "plan_summary",
    "plan_summary_for_household",
    "plans_lacking_relief",
    "relief_missing",
    "secretary_village_ids",
    "status_changes_of_plan",
    "team_form_choices",
    "team_get",
    "team_list",
    "unanswered_by_kind",
    "uncovered_causes",
    "uncovered_villages",
    "village_coverage",
    "village_restriction",
    "villages_in_scope",
    "worklist",
    "worklist_base",
    "worklist_by_village",
]
