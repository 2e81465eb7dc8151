"""Reads of the work in the villages: responsible officers and their households, visits and the
households overdue for one, days in the village and the month's absences, villages that need a
work team. Every queryset is scoped through `core.scoping.scope`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.models import Officer, Region
from core.scoping import ensure_in_scope, scope
from households.models import Household

from ..models import (
    DEFAULT_PRESENCE_DAYS,
    DEFAULT_VISIT_INTERVAL_DAYS,
    FieldworkSettings,
    OfficerAssignment,
    PresenceDay,
    TeamMember,
    TeamVillage,
    VillageTeam,
    Visit,
)
from .scope import NEEDS_PLAN_STATUSES, current_teams

# --- settings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountyRules:
    visit_interval_days: int = DEFAULT_VISIT_INTERVAL_DAYS
    presence_days_required: int = DEFAULT_PRESENCE_DAYS


def county_rules(county_code: str) -> CountyRules:
    row = FieldworkSettings.objects.filter(region_id=county_code[:6].ljust(12, "0")).first()
    if row is None:
        return CountyRules()
    return CountyRules(row.visit_interval_days, row.presence_days_required)


def _rules_by_county(prefix: str | None = None) -> dict[str, CountyRules]:
    """The counties (6-digit prefix) that set their own rules, under `prefix`."""
    qs = FieldworkSettings.objects.all()
    if prefix:
        qs = qs.filter(region__code__startswith=prefix[:6])
    return {
        r.region_id[:6]: CountyRules(r.visit_interval_days, r.presence_days_required)
        for r in qs.order_by("region_id")
    }


def fieldwork_settings_list(*, actor) -> list[tuple[Region, CountyRules]]:
    """Every county in the actor's scope with its rules (the defaults where it set none)."""
    counties = scope(Region.objects.filter(level="county"), actor=actor, field="code").order_by("code")
    rules = _rules_by_county()
    return [(c, rules.get(c.code[:6], CountyRules())) for c in counties]


# --- responsible officers and visits ----------------------------------------------------


def last_visit() -> Subquery:
    """A household's latest visit date (the visit_household_date_idx index, one probe per household)."""
    return Subquery(
        Visit.objects.filter(household_id=OuterRef("pk")).order_by("-visited_on").values("visited_on")[:1],
        output_field=DateField(),
    )


def visit_due_before(*, today: dt.date | None = None, prefix: str | None = None) -> Case:
    """The date before which a household's last visit is overdue: today − its county's N days."""
    today = today or timezone.localdate()
    whens = [
        When(village__code__startswith=county, then=Value(today - dt.timedelta(days=r.visit_interval_days)))
        for county, r in _rules_by_county(prefix).items()
        if r.visit_interval_days != DEFAULT_VISIT_INTERVAL_DAYS
    ]
    default = Value(today - dt.timedelta(days=DEFAULT_VISIT_INTERVAL_DAYS))
    return Case(*whens, default=default, output_field=DateField()) if whens else default


def with_visit_state(qs: QuerySet[Household], *, prefix: str | None = None) -> QuerySet[Household]:
    """Annotate `last_visited_on`, `visit_due_before` and `visit_overdue` (never visited, or last
    visited before the county's interval)."""
    from django.db.models import BooleanField, ExpressionWrapper, F

    qs = qs.annotate(last_visited_on=last_visit(), visit_due_before=visit_due_before(prefix=prefix))
    overdue = Q(last_visited_on__isnull=True) | Q(last_visited_on__lt=F("visit_due_before"))
    return qs.annotate(visit_overdue=ExpressionWrapper(overdue, output_field=BooleanField()))


def household_officer_list(*, actor, filters: dict | None = None) -> QuerySet[Household]:
    """Households needing assistance with their responsible officer and their last visit.

    filters: `region` (a code or prefix), `officer` (id), `without_officer` (bool),
    `visit_overdue` (bool)."""
    filters = filters or {}
    qs = scope(
        Household.objects.filter(status__in=NEEDS_PLAN_STATUSES),
        actor=actor, field="village_id", within=filters.get("region") or None,
    )  # fmt: skip
    if filters.get("officer"):
        qs = qs.filter(assistance_officer_id=filters["officer"])
    if filters.get("without_officer"):
        qs = qs.filter(assistance_officer__isnull=True)
    qs = with_visit_state(qs)
    if filters.get("visit_overdue"):
        qs = qs.filter(visit_overdue=True)
    return qs.select_related("village", "assistance_officer").order_by("village_id", "file_number")


