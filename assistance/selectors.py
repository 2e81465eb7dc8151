"""Reads for assistance. Every queryset goes through `core.scoping.scope` (on the household's
village), so no page, endpoint or export can forget the scope.

Scope: the general rule of `core.scoping` (rows under the actor's region), which narrows a first
secretary (驻村第一书记) to the villages their current work team serves by asking
`village_restriction` below (this app knows the rule; `apps.AssistanceConfig` names it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    Expression,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.models import Officer, Region, RegionLevel, Role
from core.regions import prefix_from_code
from core.scoping import region_rows, scope, scope_depth, scope_q
from households.models import Household, HouseholdStatus, PovertyCause

from .models import (
    OPEN_STATUSES,
    AssistancePlan,
    Evidence,
    Measure,
    MeasureStatus,
    MeasureStatusChange,
    TeamVillage,
    VillageTeam,
)

# Households that must have a plan this year and whose causes must all be answered.
NEEDS_PLAN_STATUSES = (HouseholdStatus.REGISTERED, HouseholdStatus.RETURNED)
# Households that may have a plan (exited households keep theirs during consolidation).
PLAN_ALLOWED_STATUSES = (HouseholdStatus.REGISTERED, HouseholdStatus.RETURNED, HouseholdStatus.EXITED)


def current_year() -> int:
    return timezone.localdate().year


# --- scope -------------------------------------------------------------------------------


def is_village_restricted(actor) -> bool:
    """A user whose only role is first secretary sees the villages of their team, not a region."""
    if actor is None or not actor.is_authenticated or actor.is_superuser:
        return False
    roles = actor.role_codes
    return Role.FIRST_SECRETARY in roles and roles <= {Role.FIRST_SECRETARY}


def current_teams(*, today: dt.date | None = None) -> QuerySet[VillageTeam]:
    today = today or timezone.localdate()
    return VillageTeam.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today
    )


def secretary_village_ids(actor) -> QuerySet:
    """Village codes served by the current teams the actor leads (a subquery, not a list)."""
    teams = current_teams().filter(first_secretary_id=actor.officer_id)
    return TeamVillage.objects.filter(team__in=teams).values("village_id")


def village_restriction(actor):
    """For core.scoping: a first secretary sees only the villages of their current teams."""
    if not is_village_restricted(actor):
        return None
    if not actor.officer_id:
        return TeamVillage.objects.none().values("village_id")
    return secretary_village_ids(actor)


def household_list(*, actor) -> QuerySet[Household]:
    return scope(Household.objects.all(), actor=actor, field="village_id")


def household_get(*, actor, pk: int) -> Household:
    qs = household_list(actor=actor).select_related("village__parent__parent__parent", "assistance_officer")
    return get_object_or_404(qs, pk=pk)


# --- coverage ----------------------------------------------------------------------------


class UncoveredCauses(Expression):
    """The household's causes not answered by any non-cancelled measure of the plan (an array).

    SQL, evaluated per row so that lists of any size filter on it in one query:
    ARRAY(SELECT c FROM unnest(main || secondary) c WHERE NOT EXISTS
          (SELECT 1 FROM measure m WHERE m.plan_id = plan AND m.status <> 'cancelled' AND c = ANY(m.causes)))
    With no plan (plan NULL) every cause is uncovered.
    """

    def __init__(self, plan, main, secondary):
        from django.contrib.postgres.fields import ArrayField
        from django.db.models import CharField

        super().__init__(output_field=ArrayField(CharField(max_length=20)))
        self.plan, self.main, self.secondary = (
            F(e) if isinstance(e, str) else e for e in (plan, main, secondary)
        )

    def get_source_expressions(self):
        return [self.plan, self.main, self.secondary]

    def set_source_expressions(self, exprs):
        self.plan, self.main, self.secondary = exprs

    def as_sql(self, compiler, connection):
        plan_sql, plan_params = compiler.compile(self.plan)
        main_sql, main_params = compiler.compile(self.main)
        sec_sql, sec_params = compiler.compile(self.secondary)
        table = connection.ops.quote_name(Measure._meta.db_table)
        # Only compiled column references and a quoted table name are interpolated; values are params.
        sql = (
            f"ARRAY(SELECT c FROM unnest(array_prepend(({main_sql})::varchar, ({sec_sql})::varchar[])) AS c "  # noqa: S608
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} m WHERE m.plan_id = ({plan_sql}) "
            f"AND m.status <> %s AND c = ANY(m.causes)))"
        )
        return sql, (*main_params, *sec_params, *plan_params, MeasureStatus.CANCELLED.value)


def _late_count(plan_ref, today: dt.date):
    late = (
        Measure.objects.filter(plan_id=plan_ref, status__in=OPEN_STATUSES, planned_end__lt=today)
        .order_by()
        .values("plan_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(late, output_field=IntegerField()), Value(0))


def _late_count_if_due(plan_ref, next_due: str, today: dt.date):
    """The late count, counted only for plans whose stored earliest open date has passed (the
    others have none), so a list filtering on `next_due` counts only the rows it shows."""
    return Case(
        When(**{f"{next_due}__lt": today}, then=_late_count(plan_ref, today)),
        default=Value(0),
        output_field=IntegerField(),
    )


def uncovered_causes(plan: AssistancePlan, *, measures: list[Measure] | None = None) -> list[str]:
    """The same rule as `UncoveredCauses`, for one plan already in memory."""
    measures = list(plan.measures.all()) if measures is None else measures
    covered = {c for m in measures if m.status != MeasureStatus.CANCELLED for c in m.causes}
    return [c for c in plan.household.causes if c not in covered]


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
        .select_related("household__village", "officer")
        .annotate(
            uncovered=UncoveredCauses("pk", "household__main_cause", "household__secondary_causes"),
            late_measures=_late_count_if_due(OuterRef("pk"), "next_due", today),
        )
    )
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("household"):
        qs = qs.filter(household_id=filters["household"])
    return qs


def plan_get(*, actor, pk: int) -> AssistancePlan:
    return get_object_or_404(plan_list(actor=actor), pk=pk)


def measures_of_plan(*, plan: AssistancePlan) -> list[Measure]:
    return list(
        plan.measures.select_related("responsible_officer")
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
    """This year's plan of a household with its coverage and late measures (2 queries)."""
    year = year or current_year()
    household_scope_check = household_list(actor=actor).filter(pk=household.pk)
    plan = (
        AssistancePlan.objects.filter(household__in=household_scope_check, year=year)
        .select_related("officer")
        .first()
    )
    measures = measures_of_plan(plan=plan) if plan else []
    return _summary(household, year, plan, measures)


