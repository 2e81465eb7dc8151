"""The inputs of a monthly score, read (never written) from the other apps.

Each collector answers for one source app and records which rows it counted (`sources`), so a
score can be re-checked.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q

from assistance.selectors import NEEDS_PLAN_STATUSES, UncoveredCauses
from core.models import Officer, Unit, UnitKind
from core.regions import prefix_from_code
from funds.models import DisbursementRequest
from households.models import Household
from inspections.models import Finding, RectificationItem, TeamCheck

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


def _between(field_name: str, month: dt.date) -> Q:
    """field in [month, next month) — dates or aware datetimes compared in Asia/Shanghai."""
    return Q(**{f"{field_name}__date__gte": month, f"{field_name}__date__lt": next_month(month)})


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
        identification=Count("pk", filter=Q(category="identification")),
        exit=Count("pk", filter=Q(category="exit")),
        ids=Count("pk"),
    )
    for s in SEVERITIES:
        inputs.counts[f"{IndicatorCode.FINDINGS}:{s}"] = rows[s]
    inputs.counts[IndicatorCode.IDENTIFICATION_ERRORS] = rows["identification"]
    inputs.counts[IndicatorCode.EXIT_ERRORS] = rows["exit"]
    inputs.sources["inspections.findings"] = {
        "available": True, "finding_ids": sorted(Finding.objects.filter(pk__in=qs).values_list("pk", flat=True)),
    }  # fmt: skip


def collect_overdue(scope: Scope, month: dt.date, inputs: Inputs) -> None:
    """Rectification items overdue at the end of the month (deadline passed, not yet closed then)."""
    key = IndicatorCode.OVERDUE_RECTIFICATIONS
    end = month_end(month)
    who = _region_q(scope, "region_id")
    if scope.unit_ids:
        who |= Q(responsible_unit_id__in=scope.unit_ids)
    if scope.officer_ids:
        who |= Q(finding__responsible_officers__in=scope.officer_ids)
    qs = RectificationItem.objects.filter(who, deadline__lte=end, created_at__date__lte=end).filter(
        Q(closed_at__isnull=True) | Q(closed_at__date__gt=end)
    )
    ids = sorted(set(qs.values_list("pk", flat=True)))
    inputs.counts[key] = len(ids)
    inputs.sources["inspections.rectifications"] = {"available": True, "item_ids": ids}


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


def collect_plan_gaps(scope: Scope, month: dt.date, inputs: Inputs) -> None:
    """Households that need a plan this year and have none, or whose plan leaves a cause uncovered."""
    key = IndicatorCode.PLAN_GAPS
    if not scope.prefixes:
        inputs.sources["assistance.coverage"] = {"available": True, "note": "no region"}
        inputs.counts.setdefault(key, 0)
        return
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


COLLECTORS = [
    collect_findings, collect_overdue, collect_fund_errors, collect_plan_gaps, collect_three_always,
    collect_repeated_absences,
]  # fmt: skip


def collect(scope: Scope, month: dt.date) -> Inputs:
    inputs = Inputs()
    for collector in COLLECTORS:
        collector(scope, month, inputs)
    return inputs


# --- every subject of a month at once ----------------------------------------------------------
#
# The same inputs as `collect`, for many scopes with one query per indicator: each query selects the
# month's rows for every region (the collector's own filters, without the "who" part) with the columns
# the "who" part tests — region code, responsible unit, officers — and each scope keeps the rows it
# would have matched. Plan gaps, the only indicator over the whole register, are counted per village
# in one GROUP BY and summed per scope (a household lies in one village, so the union of a scope's
# prefixes is the sum of its villages). Results are identical to `collect` scope by scope (tested).


class _Rows:
    """The month's rows of one indicator, indexed by what a scope's "who" part tests."""

    def __init__(self, scopes: list[Scope]):
        self.lengths = sorted({len(p) for s in scopes for p in s.prefixes})
        self.by_prefix: dict[str, set[int]] = {}
        self.by_unit: dict[int, set[int]] = {}
        self.by_officer: dict[int, set[int]] = {}

    def add(self, pk: int, *, region: str | None = None, unit: int | None = None, officer: int | None = None):
        if region:
            for n in self.lengths:
                if len(region) >= n:  # code.startswith(p) ⇔ code[:len(p)] == p for codes long enough
                    self.by_prefix.setdefault(region[:n], set()).add(pk)
        if unit is not None:
            self.by_unit.setdefault(unit, set()).add(pk)
        if officer is not None:
            self.by_officer.setdefault(officer, set()).add(pk)

    def of(self, scope: Scope, *, units: bool = True, officers: bool = True) -> set[int]:
        """The rows the scope's "who" part matches: its prefixes, or its units, or its officers."""
        out: set[int] = set()
        for p in scope.prefixes:
            out |= self.by_prefix.get(p, set())
        if units:
            for u in scope.unit_ids:
                out |= self.by_unit.get(u, set())
        if officers:
            for o in scope.officer_ids:
                out |= self.by_officer.get(o, set())
        return out


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
        inputs.counts[IndicatorCode.IDENTIFICATION_ERRORS] = sum(
            1 for pk in ids if facts[pk][1] == "identification"
        )
        inputs.counts[IndicatorCode.EXIT_ERRORS] = sum(1 for pk in ids if facts[pk][1] == "exit")
        inputs.sources["inspections.findings"] = {"available": True, "finding_ids": sorted(ids)}


