"""帮扶责任人: set a household's responsible officer, hand a leaving officer's households to others
in one step, keep the county's fieldwork rules.

The officer is `Household.assistance_officer`; PostgreSQL writes the dated history
(`OfficerAssignment`) from every change of it (migration 0009). These services change the column
and then note who did it and why on the assignments the change opened.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import DomainError
from core.models import Officer, Region, User
from core.scoping import ensure_can_write, in_scope
from core.services import officer_update
from households.models import Household

from .. import selectors
from ..models import FieldworkSettings, OfficerAssignment
from .common import _check_officer, _ensure_household_writable

ASSIGN_PERMISSION = "assistance.add_officerassignment"
MODES = ("even", "village")


def _ensure_may_assign(actor: User) -> None:
    if not actor.has_perm(ASSIGN_PERMISSION):
        raise PermissionDenied
    ensure_can_write(actor)


def _note(household_ids: list[int], *, actor: User, reason: str) -> None:
    OfficerAssignment.objects.filter(household_id__in=household_ids, ended_on__isnull=True).update(
        assigned_by=actor, reason=(reason or "").strip()[:200]
    )


@transaction.atomic
def household_officer_set(
    *, household: Household, officer: Officer, actor: User, reason: str = ""
) -> Household:
    """Make `officer` the household's responsible officer from today (the previous one's
    assignment ends today)."""
    _ensure_may_assign(actor)
    _ensure_household_writable(actor, household)
    if officer is None:
        raise DomainError(_("Responsible officer: choose an officer."), field="officer")
    _check_officer(actor, officer, household, "officer")
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.assistance_officer_id == officer.pk:
        return household
    with actor_context(actor):
        Household.objects.filter(pk=household.pk).update(
            assistance_officer=officer, updated_at=timezone.now()
        )
        _note([household.pk], actor=actor, reason=reason)
    household.refresh_from_db()
    return household


def _targets(actor: User, leaving: Officer, officers: list[Officer]) -> list[Officer]:
    targets = list(dict.fromkeys(officers))
    if not targets:
        raise DomainError(_("New officers: choose at least one officer."), field="officers")
    for officer in targets:
        if officer.pk == leaving.pk:
            raise DomainError(
                _("New officers: the leaving officer cannot take their own households."), field="officers"
            )
        if not officer.is_active:
            raise DomainError(
                _("New officers: %(name)s is no longer active.") % {"name": officer.name}, field="officers"
            )
        if not in_scope(actor, officer.region_id) or officer.region_id[:6] != leaving.region_id[:6]:
            raise DomainError(
                _("New officers: %(name)s is not an officer of the same county.") % {"name": officer.name},
                field="officers",
            )
    return targets


def _spread_even(
    households: list[tuple[int, str]], targets: list[Officer], load: dict[int, int]
) -> dict[int, list[int]]:
    """Each household to the officer with the fewest households so far (ties: the order chosen)."""
    out: dict[int, list[int]] = defaultdict(list)
    for pk, _village in households:
        officer = min(targets, key=lambda o: (load[o.pk], targets.index(o)))
        out[officer.pk].append(pk)
        load[officer.pk] += 1
    return out


def _spread_by_village(
    households: list[tuple[int, str]], targets: list[Officer], load: dict[int, int]
) -> dict[int, list[int]]:
    """A village's households stay together: the largest villages first, each to the officer with
    the fewest households so far."""
    villages: dict[str, list[int]] = defaultdict(list)
    for pk, village in households:
        villages[village].append(pk)
    out: dict[int, list[int]] = defaultdict(list)
    for _village, pks in sorted(villages.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        officer = min(targets, key=lambda o: (load[o.pk], targets.index(o)))
        out[officer.pk].extend(pks)
        load[officer.pk] += len(pks)
    return out


@transaction.atomic
def officer_households_reassign(
    *, officer: Officer, officers: list[Officer], actor: User, mode: str = "even", reason: str = "",
    deactivate: bool = False,
) -> dict[int, int]:  # fmt: skip
    """Hand every household of a leaving officer to one or several officers of the same county in
    one step: spread evenly (`even`) or a village's households together (`village`). Nothing is
    left without an officer: if one of the officer's households lies outside the actor's scope,
    nothing changes. Returns {new officer id: households taken}."""
    _ensure_may_assign(actor)
    if not in_scope(actor, officer.region_id):
        raise Http404(_("Not found."))
    if mode not in MODES:
        raise DomainError(_("How to spread: choose evenly or by village."), field="mode")
    targets = _targets(actor, officer, officers)
    # Lock the leaving officer's households: a household given to them meanwhile waits for us.
    rows = list(
        Household.objects.select_for_update()
        .filter(assistance_officer=officer)
        .order_by("village_id", "file_number", "pk")
        .values_list("pk", "village_id")
    )
    outside = [pk for pk, village in rows if not in_scope(actor, village)]
    if outside:
        raise DomainError(
            _("%(n)s of the officer's households lie outside your region: nothing was reassigned.")
            % {"n": len(outside)},
            field="officer",
        )
    load = {o.pk: Household.objects.filter(assistance_officer=o).count() for o in targets}
    spread = _spread_by_village if mode == "village" else _spread_even
    plan = spread(rows, targets, load)
    now = timezone.now()
    with actor_context(actor):
        for target_id, pks in plan.items():
            Household.objects.filter(pk__in=pks).update(assistance_officer_id=target_id, updated_at=now)
        _note([pk for pk, _v in rows], actor=actor, reason=reason or _("The officer left."))
    if Household.objects.filter(
        assistance_officer=officer
    ).exists():  # pragma: no cover - the lock forbids it
        raise DomainError(_("Some households were left without an officer: nothing was reassigned."))
    if deactivate and officer.is_active:
        officer_update(officer=officer, actor=actor, data={"is_active": False})
    return {target_id: len(pks) for target_id, pks in plan.items()}


@transaction.atomic
def fieldwork_settings_set(
    *, actor: User, county: Region, visit_interval_days: int, presence_days_required: int
) -> FieldworkSettings:
    """A county's rules: days between visits (1–366), days in the village each month (1–31)."""
    if not actor.has_perm("assistance.change_fieldworksettings"):
        raise PermissionDenied
    ensure_can_write(actor, county.code)
    if county.level != "county":
        raise DomainError(_("County: choose a county."), field="county")
    if not 1 <= int(visit_interval_days) <= 366:
        raise DomainError(_("Days between visits: between 1 and 366."), field="visit_interval_days")
    if not 1 <= int(presence_days_required) <= 31:
        raise DomainError(
            _("Days in the village each month: between 1 and 31."), field="presence_days_required"
        )
    with actor_context(actor):
        row, _created = FieldworkSettings.objects.update_or_create(
            region=county,
            defaults={
                "visit_interval_days": visit_interval_days,
                "presence_days_required": presence_days_required,
            },
        )
    return row


def officers_without_account(*, actor: User, county: Region) -> list[Officer]:
    """Active officers of the county responsible for at least one household, without a log-in."""
    return [
        o
        for o in selectors.county_officers(actor=actor, county=county).filter(
            is_active=True, user__isnull=True
        )
        if o.households
    ]
