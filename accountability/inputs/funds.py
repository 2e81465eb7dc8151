"""Inputs from the funds app: payments reversed, or approved to households not 在册."""

from __future__ import annotations

import datetime as dt

from funds.models import DisbursementRequest

from ..models import IndicatorCode
from .base import Inputs, Scope, _between, _region_q, _Rows


def collect_fund_errors(scope: Scope, month: dt.date, inputs: Inputs) -> None:
    """Payments reversed in the month, and payments approved in the month to households not 在册."""
    key = IndicatorCode.FUND_ERRORS
    if not scope.prefixes:
        inputs.sources["funds.reconciliation"] = {"available": True}
        inputs.counts.setdefault(key, 0)
        return
    where = _region_q(scope, "region_id")
    reversed_ids = set(DisbursementRequest.objects.filter(where, status="reversed").filter(_between("updated_at", month))
                       .values_list("pk", flat=True))  # fmt: skip
    not_registered = set(
        DisbursementRequest.objects.filter(where, _between("decided_at", month), status__in=["approved", "reversed"],
                               payee_kind="household")
        .exclude(household__status__in=["registered", "returned"]).values_list("pk", flat=True)
    )  # fmt: skip
    ids = sorted(reversed_ids | not_registered)
    inputs.counts[key] = len(ids)
    inputs.sources["funds.reconciliation"] = {"available": True, "request_ids": ids}


def collect_fund_errors_all(scopes: list[Scope], month: dt.date, all_inputs: list[Inputs]) -> None:
    if not any(s.prefixes for s in scopes):
        for scope, inputs in zip(scopes, all_inputs, strict=True):
            collect_fund_errors(scope, month, inputs)
        return
    rows = _Rows(scopes)
    reversed_ = DisbursementRequest.objects.filter(status="reversed").filter(_between("updated_at", month))
    not_registered = (
        DisbursementRequest.objects.filter(_between("decided_at", month), status__in=["approved", "reversed"],
                               payee_kind="household")
        .exclude(household__status__in=["registered", "returned"])
    )  # fmt: skip
    for qs in (reversed_, not_registered):
        for pk, region in qs.values_list("pk", "region_id"):
            rows.add(pk, region=region)
    for scope, inputs in zip(scopes, all_inputs, strict=True):
        if not scope.prefixes:
            collect_fund_errors(scope, month, inputs)  # no query: no region, nothing counted
            continue
        ids = sorted(rows.of(scope, units=False, officers=False))
        inputs.counts[IndicatorCode.FUND_ERRORS] = len(ids)
        inputs.sources["funds.reconciliation"] = {"available": True, "request_ids": ids}