def households_without_officer_count(*, actor, region: str | None = None) -> int:
    """Households needing assistance that have no responsible officer (the dashboard's figure)."""
    qs = scope(
        Household.objects.filter(status__in=NEEDS_PLAN_STATUSES, assistance_officer__isnull=True),
        actor=actor, field="village_id", within=region or None,
    )  # fmt: skip
    return qs.count()


def my_households(*, actor) -> QuerySet[Household]:
    """The households the actor is the responsible officer of (the phone's visit page)."""
    if not actor.officer_id:
        return Household.objects.none()
    qs = scope(
        Household.objects.filter(status__in=NEEDS_PLAN_STATUSES, assistance_officer_id=actor.officer_id),
        actor=actor, field="village_id",
    )  # fmt: skip
    return with_visit_state(qs).select_related("village").order_by("village_id", "file_number")


def assignment_history(*, household: Household) -> QuerySet[OfficerAssignment]:
    """Caller has scoped the household (assistance.selectors.household_get)."""
    return (
        OfficerAssignment.objects.filter(household=household)
        .select_related("officer", "assigned_by")
        .order_by("-started_on", "-id")
    )


def visit_list(*, actor, filters: dict | None = None) -> QuerySet[Visit]:
    filters = filters or {}
    qs = scope(
        Visit.objects.all(), actor=actor, field="household__village_id", within=filters.get("region") or None
    )
    if filters.get("household"):
        qs = qs.filter(household_id=filters["household"])
    if filters.get("officer"):
        qs = qs.filter(officer_id=filters["officer"])
    if filters.get("since"):
        qs = qs.filter(visited_on__gte=filters["since"])
    return qs.select_related("household__village", "officer").order_by("-visited_on", "-id")


def visit_get(*, actor, pk: int) -> Visit:
    return get_object_or_404(visit_list(actor=actor), pk=pk)


def county_officers(*, actor, county: Region) -> QuerySet[Officer]:
    """The county's officers with how many households each is responsible for now."""
    ensure_in_scope(actor, county.code)
    open_ = OfficerAssignment.objects.filter(officer_id=OuterRef("pk"), ended_on__isnull=True)
    return (
        Officer.objects.filter(region__code__startswith=county.prefix)
        .annotate(
            households=Count(
                "assisted_households", filter=Q(assisted_households__status__in=NEEDS_PLAN_STATUSES)
            ),
            responsible=Exists(open_),
        )
        .select_related("unit", "user")
        .order_by("-is_active", "name", "id")
    )


def officer_households(*, actor, officer: Officer) -> QuerySet[Household]:
    """Every household the officer is responsible for now, in the actor's scope."""
    qs = scope(Household.objects.filter(assistance_officer=officer), actor=actor, field="village_id")
    return qs.order_by("village_id", "file_number")


def visits_per_officer(*, officer_ids: list[int], start: dt.date, end: dt.date) -> dict[int, int]:
    """Visits in [start, end] per officer (the monthly scores' input)."""
    rows = (
        Visit.objects.filter(officer_id__in=officer_ids, visited_on__gte=start, visited_on__lte=end)
        .values("officer_id")
        .annotate(n=Count("pk"))
        .values_list("officer_id", "n")
    )
    return dict(rows)


# --- presence (驻村) ------------------------------------------------------------------------


def teams_of_officer(*, officer_id: int | None, today: dt.date | None = None) -> QuerySet[VillageTeam]:
    """Current teams the officer leads or belongs to."""
    if not officer_id:
        return VillageTeam.objects.none()
    member_of = TeamMember.objects.filter(officer_id=officer_id).values("team_id")
    return (
        current_teams(today=today)
        .filter(Q(first_secretary_id=officer_id) | Q(pk__in=member_of))
        .prefetch_related("served__village")
        .order_by("name", "id")
    )


