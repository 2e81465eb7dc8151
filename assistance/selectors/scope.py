"""Who sees which households: the scoping rule, and a first secretary narrowed to the villages
of their current work team (`village_restriction`, named by `apps.AssistanceConfig`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.models import Role
from core.scoping import scope
from households.models import Household, HouseholdStatus

from ..models import TeamVillage, VillageTeam

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