def collect_overdue_all(scopes: list[Scope], month: dt.date, all_inputs: list[Inputs]) -> None:
    end = month_end(month)
    rows = _Rows(scopes)
    qs = (
        RectificationItem.objects.filter(deadline__lte=end, created_at__date__lte=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__date__gt=end))
        .values_list("pk", "region_id", "responsible_unit_id", "finding__responsible_officers")
    )
    for pk, region, unit, officer in qs:
        rows.add(pk, region=region, unit=unit, officer=officer)
    for scope, inputs in zip(scopes, all_inputs, strict=True):
        ids = sorted(rows.of(scope))
        inputs.counts[IndicatorCode.OVERDUE_RECTIFICATIONS] = len(ids)
        inputs.sources["inspections.rectifications"] = {"available": True, "item_ids": ids}


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


def collect_plan_gaps_all(scopes: list[Scope], month: dt.date, all_inputs: list[Inputs]) -> None:
    key = IndicatorCode.PLAN_GAPS
    prefixes = sorted({p for s in scopes for p in s.prefixes})
    # The fewest prefixes covering them all (a township inside a scored county adds nothing).
    covering = [p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes)]
    per_village: dict[str, int] = {}
    if covering:
        qs = Household.objects.filter(status__in=NEEDS_PLAN_STATUSES)
        if len(covering) <= 50:  # else (a province): every village, no long OR on each row
            qs = qs.filter(_region_q(Scope(prefixes=tuple(covering)), "village_id"))
        qs = (
            qs.annotate(this_plan=FilteredRelation("assistance_plans", condition=Q(assistance_plans__year=month.year)))
            # The plan's stored coverage (kept by PostgreSQL from the measures and the household's
            # causes, the same rule as UncoveredCauses): read from the coverage index, no subquery.
            .filter(Q(this_plan__id__isnull=True) | Q(this_plan__uncovered_count__gt=0))
            .order_by()
            .values("village_id")
            .annotate(n=Count("*"))
            .values_list("village_id", "n")
        )  # fmt: skip
        per_village = dict(qs)
    by_prefix: dict[str, int] = dict.fromkeys(prefixes, 0)
    lengths = sorted({len(p) for p in prefixes})
    for village, n in per_village.items():
        for length in lengths:
            if village[:length] in by_prefix:
                by_prefix[village[:length]] += n
    for scope, inputs in zip(scopes, all_inputs, strict=True):
        if not scope.prefixes:
            inputs.sources["assistance.coverage"] = {"available": True, "note": "no region"}
            inputs.counts.setdefault(key, 0)
            continue
        # Overlapping prefixes of one scope (a county and one of its townships) count a village once.
        own = [p for p in scope.prefixes if not any(p != q and p.startswith(q) for q in scope.prefixes)]
        inputs.counts[key] = sum(by_prefix[p] for p in set(own))
        inputs.sources["assistance.coverage"] = {
            "available": True,
            "year": month.year,
            "as_of": "computation",
        }


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


GROUPED_COLLECTORS = [
    collect_findings_all, collect_overdue_all, collect_fund_errors_all, collect_plan_gaps_all,
    collect_three_always_all, collect_repeated_absences_all,
]  # fmt: skip


def collect_all(scopes: list[Scope], month: dt.date) -> list[Inputs]:
    """`[collect(s, month) for s in scopes]` with one query per indicator instead of one per scope."""
    all_inputs = [Inputs() for _ in scopes]
    if scopes:
        for collector in GROUPED_COLLECTORS:
            collector(scopes, month, all_inputs)
    return all_inputs


def scopes_of_officers(officers: list[Officer], month: dt.date) -> list[Scope]:
    """`[scope_of_officer(o, month) for o in officers]` in one query."""
    resps = Responsibility.objects.filter(
        officer__in=[o.pk for o in officers], valid_from__lte=month_end(month)
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=month))
    regions: dict[int, set[str]] = {}
    for officer_id, region in resps.values_list("officer_id", "region_id"):
        regions.setdefault(officer_id, set()).add(prefix_from_code(region))
    return [Scope(prefixes=tuple(sorted(regions.get(o.pk, ()))), officer_ids=(o.pk,)) for o in officers]


__all__ = [
    "Inputs", "Scope", "collect", "collect_all", "scope_of_officer", "scope_of_unit", "scopes_of_officers",
]  # fmt: skip
