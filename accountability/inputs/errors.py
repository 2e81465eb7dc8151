"""Inputs of the three error indicators (identification, exit and fund errors): the errors
`inspections.error_rates` defines (三个零差错, the board's and the bulletin's rates) — each household
once per kind of error, in the month it was first revealed, whichever source revealed it.

A subject answers for the errors first revealed in the month under its regions, and for those a
confirmed finding names it for (its unit, or itself) — the same errors, so a household found in its
region and named against its unit counts once.
"""

from __future__ import annotations

import datetime as dt

from inspections.error_rates import error_keys, finding_key
from inspections.models import Finding

from ..models import IndicatorCode
from ..periods import next_month
from .base import Inputs, Scope, _between, _Rows

INDICATORS = {
    "identification": IndicatorCode.IDENTIFICATION_ERRORS,
    "exit": IndicatorCode.EXIT_ERRORS,
    "funds": IndicatorCode.FUND_ERRORS,
}


def _month_errors(month: dt.date, prefix: str = "") -> dict[str, dict[str, str]]:
    """{kind: {key: region}} first revealed in the month (one query)."""
    out: dict[str, dict[str, str]] = {kind: {} for kind in INDICATORS}
    for kind, key, region in error_keys(start=month, end=next_month(month), prefix=prefix):
        out[kind][key] = region
    return out


def _named_findings(month: dt.date):
    """Confirmed findings of the month of an error category, with whom they name."""
    return (
        Finding.objects.filter(_between("confirmed_at", month), status="confirmed", category__in=list(INDICATORS))
        .values_list("pk", "household_id", "category", "region_id", "responsible_unit_id", "responsible_officers")
    )  # fmt: skip


def _count(scope: Scope, errors: dict, named: dict[str, set[str]], inputs: Inputs) -> None:
    recorded = {}
    for kind, code in INDICATORS.items():
        keys = {k for k, region in errors[kind].items() if any(region.startswith(p) for p in scope.prefixes)}
        keys |= named.get(kind, set()) & set(errors[kind])
        inputs.counts[code] = len(keys)
        recorded[kind] = sorted(keys)
    inputs.sources["inspections.error_rates"] = {"available": True, **recorded}


def collect_errors(scope: Scope, month: dt.date, inputs: Inputs) -> None:
    prefix = (
        scope.prefixes[0] if len(scope.prefixes) == 1 and not (scope.unit_ids or scope.officer_ids) else ""
    )
    errors = _month_errors(month, prefix)
    named: dict[str, set[str]] = {}
    if scope.unit_ids or scope.officer_ids:
        for pk, household, category, _region, unit, officer in _named_findings(month):
            if unit in scope.unit_ids or officer in scope.officer_ids:
                named.setdefault(category, set()).add(finding_key(pk, household))
    _count(scope, errors, named, inputs)


def collect_errors_all(scopes: list[Scope], month: dt.date, all_inputs: list[Inputs]) -> None:
    """`collect_errors` for every scope with two queries."""
    errors = _month_errors(month)
    rows, facts = _Rows(scopes), {}
    for pk, household, category, _region, unit, officer in _named_findings(month):
        rows.add(pk, unit=unit, officer=officer)
        facts[pk] = (category, finding_key(pk, household))
    for scope, inputs in zip(scopes, all_inputs, strict=True):
        named: dict[str, set[str]] = {}
        for pk in rows.of(scope):
            category, key = facts[pk]
            named.setdefault(category, set()).add(key)
        _count(scope, errors, named, inputs)