def plan_summary(*, household: Household, year: int, plan: AssistancePlan | None, measures) -> PlanSummary:
    return _summary(household, year, plan, measures)


def _summary(household, year, plan, measures) -> PlanSummary:
    today = timezone.localdate()
    covered = {c for m in measures if m.status != MeasureStatus.CANCELLED for c in m.causes}
    labels = dict(PovertyCause.choices)
    return PlanSummary(
        household=household,
        year=year,
        plan=plan,
        causes=[CauseCoverage(c, labels.get(c, c), c in covered) for c in household.causes],
        measures=list(measures),
        late=[m for m in measures if m.is_late(today)],
        needs_plan=household.status in NEEDS_PLAN_STATUSES,
    )


# --- the "missing or late" work list -----------------------------------------------------


class Flag:
    NO_PLAN = "no_plan"
    UNCOVERED = "uncovered"
    LATE = "late"
    ALL = (NO_PLAN, UNCOVERED, LATE)


def worklist_base(*, actor, year: int, region: str | None = None) -> QuerySet[Household]:
    """Households needing a plan this year, each with its plan, uncovered causes and late count.

    Filters read the plan's stored coverage (`uncovered_count`, `next_due`: see the model), so
    a county's list is a join on indexes; the cause list and the late count are computed only
    for the rows a page shows (and the late count only for plans whose `next_due` has passed).
    """
    today = timezone.localdate()
    # The region as a range of village codes (core.scoping.under_prefix): the village_id btree
    # serves it in the list's order, and scope() says the scope and the chosen region as one
    # range (two LIKEs multiplied their estimates, 48 rows for 6,000, and PostgreSQL misplanned).
    qs = scope(Household.objects.all(), actor=actor, field="village_id", how="range", within=region)
    qs = qs.filter(status__in=NEEDS_PLAN_STATUSES)
    return qs.annotate(
        this_plan=FilteredRelation("assistance_plans", condition=Q(assistance_plans__year=year)),
    ).annotate(
        plan_id=F("this_plan__id"),
        uncovered=UncoveredCauses("this_plan__id", "main_cause", "secondary_causes"),
        uncovered_count=F("this_plan__uncovered_count"),
        next_due=F("this_plan__next_due"),
        late_measures=_late_count_if_due(OuterRef("this_plan__id"), "this_plan__next_due", today),
    )


