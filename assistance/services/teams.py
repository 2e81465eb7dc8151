"""Village work teams (驻村工作队): register one, change its villages, secretary and members."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import DomainError, from_validation_error
from core.models import Officer, Region, RegionLevel, Unit, User
from core.scoping import ensure_can_write, in_scope

from .. import selectors
from ..models import TeamMember, TeamVillage, VillageTeam

# --- village work teams ------------------------------------------------------------------


def _check_team(
    *, actor: User, unit: Unit, first_secretary: Officer, villages: list[Region], members: list[Officer],
    start_date: dt.date, end_date: dt.date | None,
) -> None:  # fmt: skip
    if not villages:
        raise DomainError(_("A team serves at least one village."), field="villages")
    for village in villages:
        if village.level != RegionLevel.VILLAGE:
            raise DomainError(_("“%(name)s” is not a village.") % {"name": village.name}, field="villages")
        if not in_scope(actor, village.code):
            raise DomainError(
                _("“%(name)s” is outside your region.") % {"name": village.name}, field="villages"
            )
    if end_date and end_date < start_date:
        raise DomainError(_("The end date must not be before the start date."), field="end_date")
    if not first_secretary.is_active:
        raise DomainError(_("This officer is no longer active."), field="first_secretary")
    if first_secretary.pk in {m.pk for m in members}:
        raise DomainError(
            _("The first secretary leads the team; do not list them as a member."), field="members"
        )
    if not unit.is_active:
        raise DomainError(_("This unit is no longer active."), field="dispatching_unit")
    # The unit and the officers are regions the write touches too (issue 15.4): those of the
    # actor's region or of a region above it (a city department dispatches teams), as the form offers.
    choices = selectors.team_form_choices(actor=actor)
    if not choices["units"].filter(pk=unit.pk).exists():
        raise DomainError(
            _("The dispatching unit must belong to your region or a region above it."),
            field="dispatching_unit",
        )
    wanted = {first_secretary.pk, *(m.pk for m in members)}
    allowed = set(choices["officers"].filter(pk__in=wanted).values_list("pk", flat=True))
    if first_secretary.pk not in allowed:
        raise DomainError(
            _("The officer must belong to your region or a region above it."), field="first_secretary"
        )
    if wanted - allowed:
        raise DomainError(_("The officer must belong to your region or a region above it."), field="members")


@transaction.atomic
def team_create(
    *, actor: User, name: str, dispatching_unit: Unit, first_secretary: Officer, villages: list[Region],
    members: list[Officer] | None = None, start_date: dt.date, end_date: dt.date | None = None,
) -> VillageTeam:  # fmt: skip
    ensure_can_write(actor)
    members = list(members or [])
    _check_team(actor=actor, unit=dispatching_unit, first_secretary=first_secretary, villages=villages,
                members=members, start_date=start_date, end_date=end_date)  # fmt: skip
    team = VillageTeam(
        name=(name or "").strip(), dispatching_unit=dispatching_unit, first_secretary=first_secretary,
        start_date=start_date, end_date=end_date,
    )  # fmt: skip
    try:
        team.full_clean()
    except ValidationError as exc:
        raise from_validation_error(exc) from exc
    with actor_context(actor):
        team.save()
        TeamVillage.objects.bulk_create([TeamVillage(team=team, village=v) for v in dict.fromkeys(villages)])
        TeamMember.objects.bulk_create([TeamMember(team=team, officer=o) for o in dict.fromkeys(members)])
    return team


TEAM_EDITABLE = (
    "name",
    "dispatching_unit",
    "first_secretary",
    "villages",
    "members",
    "start_date",
    "end_date",
)


@transaction.atomic
def team_update(*, team: VillageTeam, actor: User, data: dict) -> VillageTeam:
    ensure_can_write(actor)
    unknown = set(data) - set(TEAM_EDITABLE)
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    team = VillageTeam.objects.select_for_update().get(pk=team.pk)
    current_villages = list(Region.objects.filter(village_teams=team))
    # A user may change only a team whose villages all lie in their region.
    for village in current_villages:
        if not in_scope(actor, village.code):
            raise DomainError(_("This team also serves villages outside your region."), field="villages")
    villages = list(data.pop("villages", current_villages))
    members = list(data.pop("members", Officer.objects.filter(village_teams=team)))
    for name, value in data.items():
        setattr(team, name, value)
    _check_team(actor=actor, unit=team.dispatching_unit, first_secretary=team.first_secretary, villages=villages,
                members=members, start_date=team.start_date, end_date=team.end_date)  # fmt: skip
    try:
        team.full_clean()
    except ValidationError as exc:
        raise from_validation_error(exc) from exc
    with actor_context(actor):
        team.save()
        wanted_v = {v.code for v in villages}
        TeamVillage.objects.filter(team=team).exclude(village_id__in=wanted_v).delete()
        have_v = set(TeamVillage.objects.filter(team=team).values_list("village_id", flat=True))
        TeamVillage.objects.bulk_create(
            [TeamVillage(team=team, village_id=c) for c in sorted(wanted_v - have_v)]
        )
        wanted_m = {m.pk for m in members}
        TeamMember.objects.filter(team=team).exclude(officer_id__in=wanted_m).delete()
        have_m = set(TeamMember.objects.filter(team=team).values_list("officer_id", flat=True))
        TeamMember.objects.bulk_create(
            [TeamMember(team=team, officer_id=i) for i in sorted(wanted_m - have_m)]
        )
    return team
