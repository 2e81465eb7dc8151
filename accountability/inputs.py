"""The inputs of a monthly score, read (never written) from the other apps.

Each collector answers for one source app. When that app's models are not installed yet, or
lack what is needed, the collector says so (`available: False`) and contributes nothing: the
score records which inputs it had, so it can be re-checked — and recomputed once they exist.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.apps import apps
from django.db.models import Count, Q

from core.models import Officer, Unit, UnitKind
from core.regions import prefix_from_code

from .models import AccountabilityCase, CaseRule, IndicatorCode, Responsibility
from .periods import month_end, next_month

logger = logging.getLogger(__name__)

# Units that answer for everything in their region (territorial responsibility).
TERRITORIAL_KINDS = (UnitKind.PARTY_COMMITTEE, UnitKind.GOVERNMENT, UnitKind.TOWNSHIP, UnitKind.VILLAGE)
SEVERITIES = ("minor", "serious", "grave")


@dataclass(frozen=True)
class Scope:
    """What a subject answers for: regions (code prefixes), and findings naming its unit or itself."""

    prefixes: tuple[str, ...] = ()
    unit_ids: tuple[int, ...] = ()
    officer_ids: tuple[int, ...] = ()

    def as_dict(self) -> dict:
        return {
            "prefixes": list(self.prefixes),
            "units": list(self.unit_ids),
            "officers": list(self.officer_ids),
        }


@dataclass
class Inputs:
    counts: dict[str, int] = field(default_factory=dict)
    sources: dict[str, dict] = field(default_factory=dict)

    def as_dict(self, scope: Scope, month: dt.date) -> dict:
        return {
            "month": month.isoformat(),
            "scope": scope.as_dict(),
            "counts": self.counts,
            "sources": self.sources,
        }


def scope_of_unit(unit: Unit) -> Scope:
    prefixes = (prefix_from_code(unit.region_id),) if unit.kind in TERRITORIAL_KINDS else ()
    return Scope(prefixes=prefixes, unit_ids=(unit.pk,))


def scope_of_officer(officer: Officer, month: dt.date) -> Scope:
    """The regions of every responsibility the officer held on any day of the month."""
    resps = Responsibility.objects.filter(officer=officer, valid_from__lte=month_end(month)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=month)
    )
    prefixes = sorted({prefix_from_code(r) for r in resps.values_list("region_id", flat=True)})
    return Scope(prefixes=tuple(prefixes), officer_ids=(officer.pk,))


def _region_q(scope: Scope, field_name: str) -> Q:
    if field_name.endswith("_id"):  # a foreign key to Region: filter its code (no join: code is the key)
        field_name = f"{field_name[:-3]}__code"
    return reduce(or_, (Q(**{f"{field_name}__startswith": p}) for p in scope.prefixes), Q(pk__in=[]))


def _model(app_label: str, name: str, *fields: str):
    """The model if its app is installed and has the fields we read; otherwise None."""
    try:
        model = apps.get_model(app_label, name)
    except LookupError:
        return None
    names = {f.name for f in model._meta.get_fields()}
    return model if set(fields) <= names else None


def _between(field_name: str, month: dt.date) -> Q:
    """field in [month, next month) — dates or aware datetimes compared in Asia/Shanghai."""
    return Q(**{f"{field_name}__date__gte": month, f"{field_name}__date__lt": next_month(month)})


def collect_findings(scope: Scope, month: dt.date, inputs: Inputs) -> None:
    finding = _model("inspections", "Finding", "severity", "category", "status", "confirmed_at", "region")
    keys = [f"{IndicatorCode.FINDINGS}:{s}" for s in SEVERITIES] + [
        IndicatorCode.IDENTIFICATION_ERRORS, IndicatorCode.EXIT_ERRORS,
    ]  # fmt: skip
    if finding is None:
        inputs.sources["inspections.findings"] = {"available": False}
        for key in keys:
            inputs.counts.setdefault(key, 0)
        return
    who = _region_q(scope, "region_id")
    if scope.unit_ids:
        who |= Q(responsible_unit_id__in=scope.unit_ids)
    if scope.officer_ids:
        who |= Q(responsible_officers__in=scope.officer_ids)
    qs = (
        finding.objects.filter(who, _between("confirmed_at", month), status="confirmed")
        .values("pk")
        .distinct()
    )
    rows = finding.objects.filter(pk__in=qs).aggregate(
        **{s: Count("pk", filter=Q(severity=s)) for s in SEVERITIES},
        identification=Count("pk", filter=Q(category="identification")),
        exit=Count("pk", filter=Q(category="exit")),
        ids=Count("pk"),
    )
    for s in SEVERITIES:
        inputs.counts[f"{IndicatorCode.FINDINGS}:{s}"] = rows[s]
    inputs.counts[IndicatorCode.IDENTIFICATION_ERRORS] = rows["identification"]
    inputs.counts[IndicatorCode.EXIT_ERRORS] = rows["exit"]
    inputs.sources["inspections.findings"] = {
        "available": True, "finding_ids": sorted(finding.objects.filter(pk__in=qs).values_list("pk", flat=True)),
    }  # fmt: skip


def collect_overdue(scope: Scope, month: dt.date, inputs: Inputs) -> None:
    """Rectification items overdue at the end of the month (deadline passed, not yet closed then)."""
    item = _model("inspections", "RectificationItem", "deadline", "closed_at", "responsible_unit", "region")
    key = IndicatorCode.OVERDUE_RECTIFICATIONS
    if item is None:
        inputs.sources["inspections.rectifications"] = {"available": False}
        inputs.counts.setdefault(key, 0)
        return
    end = month_end(month)
    who = _region_q(scope, "region_id")
    if scope.unit_ids:
        who |= Q(responsible_unit_id__in=scope.unit_ids)
    if scope.officer_ids:
        who |= Q(finding__responsible_officers__in=scope.officer_ids)
    qs = item.objects.filter(who, deadline__lte=end, created_at__date__lte=end).filter(
        Q(closed_at__isnull=True) | Q(closed_at__date__gt=end)
    )
    ids = sorted(set(qs.values_list("pk", flat=True)))
    inputs.counts[key] = len(ids)
    inputs.sources["inspections.rectifications"] = {"available": True, "item_ids": ids}


def collect_fund_errors(scope: Scope, month: dt.date, inputs: Inputs) -> None:
    """Payments reversed in the month, and payments approved in the month to households not 在册."""
    request = _model("funds", "DisbursementRequest", "status", "decided_at", "household", "region")
    key = IndicatorCode.FUND_ERRORS
    if request is None or not scope.prefixes:
        inputs.sources["funds.reconciliation"] = {"available": request is not None}
        inputs.counts.setdefault(key, 0)
        return
    where = _region_q(scope, "region_id")
    reversed_ids = set(request.objects.filter(where, status="reversed").filter(_between("updated_at", month))
                       .values_list("pk", flat=True))  # fmt: skip
    not_registered = set(
        request.objects.filter(where, _between("decided_at", month), status__in=["approved", "reversed"],
                               payee_kind="household")
        .exclude(household__status__in=["registered", "returned"]).values_list("pk", flat=True)
    )  # fmt: skip
    ids = sorted(reversed_ids | not_registered)
    inputs.counts[key] = len(ids)
    inputs.sources["funds.reconciliation"] = {"available": True, "request_ids": ids}


def collect_plan_gaps(scope: Scope, month: dt.date, inputs: Inputs) -> None:
    """Households that need a plan this year and have none, or whose plan leaves a cause uncovered."""
    key = IndicatorCode.PLAN_GAPS
    try:
        from assistance.selectors import NEEDS_PLAN_STATUSES, UncoveredCauses
        from households.models import Household
    except ImportError:
        inputs.sources["assistance.coverage"] = {"available": False}
        inputs.counts.setdefault(key, 0)
        return
    if not scope.prefixes:
        inputs.sources["assistance.coverage"] = {"available": True, "note": "no region"}
        inputs.counts.setdefault(key, 0)
        return
    from django.db.models import F, FilteredRelation

    qs = (
        Household.objects.filter(_region_q(scope, "village_id"), status__in=NEEDS_PLAN_STATUSES)
        .annotate(this_plan=FilteredRelation("assistance_plans", condition=Q(assistance_plans__year=month.year)))
        .annotate(plan_id=F("this_plan__id"), uncovered=UncoveredCauses("this_plan__id", "main_cause", "secondary_causes"))
        .filter(Q(plan_id__isnull=True) | Q(uncovered__len__gt=0))
    )  # fmt: skip
    inputs.counts[key] = qs.count()
    inputs.sources["assistance.coverage"] = {"available": True, "year": month.year, "as_of": "computation"}


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


def collect_repeated_absences(scope: Scope, month: dt.date, inputs: Inputs) -> None:
    """随机抽查、突击检查: spot checks in the month finding a first secretary absent who had already
    been found absent in the twelve months before (the second and later absences count)."""
    check = _model(
        "inspections", "TeamCheck", "first_secretary", "secretary_present", "checked_on", "village"
    )
    key = IndicatorCode.REPEATED_ABSENCES
    if check is None:
        inputs.sources["inspections.team_checks"] = {"available": False}
        inputs.counts.setdefault(key, 0)
        return
    from django.db.models import Exists, OuterRef

    who = _region_q(scope, "village_id")
    if scope.officer_ids:
        who |= Q(first_secretary_id__in=scope.officer_ids)
    earlier = check.objects.filter(
        first_secretary_id=OuterRef("first_secretary_id"), secretary_present=False,
        checked_on__lt=OuterRef("checked_on"), checked_on__gte=month.replace(year=month.year - 1),
    )  # fmt: skip
    qs = check.objects.filter(
        who, secretary_present=False, checked_on__gte=month, checked_on__lt=next_month(month)
    ).filter(Exists(earlier))
    ids = sorted(set(qs.values_list("pk", flat=True)))
    inputs.counts[key] = len(ids)
    inputs.sources["inspections.team_checks"] = {"available": True, "check_ids": ids}


COLLECTORS = [
    collect_findings, collect_overdue, collect_fund_errors, collect_plan_gaps, collect_three_always,
    collect_repeated_absences,
]  # fmt: skip


def collect(scope: Scope, month: dt.date) -> Inputs:
    inputs = Inputs()
    for collector in COLLECTORS:
        collector(scope, month, inputs)
    return inputs


__all__ = ["Inputs", "Scope", "collect", "scope_of_officer", "scope_of_unit"]
