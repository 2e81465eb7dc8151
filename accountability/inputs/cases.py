"""Inputs from this app: cases opened under 三个一律 (counted by finding)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from ..models import AccountabilityCase, CaseRule, IndicatorCode
from ..periods import next_month
from .base import Inputs, Scope, _region_q, _Rows


def collect_three_always(scope: Scope, month: dt.date, inputs: Inputs) -> None:
    who = _region_q(scope, "region_id")
    if scope.unit_ids:
        who |= Q(subject_unit_id__in=scope.unit_ids)
    if scope.officer_ids:
        who |= Q(subject_officer_id__in=scope.officer_ids)
    qs = AccountabilityCase.objects.filter(
        who, rule=CaseRule.THREE_ALWAYS, opened_on__gte=month, opened_on__lt=next_month(month)
    )
    # One finding may open several cases (officers and unit): count findings.
    findings = sorted({f for f in qs.values_list("finding_id", flat=True) if f is not None})
    inputs.counts[IndicatorCode.THREE_ALWAYS_CASES] = len(findings)
    inputs.sources["accountability.three_always"] = {"available": True, "finding_ids": findings}


def collect_three_always_all(scopes: list[Scope], month: dt.date, all_inputs: list[Inputs]) -> None:
    rows, finding_of = _Rows(scopes), {}
    qs = AccountabilityCase.objects.filter(
        rule=CaseRule.THREE_ALWAYS, opened_on__gte=month, opened_on__lt=next_month(month)
    ).values_list("pk", "region_id", "subject_unit_id", "subject_officer_id", "finding_id")
    for pk, region, unit, officer, finding_id in qs:
        rows.add(pk, region=region, unit=unit, officer=officer)
        finding_of[pk] = finding_id
    for scope, inputs in zip(scopes, all_inputs, strict=True):
        findings = sorted({finding_of[pk] for pk in rows.of(scope) if finding_of[pk] is not None})
        inputs.counts[IndicatorCode.THREE_ALWAYS_CASES] = len(findings)
        inputs.sources["accountability.three_always"] = {"available": True, "finding_ids": findings}