def _flag_q(flag: str | None, today: dt.date | None = None) -> Q:
    today = today or timezone.localdate()
    no_plan = Q(plan_id__isnull=True)
    uncovered = Q(plan_id__isnull=False, uncovered_count__gt=0)
    # A plan has a late measure exactly when its earliest open completion date has passed.
    late = Q(next_due__lt=today)
    return {Flag.NO_PLAN: no_plan, Flag.UNCOVERED: uncovered, Flag.LATE: late}.get(
        flag, no_plan | uncovered | late
    )


def worklist(*, actor, year: int, region: str | None = None, flag: str | None = None) -> QuerySet[Household]:
    """The households a village secretary has to work through: no plan, a cause uncovered, or late."""
    return (
        worklist_base(actor=actor, year=year, region=region)
        .filter(_flag_q(flag))
        .select_related("village")
        .order_by("village_id", "file_number")
    )


def worklist_by_village(
    *, actor, year: int, region: str | None = None, flag: str | None = None
) -> list[dict]:
    """Per village: households needing a plan, and how many lack one, leave a cause uncovered, are
    late, and `flagged`: how many the list shows for `flag`. Villages with nothing to do are left out.

    One pass over the region's households (the village names come after, for the few villages
    listed, rather than a join per household).
    """
    rows = (
        worklist_base(actor=actor, year=year, region=region)
        .order_by()
        .values("village_id")
        .annotate(
            households=Count("pk"),
            no_plan=Count("pk", filter=_flag_q(Flag.NO_PLAN)),
            uncovered_n=Count("pk", filter=_flag_q(Flag.UNCOVERED)),
            late=Count("pk", filter=_flag_q(Flag.LATE)),
            flagged=Count("pk", filter=_flag_q(flag)),
        )
        .order_by("village_id")
    )
    rows = [r for r in rows if r["no_plan"] or r["uncovered_n"] or r["late"]]
    names = dict(Region.objects.filter(code__in=[r["village_id"] for r in rows]).values_list("code", "name"))
    for r in rows:
        r["village__name"] = names.get(r["village_id"], "")
    return rows


class WorklistRows:
    """The work list for a Paginator, when its per-village counts are already known (from
    `worklist_by_village`): the count is their sum, and a page reads only the villages it spans
    (the list is ordered by village, then file number), not the whole region.

    `queryset` is `worklist(...)`; `counts` is [(village code, rows of the list in it)] in village order.
    """

    def __init__(self, queryset: QuerySet[Household], counts: list[tuple[str, int]]):
        self.queryset = queryset
        self.counts = counts

    def count(self) -> int:
        return sum(n for _, n in self.counts)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("WorklistRows supports slices only")
        start = key.start or 0
        stop = self.count() if key.stop is None else key.stop
        before, seen, villages = 0, 0, []
        for code, n in self.counts:
            if seen >= stop:
                break
            if seen + n <= start:
                before = seen = seen + n
                continue
            villages.append(code)
            seen += n
        if not villages or stop <= start:
            return []
        return list(self.queryset.filter(village_id__in=villages)[start - before : stop - before])


# --- teams -------------------------------------------------------------------------------


