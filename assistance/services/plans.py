"""A household's yearly plan: make it, change its approach (the responsible officer belongs to the
household: services.officers)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import ConflictError, DomainError, from_validation_error
from core.models import User
from households.models import Household

from .. import selectors
from ..models import AssistancePlan
from .common import _ensure_household_writable

PLAN_EDITABLE = ("summary",)


# --- plans -------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, household: Household, year: int, actor: User, summary: str = "") -> AssistancePlan:
    _ensure_household_writable(actor, household)
    if household.status not in selectors.PLAN_ALLOWED_STATUSES:
        raise DomainError(
            _(
                "A plan can be made only for a registered, returned or exited household (this one is %(status)s)."
            )
            % {"status": household.get_status_display()},
            field="household",
        )
    if AssistancePlan.objects.filter(household=household, year=year).exists():
        raise ConflictError(
            _("This household already has a plan for %(year)s.") % {"year": year}, field="year"
        )
    plan = AssistancePlan(household=household, year=year, summary=summary.strip())
    try:
        plan.full_clean()
    except ValidationError as exc:
        raise from_validation_error(exc) from exc
    try:
        with actor_context(actor), transaction.atomic():
            plan.save()
    except IntegrityError as exc:  # a concurrent request created it first
        raise ConflictError(
            _("This household already has a plan for %(year)s.") % {"year": year}, field="year"
        ) from exc
    return plan


@transaction.atomic
def plan_update(*, plan: AssistancePlan, actor: User, data: dict) -> AssistancePlan:
    _ensure_household_writable(actor, plan.household)
    unknown = set(data) - set(PLAN_EDITABLE)
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    plan = AssistancePlan.objects.select_for_update().select_related("household").get(pk=plan.pk)
    for name, value in data.items():
        setattr(plan, name, value.strip() if isinstance(value, str) else value)
    try:
        plan.full_clean()
    except ValidationError as exc:
        raise from_validation_error(exc) from exc
    with actor_context(actor):
        plan.save()
    return plan
