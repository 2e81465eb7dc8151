"""Writes for assistance. Views, the API, the demo and imports all call these."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import ConflictError, DomainError
from core.models import Officer, Region, RegionLevel, Unit, User
from core.scoping import ensure_can_write, in_scope
from core.transitions import can_transition, record_created, refuse, transition
from core.uploads import delete_stored, store_upload
from households.models import Household, PovertyCause

from . import selectors
from .models import (
    AssistancePlan,
    Evidence,
    Measure,
    MeasureKind,
    MeasureStatus,
    TeamMember,
    TeamVillage,
    VillageTeam,
)

EVIDENCE_KINDS = ("jpg", "png", "pdf", "xlsx")
MEASURE_EDITABLE = (
    "kind", "title", "causes", "responsible_officer", "planned_start", "planned_end",
    "expected_income_gain", "funds_needed", "note",
)  # fmt: skip
PLAN_EDITABLE = ("officer", "summary")


def _validation_to_domain(exc: ValidationError) -> DomainError:
    """Turn the first message of a model validation error into a DomainError naming its field."""
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        return DomainError(errors[0].messages[0], field=None if field == "__all__" else field)
    return DomainError(exc.messages[0])


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


# --- plans -------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, household: Household, year: int, actor: User, officer: Officer | None = None, summary: str = ""
) -> AssistancePlan:
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
    officer = officer if officer is not None else household.assistance_officer
    _check_officer(actor, officer, household, "officer")
    plan = AssistancePlan(household=household, year=year, officer=officer, summary=summary.strip())
    try:
        plan.full_clean()
    except ValidationError as exc:
        raise _validation_to_domain(exc) from exc
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
    _check_officer(actor, plan.officer, plan.household, "officer")
    try:
        plan.full_clean()
    except ValidationError as exc:
        raise _validation_to_domain(exc) from exc
    with actor_context(actor):
        plan.save()
    return plan


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
        raise _validation_to_domain(exc) from exc
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
        raise _validation_to_domain(exc) from exc
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
        if actual_income_gain is not None:
            if actual_income_gain < 0:
                raise DomainError(_("The amount must not be negative."), field="actual_income_gain")
            updates["actual_income_gain"] = actual_income_gain
    for name, value in updates.items():
        setattr(current, name, value)
    try:
        current.clean_fields(exclude=[f.name for f in Measure._meta.fields if f.name not in updates])
    except ValidationError as exc:
        raise _validation_to_domain(exc) from exc
    with actor_context(actor):
        moved = transition(current, to_status, actor=actor, note=reason, updates=updates)
        _touch_plan(moved.plan_id)
    # The caller's instance sees the move too, as transition() does for the one it is given.
    for name in (moved.transitions.field, "updated_at", *updates):
        setattr(measure, name, getattr(moved, name))
    return moved


@transaction.atomic
def evidence_attach(*, measure: Measure, actor: User, upload, note: str = "") -> Evidence:
    """Store an uploaded file under MEDIA_ROOT (random name) and link it to the measure."""
    _ensure_household_writable(actor, measure.plan.household)
    # The type comes from the file's bytes, not the name or what the browser claimed
    # (a "photo" that is really HTML would otherwise be served back as HTML); stored encrypted.
    stored = store_upload(
        upload, kinds=EVIDENCE_KINDS, folder=f"assistance/evidence/{measure.plan_id}", field="file"
    )
    evidence = Evidence(
        measure=measure,
        file=stored.path,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size=stored.size,
        note=(note or "").strip()[:200],
        uploaded_by=actor,
    )
    with actor_context(actor):
        try:
            evidence.save()
        except Exception:
            delete_stored(stored.path)
            raise
        _touch_plan(measure.plan_id)
    return evidence


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
        raise _validation_to_domain(exc) from exc
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
        raise _validation_to_domain(exc) from exc
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
