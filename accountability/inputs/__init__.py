"""The inputs of a monthly score, read (never written) from the other apps.

One module per input source (inspections, the error rates, assistance, this app's own cases); each collector
records which rows it counted (`sources`), so a score can be re-checked. `collect` reads one
subject; `collect_all` reads every subject of a month with one query per indicator.
"""

from __future__ import annotations

import datetime as dt
import logging

from .assistance import collect_plan_gaps, collect_plan_gaps_all
from .base import (
    SEVERITIES,
    TERRITORIAL_KINDS,
    Inputs,
    Scope,
    scope_of_officer,
    scope_of_unit,
    scopes_of_officers,
)
from .cases import collect_three_always, collect_three_always_all
from .errors import collect_errors, collect_errors_all
from .fieldwork import collect_fieldwork, collect_fieldwork_all
from .inspections import (
    collect_findings,
    collect_findings_all,
    collect_overdue,
    collect_overdue_all,
    collect_repeated_absences,
    collect_repeated_absences_all,
)

logger = logging.getLogger(__name__)

COLLECTORS = [
    collect_findings, collect_overdue, collect_errors, collect_plan_gaps, collect_three_always,
    collect_repeated_absences, collect_fieldwork,
]  # fmt: skip


def collect(scope: Scope, month: dt.date) -> Inputs:
    inputs = Inputs()
    for collector in COLLECTORS:
        collector(scope, month, inputs)
    return inputs


GROUPED_COLLECTORS = [
    collect_findings_all, collect_overdue_all, collect_errors_all, collect_plan_gaps_all,
    collect_three_always_all, collect_repeated_absences_all, collect_fieldwork_all,
]  # fmt: skip


def collect_all(scopes: list[Scope], month: dt.date) -> list[Inputs]:
    """`[collect(s, month) for s in scopes]` with one query per indicator instead of one per scope."""
    all_inputs = [Inputs() for _ in scopes]
    if scopes:
        for collector in GROUPED_COLLECTORS:
            collector(scopes, month, all_inputs)
    return all_inputs


__all__ = [
    "COLLECTORS", "GROUPED_COLLECTORS", "SEVERITIES", "TERRITORIAL_KINDS", "Inputs", "Scope", "collect",
    "collect_all", "collect_errors", "collect_errors_all", "collect_fieldwork", "collect_fieldwork_all",
    "collect_findings", "collect_findings_all",
    "collect_overdue", "collect_overdue_all", "collect_plan_gaps", "collect_plan_gaps_all",
    "collect_repeated_absences", "collect_repeated_absences_all", "collect_three_always",
    "collect_three_always_all", "scope_of_officer", "scope_of_unit", "scopes_of_officers",
]  # fmt: skip
