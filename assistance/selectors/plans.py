"""Plans, their measures and evidence, the officers who may take a measure, and the summary the
household page shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.models import Officer, RegionLevel
from core.scoping import scope, scope_q
from households.models import Household, PovertyCause

from ..models import AssistancePlan, Evidence, Measure, MeasureStatus, MeasureStatusChange
from .coverage import UncoveredCauses, _late_count_if_due, kind_answers, unanswered_by_kind
from .fit import ReliefMissing, plans_lacking_relief, relief_missing
from .scope import NEEDS_PLAN_STATUSES, current_teams, current_year, household_list

# --- plans and measures ------------------------------------------------------------------


def plan_scoped(*, actor, within: str | None = None) -> QuerySet[AssistancePlan]:
    """Plans of households in the actor's scope (narrowed to the region `within`), as they are
    (no coverage annotations)."""
    return scope(AssistancePlan.objects.all(), actor=actor, field="household__village_id", within=within)


def plan_list(*, actor, filters: dict | None = None) -> QuerySet[AssistancePlan]:
    filters = filters or {}
    today = timezone.localdate()
    qs = (
        plan_scoped(actor=actor, within=filters.get("region"))
        .select_related("household__village__parent", "household__assistance_officer")
        .annotate(
            uncovered=UncoveredCauses("pk", "household__main_cause", "household__secondary_causes"),
            relief_missing=ReliefMissing("pk", "household__main_cause", "household__secondary_causes"),
            late_measures=_late_count_if_due(OuterRef("pk"), "next_due", today),
        )
    )
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("household"):
        qs = qs.filter(household_id=filters["household"])
    if filters.get("relief_missing") is not None:
        qs = plans_lacking_relief(qs, bool(filters["relief_missing"]))
    return qs


def plan_get(*, actor, pk: int) -> AssistancePlan:
    return get_object_or_404(plan_list(actor=actor), pk=pk)


def measures_of_plan(*, plan: AssistancePlan) -> list[Measure]:
    return list(
        plan.measures.select_related("responsible_officer", "employed_member")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
        .order_by("planned_end", "id")
    )


def measure_list(*, actor, filters: dict | None = None) -> QuerySet[Measure]:
    filters = filters or {}
    qs = scope(
        Measure.objects.all(), actor=actor, field="plan__household__village_id", within=filters.get("region")
    ).select_related("plan", "responsible_officer")
    if filters.get("plan"):
        qs = qs.filter(plan_id=filters["plan"])
    return qs


def measure_get(*, actor, pk: int) -> Measure:
    qs = measure_list(actor=actor).select_related("plan__household")
    return get_object_or_404(qs, pk=pk)


def evidence_get(*, actor, pk: int) -> Evidence:
    qs = scope(Evidence.objects.all(), actor=actor, field="measure__plan__household__village_id")
    return get_object_or_404(qs.select_related("measure__plan"), pk=pk)


def status_changes_of_plan(*, plan: AssistancePlan) -> list[MeasureStatusChange]:
    return list(
        MeasureStatusChange.objects.filter(measure__plan=plan)
        .select_related("actor", "measure")
        .order_by("-at", "-id")[:100]
    )


def officer_choices(*, actor, household: Household) -> QuerySet[Officer]:
    """Officers who may be responsible for a household's measures: active officers of its county
    (of the county, its townships, and the villages in the actor's scope: a first secretary is not
    shown another village's officers), and the first secretaries and members of the work teams
    serving its village now."""
    teams = current_teams().filter(served__village_id=household.village_id)
    county = household.village_id[:6]
    above_villages = Q(
        region__code__startswith=county, region__level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP]
    )
    return (
        Officer.objects.filter(is_active=True)
        .filter(
            above_villages
            | (Q(region__code__startswith=county) & scope_q(actor, "region_id"))
            | Q(pk__in=teams.values("first_secretary_id"))
            | Q(pk__in=teams.values("memberships__officer_id"))
        )
        .order_by("name", "id")
    )


# --- the household page summary ----------------------------------------------------------


@dataclass
class CauseCoverage:
    code: str
    label: str
    covered: bool


@dataclass
class PlanSummary:
    household: Household
    year: int
    plan: AssistancePlan | None
    causes: list[CauseCoverage] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    late: list[Measure] = field(default_factory=list)
    needs_plan: bool = False
    # 应保尽保: the household's causes that call for relief and have no relief measure in the plan.
    relief_missing: list[CauseCoverage] = field(default_factory=list)

    @property
    def uncovered(self) -> list[CauseCoverage]:
        return [c for c in self.causes if not c.covered]

    @property
    def flagged(self) -> bool:
        return (self.plan is None and self.needs_plan) or bool(self.uncovered) or bool(self.late)

    @property
    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in MeasureStatus}
        for m in self.measures:
            out[m.status] += 1
        return out


def plan_summary_for_household(*, actor, household: Household, year: int | None = None) -> PlanSummary:
    """This year's plan of a household with its coverage and late measures (3 queries: the plan,
    its measures, the kinds' table of the county)."""
    year = year or current_year()
    household_scope_check = household_list(actor=actor).filter(pk=household.pk)
    plan = AssistancePlan.objects.filter(household__in=household_scope_check, year=year).first()
    measures = measures_of_plan(plan=plan) if plan else []
    return _summary(household, year, plan, measures)


def plan_summary(*, household: Household, year: int, plan: AssistancePlan | None, measures) -> PlanSummary:
    return _summary(household, year, plan, measures)


def _summary(household, year, plan, measures) -> PlanSummary:
    today = timezone.localdate()
    answers = kind_answers(county=household.village_id) if measures else {}
    live = [m for m in measures if m.status != MeasureStatus.CANCELLED]
    covered = {c for m in live for c in m.causes if c in answers.get(m.kind, ())}
    for m in measures:
        # Shown beside the measure: the causes it claims that its kind does not answer.
        m.unanswered = unanswered_by_kind(m, answers)
    labels = dict(PovertyCause.choices)
    return PlanSummary(
        household=household,
        year=year,
        plan=plan,
        causes=[CauseCoverage(c, labels.get(c, c), c in covered) for c in household.causes],
        measures=list(measures),
        late=[m for m in measures if m.is_late(today)],
        needs_plan=household.status in NEEDS_PLAN_STATUSES,
        relief_missing=[
            CauseCoverage(c, labels.get(c, c), False) for c in relief_missing(household.causes, live)
        ],
    )
