"""Village work teams (驻村工作队) and the villages they cover."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from core.models import Officer, Region, RegionLevel
from core.regions import prefix_from_code
from core.scoping import scope, scope_depth, scope_q
from households.models import Household

from ..models import TeamMember, TeamVillage, VillageTeam
from .scope import NEEDS_PLAN_STATUSES, current_teams, is_village_restricted

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
