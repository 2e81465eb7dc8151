"""Inputs from the inspections app: confirmed findings, overdue rectification items, repeated absences.
(Identification and exit errors are counted with the fund errors in `errors`, as the rates define them.)"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q

from inspections.models import Finding, RectificationItem, TeamCheck
from inspections.selectors import overdue_on

from ..models import IndicatorCode
from ..periods import month_end, next_month
from .base import SEVERITIES, Inputs, Scope, _between, _region_q, _Rows


def collect_findings(scope: Scope, month: dt.date, inputs: Inputs) -> None:
    who = _region_q(scope, "region_id")
    if scope.unit_ids:
        who |= Q(responsible_unit_id__in=scope.unit_ids)
    if scope.officer_ids:
        who |= Q(responsible_officers__in=scope.officer_ids)
    qs = (
        Finding.objects.filter(who, _between("confirmed_at", month), status="confirmed")
        .values("pk")
        .distinct()
    )
    rows = Finding.objects.filter(pk__in=qs).aggregate(
        **{s: Count("pk", filter=Q(severity=s)) for s in SEVERITIES},
        ids=Count("pk"),
    )
    for s in SEVERITIES:
        inputs.counts[f"{IndicatorCode.FINDINGS}:{s}"] = rows[s]
    inputs.sources["inspections.findings"] = {
        "available": True, "finding_ids": sorted(Finding.objects.filter(pk__in=qs).values_list("pk", flat=True)),
    }  # fmt: skip


def collect_overdue(scope: Scope, month: dt.date, inputs: Inputs) -> None:
    """Rectification items overdue at the end of the month: the one definition (inspections.selectors.overdue_on)
    the bulletin and the daily job use, on the first day after the month."""
    key = IndicatorCode.OVERDUE_RECTIFICATIONS
    end = month_end(month)
    who = _region_q(scope, "region_id")
    if scope.unit_ids:
        who |= Q(responsible_unit_id__in=scope.unit_ids)
    if scope.officer_ids:
        who |= Q(finding__responsible_officers__in=scope.officer_ids)
    qs = RectificationItem.objects.filter(who, overdue_on(next_month(month)), created_at__date__lte=end)
    ids = sorted(set(qs.values_list("pk", flat=True)))
    inputs.counts[key] = len(ids)
    inputs.sources["inspections.rectifications"] = {"available": True, "item_ids": ids}


def collect_repeated_absences(scope: Scope, month: dt.date, inputs: Inputs) -> None:
    """随机抽查、突击检查: spot checks in the month finding a first secretary absent who had already
    been found absent in the twelve months before (the second and later absences count)."""
    key = IndicatorCode.REPEATED_ABSENCES
    who = _region_q(scope, "village_id")
    if scope.officer_ids:
        who |= Q(first_secretary_id__in=scope.officer_ids)
    earlier = TeamCheck.objects.filter(
        first_secretary_id=OuterRef("first_secretary_id"), secretary_present=False,
        checked_on__lt=OuterRef("checked_on"), checked_on__gte=month.replace(year=month.year - 1),
    )  # fmt: skip
    qs = TeamCheck.objects.filter(
        who, secretary_present=False, checked_on__gte=month, checked_on__lt=next_month(month)
    ).filter(Exists(earlier))
    ids = sorted(set(qs.values_list("pk", flat=True)))
    inputs.counts[key] = len(ids)
    inputs.sources["inspections.team_checks"] = {"available": True, "check_ids": ids}


def collect_findings_all(scopes: list[Scope], month: dt.date, all_inputs: list[Inputs]) -> None:
    rows, facts = _Rows(scopes), {}
    qs = Finding.objects.filter(_between("confirmed_at", month), status="confirmed").values_list(
        "pk", "region_id", "responsible_unit_id", "severity", "category", "responsible_officers"
    )
    for pk, region, unit, severity, category, officer in qs:
        rows.add(pk, region=region, unit=unit, officer=officer)
        facts[pk] = (severity, category)
    for scope, inputs in zip(scopes, all_inputs, strict=True):
        ids = rows.of(scope)
        for s in SEVERITIES:
            inputs.counts[f"{IndicatorCode.FINDINGS}:{s}"] = sum(1 for pk in ids if facts[pk][0] == s)
        inputs.sources["inspections.findings"] = {"available": True, "finding_ids": sorted(ids)}


def collect_overdue_all(scopes: list[Scope], month: dt.date, all_inputs: list[Inputs]) -> None:
    end = month_end(month)
    rows = _Rows(scopes)
    qs = RectificationItem.objects.filter(
        overdue_on(next_month(month)), created_at__date__lte=end
    ).values_list("pk", "region_id", "responsible_unit_id", "finding__responsible_officers")
    for pk, region, unit, officer in qs:
        rows.add(pk, region=region, unit=unit, officer=officer)
    for scope, inputs in zip(scopes, all_inputs, strict=True):
        ids = sorted(rows.of(scope))
        inputs.counts[IndicatorCode.OVERDUE_RECTIFICATIONS] = len(ids)
        inputs.sources["inspections.rectifications"] = {"available": True, "item_ids": ids}


def collect_repeated_absences_all(scopes: list[Scope], month: dt.date, all_inputs: list[Inputs]) -> None:
    earlier = TeamCheck.objects.filter(
        first_secretary_id=OuterRef("first_secretary_id"), secretary_present=False,
        checked_on__lt=OuterRef("checked_on"), checked_on__gte=month.replace(year=month.year - 1),
    )  # fmt: skip
    qs = (
        TeamCheck.objects.filter(
            secretary_present=False, checked_on__gte=month, checked_on__lt=next_month(month)
        )
        .filter(Exists(earlier))
        .values_list("pk", "village_id", "first_secretary_id")
    )
    rows = _Rows(scopes)
    for pk, village, officer in qs:
        rows.add(pk, region=village, officer=officer)
    for scope, inputs in zip(scopes, all_inputs, strict=True):
        ids = sorted(rows.of(scope, units=False))
        inputs.counts[IndicatorCode.REPEATED_ABSENCES] = len(ids)
        inputs.sources["inspections.team_checks"] = {"available": True, "check_ids": ids}
