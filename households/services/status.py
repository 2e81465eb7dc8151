"""A household's status: the one transition (members follow it), return to poverty (返贫), removal (清退)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import DomainError
from core.scoping import ensure_can_write
from core.transitions import transition, transition_many

from ..models import (
    ACTIVE_STATUSES,
    CaseState,
    Household,
    HouseholdStatus,
    ProcedureCase,
)
from .common import _lock


@transaction.atomic
def household_transition(*, household: Household, to_status: str, actor, reason: str = "") -> Household:
    """The one place a household's status changes: lock, check the map, write the change row,
    keep members' `is_current` in step with the status."""
    ensure_can_write(actor, household.village_id)
    return apply_transition(household=household, to_status=to_status, actor=actor, reason=reason)


@transaction.atomic
def apply_transition(*, household: Household, to_status: str, actor, reason: str = "") -> Household:
    """The transition itself, for callers that have already decided the actor may make it
    (household_transition checks the user; the public notice board acts for villagers).
    Members are in the one-person-one-household constraint only while the household is active."""
    from_status = _lock(household).status
    household = transition(
        household, to_status, actor=actor, note=reason, updates={"status_changed_at": timezone.now()}
    )
    active = to_status in ACTIVE_STATUSES
    if (from_status in ACTIVE_STATUSES) != active:
        with actor_context(actor):
            household.members.filter(is_active=True).update(is_current=active, updated_at=timezone.now())
    return household


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise DomainError(_("Give the reason."), field="reason")
    return reason


@transaction.atomic
def household_mark_returned(*, household: Household, actor, reason: str, cause: str = "", date=None):
    """返贫: an exited household falls back into poverty — this starts the return procedure
    (services.returns; the status moves when the county approves it) and returns its case."""
    from .returns import return_procedure_start

    return return_procedure_start(household=household, actor=actor, cause=cause, reason=reason, date=date)


@transaction.atomic
def household_remove(*, household: Household, actor, reason: str) -> Household:
    """清退: removed as wrongly identified. Any procedure in progress stops with the same reason."""
    reason = _require_reason(reason)
    household = household_transition(
        household=household, to_status=HouseholdStatus.REMOVED, actor=actor, reason=reason
    )
    transition_many(
        ProcedureCase.objects.filter(household=household, state=CaseState.OPEN),
        CaseState.STOPPED,
        actor=actor,
        note=reason,
        updates={"stop_reason": reason},
    )
    return household
