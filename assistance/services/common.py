"""What every assistance write checks first: the household is in the actor's scope and writable,
an officer may be chosen; and the one conversion of a model's validation error."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.models import Officer, User
from core.scoping import ensure_can_write
from households.models import Household

from .. import selectors
from ..models import AssistancePlan


def _ensure_household_writable(actor: User, household: Household) -> None:
    """Leaders never write; others only inside their scope (a first secretary: their villages)."""
    ensure_can_write(actor)
    if not selectors.household_list(actor=actor).filter(pk=household.pk).exists():
        raise Http404(_("Not found."))


def _touch_plan(plan_id: int) -> None:
    # API clients pull plans with `updated_after`; a measure change changes the plan's coverage.
    AssistancePlan.objects.filter(pk=plan_id).update(updated_at=timezone.now())


def _check_officer(actor: User, officer: Officer | None, household: Household, field: str) -> None:
    if officer is None:
        return
    if not officer.is_active:
        raise DomainError(_("This officer is no longer active."), field=field)
    if not selectors.officer_choices(actor=actor, household=household).filter(pk=officer.pk).exists():
        raise DomainError(
            _("The officer must belong to the household's county or to the work team serving its village."),
            field=field,
        )