def presence_list(*, actor, filters: dict | None = None) -> QuerySet[PresenceDay]:
    filters = filters or {}
    qs = scope(
        PresenceDay.objects.all(), actor=actor, field="village_id", within=filters.get("region") or None
    )
    if filters.get("officer"):
        qs = qs.filter(officer_id=filters["officer"])
    if filters.get("team"):
        qs = qs.filter(team_id=filters["team"])
    if filters.get("month"):
        month = filters["month"]
        qs = qs.filter(day__gte=month, day__lt=_next_month(month))
    return qs.select_related("officer", "team", "village").order_by("-day", "-id")


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


@dataclass
class PresenceRow:
    team: VillageTeam
    officer: Officer
    role: str  # "first_secretary" or "member"
    days: int
    required: int
    villages: list[str] = field(default_factory=list)

    @property
    def shortfall(self) -> int:
        return max(self.required - self.days, 0)

    @property
    def absent(self) -> bool:
        return self.shortfall > 0


def presence_month(
    *, month: dt.date, actor=None, region: str | None = None, team_ids: list[int] | None = None
) -> list[PresenceRow]:
    """Each first secretary and member of the teams serving a village in scope during `month`:
    the days recorded in the month against the county's required days (`shortfall`: the absence).

    With `actor`, the teams whose villages lie in the actor's scope; without (the monthly scores),
    the teams serving a village under `region`. Required days of a month still running count only
    the days gone by (a month is judged at its end)."""
    month = month.replace(day=1)
    end = _next_month(month) - dt.timedelta(days=1)
    villages = TeamVillage.objects.all()
    if actor is not None:
        villages = scope(villages, actor=actor, field="village_id", within=region or None)
    elif region:
        villages = villages.filter(village__code__startswith=region)
    teams = (
        VillageTeam.objects.filter(pk__in=villages.values("team_id"), start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=month))
        .select_related("first_secretary")
        .prefetch_related("memberships__officer", "served")
        .order_by("name", "id")
    )
    if team_ids is not None:
        teams = teams.filter(pk__in=team_ids)
    teams = list(teams)
    days = {
        (t, o): n
        for t, o, n in PresenceDay.objects.filter(team__in=teams, day__gte=month, day__lte=end)
        .values("team_id", "officer_id")
        .annotate(n=Count("pk"))
        .values_list("team_id", "officer_id", "n")
    }
    rules = _rules_by_county()
    today = timezone.localdate()
    rows = []
    for team in teams:
        served = [s.village_id for s in team.served.all()]
        county = served[0][:6] if served else ""
        required = rules.get(county, CountyRules()).presence_days_required
        if month <= today <= end:  # a month still running: the days gone by
            required = min(required, today.day)
        people = [(team.first_secretary, "first_secretary")] + [
            (m.officer, "member") for m in team.memberships.all() if m.officer_id != team.first_secretary_id
        ]
        for officer, role in people:
            rows.append(
                PresenceRow(
                    team=team,
                    officer=officer,
                    role=role,
                    days=days.get((team.pk, officer.pk), 0),
                    required=required,
                    villages=served,
                )
            )
    return rows


def villages_needing_team(*, actor, region: str | None = None) -> QuerySet[Region]:
    """向非贫困村增派: villages that are not poor villages but hold households needing assistance
    and that no current work team serves, with how many such households each holds."""
    households = Household.objects.filter(village_id=OuterRef("code"), status__in=NEEDS_PLAN_STATUSES)
    served = TeamVillage.objects.filter(village_id=OuterRef("code"), team__in=current_teams())
    qs = scope(
        Region.objects.filter(level="village", is_poor_village=False),
        actor=actor,
        field="code",
        within=region or None,
    )
    return (
        qs.filter(Exists(households))
        .exclude(Exists(served))
        .annotate(
            households_to_assist=Subquery(
                Household.objects.filter(village_id=OuterRef("code"), status__in=NEEDS_PLAN_STATUSES)
                .order_by()
                .values("village_id")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            )
        )
        .select_related("parent")
        .order_by("code")
    )