def team_list(*, actor, filters: dict | None = None) -> QuerySet[VillageTeam]:
    """Teams serving at least one village in the actor's scope (a first secretary: their own)."""
    filters = filters or {}
    depth = scope_depth(actor)
    if depth is None:
        return VillageTeam.objects.none()
    qs = VillageTeam.objects.select_related("dispatching_unit", "first_secretary")
    if depth:
        served = scope(TeamVillage.objects.filter(team=OuterRef("pk")), actor=actor, field="village_id")
        qs = qs.filter(Exists(served))
    if is_village_restricted(actor):
        qs = qs.filter(first_secretary_id=actor.officer_id) if actor.officer_id else qs.none()
    if filters.get("current"):
        qs = qs.filter(pk__in=current_teams().values("pk"))
    return qs.prefetch_related(
        Prefetch("served", queryset=TeamVillage.objects.select_related("village").order_by("village_id")),
        Prefetch("memberships", queryset=_memberships()),
    )


def _memberships():
    from .models import TeamMember

    return TeamMember.objects.select_related("officer").order_by("officer__name", "id")


def team_get(*, actor, pk: int) -> VillageTeam:
    return get_object_or_404(team_list(actor=actor), pk=pk)


def villages_in_scope(*, actor, region: str | None = None) -> QuerySet[Region]:
    qs = scope(Region.objects.filter(level=RegionLevel.VILLAGE), actor=actor, field="code", within=region)
    return qs.order_by("code")


def team_form_choices(*, actor) -> dict:
    """Units and officers that may form a team serving the actor's villages: those of the actor's
    region and of the regions above it (city departments dispatch teams too)."""
    from core.models import Unit

    # The actor's region and the regions above it (which are not in the scope: it looks down).
    prefix = prefix_from_code(actor.region_id) if actor.region_id else ""
    above = [prefix[:n] for n in (2, 4, 6, 9) if n < len(prefix)]
    region_q = scope_q(actor, "region_id")
    for p in above:
        region_q |= Q(region__code=p.ljust(12, "0"))
    return {
        "units": Unit.objects.filter(region_q, is_active=True).order_by("region_id", "name"),
        "officers": Officer.objects.filter(region_q, is_active=True)
        .select_related("unit")
        .order_by("name", "id"),
        "villages": villages_in_scope(actor=actor),
    }


# --- coverage of villages by work teams (向有建档立卡贫困户的非贫困村增派帮扶工作队) ---------------


def village_coverage(*, actor, region: str | None = None, today: dt.date | None = None) -> QuerySet[Region]:
    """Villages with households on the register, each with `has_team` (a current work team serves
    it) and `households_on_register`. A village without a team is flagged; assigning one clears it."""
    served = TeamVillage.objects.filter(village=OuterRef("pk"), team__in=current_teams(today=today))
    on_register = Household.objects.filter(village=OuterRef("pk"), status__in=NEEDS_PLAN_STATUSES)
    return (
        villages_in_scope(actor=actor, region=region)
        .filter(Exists(on_register))
        .annotate(
            has_team=Exists(served),
            households_on_register=Coalesce(
                Subquery(
                    on_register.order_by().values("village_id").annotate(n=Count("pk")).values("n")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
        )
        .select_related("parent")
    )


def uncovered_villages(*, actor, region: str | None = None, today: dt.date | None = None) -> QuerySet[Region]:
    return village_coverage(actor=actor, region=region, today=today).filter(has_team=False)


# --- 帮扶一项一项抓实: measures done on time (a line of the 六个一 board) ----------------------


def measures_due_base(
    *, prefix: str, year: int, today: dt.date | None = None, actor=None
) -> QuerySet[Measure]:
    """Measures due this year by today (planned end in the year and passed), not cancelled, each
    marked `done` when finished on or before its planned end. Figure: count(done) / count(rows)."""
    from django.db.models import BooleanField, ExpressionWrapper
    from django.db.models.functions import Substr

    today = today or timezone.localdate()
    measures = region_rows(
        Measure.objects.all(), field="plan__household__village_id", region=prefix, actor=actor
    )
    return (
        measures.filter(planned_end__year=year, planned_end__lte=today)
        .exclude(status=MeasureStatus.CANCELLED)
        .annotate(
            done=ExpressionWrapper(
                Q(status=MeasureStatus.DONE, actual_end__lte=F("planned_end")), output_field=BooleanField()
            ),
            county=Substr("plan__household__village_id", 1, 6),
        )
        .order_by("planned_end", "id")
    )
