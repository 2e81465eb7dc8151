"""A plan's measures: add, change, and move along their statuses (core.transitions)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import ConflictError, DomainError, from_validation_error
from core.models import User
from core.transitions import can_transition, record_created, refuse, transition
from households.models import Household, PovertyCause

from ..models import AssistancePlan, Measure, MeasureKind, MeasureStatus
from .common import _check_officer, _ensure_household_writable, _touch_plan
from .details import DETAIL_FIELDS, check_details, check_details_complete, check_kind_answers

MEASURE_EDITABLE = (
    "kind", "title", "causes", "responsible_officer", "planned_start", "planned_end",
    "expected_income_gain", "funds_needed", "note", *DETAIL_FIELDS,
)  # fmt: skip


# --- measures ----------------------------------------------------------------------------


def _check_measure(measure: Measure, household: Household, actor: User) -> None:
    causes = list(measure.causes or [])
    if not causes:
        raise DomainError(_("Choose at least one poverty cause this measure answers."), field="causes")
    valid = set(PovertyCause.values)
    for cause in causes:
        if cause not in valid:
            raise DomainError(_("“%(cause)s” is not a poverty cause.") % {"cause": cause}, field="causes")
        if cause not in household.causes:
            raise DomainError(
                _(
                    "“%(cause)s” is not a poverty cause of this household; a measure may answer only its causes."
                )
                % {"cause": PovertyCause(cause).label},
                field="causes",
            )
    measure.causes = list(dict.fromkeys(causes))  # keep order, drop repeats
    if measure.kind not in MeasureKind.values:
        raise DomainError(_("Choose a kind of measure from the list."), field="kind")
    check_kind_answers(measure, household)
    if not (measure.title or "").strip():
        raise DomainError(_("Describe the measure."), field="title")
    if measure.planned_end is None:
        raise DomainError(_("Give the planned completion date."), field="planned_end")
    if measure.planned_start and measure.planned_start > measure.planned_end:
        raise DomainError(
            _("The planned start must not be after the planned completion."), field="planned_start"
        )
    for name in ("funds_needed", "expected_income_gain"):
        if getattr(measure, name) is None:
            setattr(measure, name, Decimal("0"))
        if Decimal(getattr(measure, name)) < 0:
            raise DomainError(_("The amount must not be negative."), field=name)
    _check_officer(actor, measure.responsible_officer, household, "responsible_officer")
    check_details(measure, household)


@transaction.atomic
def measure_add(*, plan: AssistancePlan, actor: User, **data) -> Measure:
    """Add a measure to a plan. Its causes must be causes of the household."""
    household = plan.household
    _ensure_household_writable(actor, household)
    unknown = set(data) - set(MEASURE_EDITABLE)
    if unknown:
        raise DomainError(_("These fields cannot be set: %s") % ", ".join(sorted(unknown)))
    # Serialise changes to one plan so that coverage is computed from a consistent set of measures.
    AssistancePlan.objects.select_for_update().filter(pk=plan.pk).first()
    measure = Measure(plan=plan, **data)
    measure.title = (measure.title or "").strip()
    _check_measure(measure, household, actor)
    try:
        measure.full_clean()
    except ValidationError as exc:
        raise from_validation_error(exc) from exc
    with actor_context(actor):
        measure.save()
        record_created(measure, actor=actor)
        _touch_plan(plan.pk)
    return measure


@transaction.atomic
def measure_update(*, measure: Measure, actor: User, data: dict) -> Measure:
    household = measure.plan.household
    _ensure_household_writable(actor, household)
    unknown = set(data) - set(MEASURE_EDITABLE)
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if measure.status in (MeasureStatus.DONE, MeasureStatus.CANCELLED):
        raise ConflictError(_("A finished or cancelled measure cannot be changed."), field="status")
    for name, value in data.items():
        setattr(measure, name, value)
    _check_measure(measure, household, actor)
    try:
        measure.full_clean()
    except ValidationError as exc:
        raise from_validation_error(exc) from exc
    with actor_context(actor):
        measure.save()
        _touch_plan(measure.plan_id)
    return measure


@transaction.atomic
def measure_transition(
    *,
    measure: Measure,
    to_status: str,
    actor: User,
    reason: str = "",
    on: dt.date | None = None,
    actual_income_gain: Decimal | None = None,
) -> Measure:
    """Move a measure along ALLOWED_TRANSITIONS (core.transitions: locked, checked, one
    status-change row with `reason` as its note). Starting sets the actual start, finishing the
    actual end (and the actual income gain when given); cancelling needs a reason."""
    household = measure.plan.household
    _ensure_household_writable(actor, household)
    if to_status not in MeasureStatus.values:
        raise DomainError(_("Unknown status “%(status)s”.") % {"status": to_status}, field="status")
    # Locked here already so the checks below read what transition() will move.
    current = Measure.objects.select_for_update().get(pk=measure.pk)
    if not can_transition(current, to_status):
        raise refuse(current, current.status, to_status)
    reason = (reason or "").strip()
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise DomainError(_("The date must not be in the future."), field="on")
    updates: dict = {"status_changed_at": timezone.now()}
    if to_status == MeasureStatus.CANCELLED:
        if not reason:
            raise DomainError(_("Give the reason for cancelling the measure."), field="reason")
        updates["cancel_reason"] = reason[:300]
    elif to_status == MeasureStatus.IN_PROGRESS:
        updates["actual_start"] = on
    elif to_status == MeasureStatus.DONE:
        if current.actual_start and on < current.actual_start:
            raise DomainError(_("The completion date must not be before the actual start."), field="on")
        updates["actual_end"] = on
        check_details_complete(current, on)
        if actual_income_gain is not None:
            if actual_income_gain < 0:
                raise DomainError(_("The amount must not be negative."), field="actual_income_gain")
            updates["actual_income_gain"] = actual_income_gain
    for name, value in updates.items():
        setattr(current, name, value)
    try:
        current.clean_fields(exclude=[f.name for f in Measure._meta.fields if f.name not in updates])
    except ValidationError as exc:
        raise from_validation_error(exc) from exc
    with actor_context(actor):
        moved = transition(current, to_status, actor=actor, note=reason, updates=updates)
        _touch_plan(moved.plan_id)
    # The caller's instance sees the move too, as transition() does for the one it is given.
    for name in (moved.transitions.field, "updated_at", *updates):
        setattr(measure, name, getattr(moved, name))
    return moved
