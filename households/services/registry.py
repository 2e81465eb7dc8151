"""Writes to the register: households and their members.

Status changes (`status`), incomes (`incomes`), member checks and ID reveals (`members`) have their own
modules; their names stay importable from here."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import full_clean
from core.models import Region, RegionLevel
from core.scoping import ensure_can_write, in_scope
from core.transitions import record_created

from ..duplicate_finder import duplicates_scan
from ..models import (
    Household,
    HouseholdStatus,
    Member,
    ProcedureCase,
    ProcedureKind,
    ProcedureStep,
    Relation,
    Step,
)
from ..validation import GUARANTEE_FIELDS, HOUSEHOLD_FIELDS, Errors, clean_household
from .common import _lock, _raise
from .incomes import income_record
from .members import (
    MEMBER_MODEL_FIELDS,
    _save_members,
    _validate_members,
    duplicate_message,
    member_reveal_id_number,
)
from .status import apply_transition, household_mark_returned, household_remove, household_transition


def next_file_number(village_id: str) -> str:
    """Village code + 4-digit sequence, e.g. 4108211002010007."""
    last = (
        Household.objects.filter(file_number__startswith=village_id, file_number__regex=r"^[0-9]{16}$")
        .order_by("-file_number")
        .values_list("file_number", flat=True)
        .first()
    )
    seq = int(last[12:]) + 1 if last else 1
    return f"{village_id}{seq:04d}"


def _check_village(village, errors: Errors, actor) -> Region | None:
    if isinstance(village, str):
        village = Region.objects.filter(code=village).first()
    if village is None or village.level != RegionLevel.VILLAGE:
        errors.setdefault("village", []).append(_("Choose a village."))
        return None
    if not in_scope(actor, village.code):
        errors.setdefault("village", []).append(_("The village must lie within your region."))
        return None
    return village


@transaction.atomic
def household_register(
    *,
    actor,
    village,
    data: dict,
    members: list[dict],
    status: str = HouseholdStatus.APPLYING,
    reason: str = "",
) -> Household:
    """Register a household with its members. APPLYING opens the entry procedure at its first step."""
    ensure_can_write(actor)
    errors: Errors = {}
    village = _check_village(village, errors, actor)
    hh_data, hh_errors = clean_household(data)
    for field, messages in hh_errors.items():
        errors.setdefault(field, []).extend(messages)
    if hh_data.get("file_number") and Household.objects.filter(file_number=hh_data["file_number"]).exists():
        errors.setdefault("file_number", []).append(_("This file number is already in use."))
    officer = hh_data.get("assistance_officer")
    if officer is not None and not in_scope(actor, getattr(officer, "region_id", None)):
        errors.setdefault("assistance_officer", []).append(_("Choose an officer of your region."))
    cleaned = _validate_members(actor=actor, members=members, household=None, errors=errors)
    _raise(errors)
    ensure_can_write(actor, village.code)
    head = next(d for _c, d in cleaned if d.get("relation") == Relation.HEAD and d["is_active"])
    with actor_context(actor):
        household = Household(
            village=village,
            head_name=head["name"],
            status=status,
            **{k: v for k, v in hh_data.items() if k != "file_number"},
            file_number=hh_data.get("file_number") or next_file_number(village.code),
        )
        full_clean(household, exclude=["member_count"])
        household.save()
        _save_members(household, cleaned, actor=actor)
        record_created(household, actor=actor, note=reason)
        if status == HouseholdStatus.APPLYING:
            case = ProcedureCase.objects.create(
                household=household, kind=ProcedureKind.ENTRY, last_step=Step.APPLICATION, started_by=actor
            )
            record_created(case, actor=actor)
            ProcedureStep.objects.create(
                case=case, step=Step.APPLICATION, actor=actor, date=timezone.localdate(), note=reason
            )
    duplicates_scan(household_ids=[household.pk])
    return household


@transaction.atomic
def household_update(
    *, household: Household, actor, data: dict, members: list[dict] | None = None
) -> Household:
    """Change a household's file and (optionally) its members. Village and status have their own services."""
    ensure_can_write(actor, household.village_id)
    household = _lock(household)
    errors: Errors = {}
    unknown = set(data) - set(HOUSEHOLD_FIELDS) - set(GUARANTEE_FIELDS)  # those: clean_household says why
    for field in sorted(unknown):
        errors.setdefault(field, []).append(_("This field cannot be changed here."))
    hh_data, hh_errors = clean_household(data, partial=True)
    for field, messages in hh_errors.items():
        errors.setdefault(field, []).extend(messages)
    new_file = hh_data.get("file_number")
    if new_file and new_file != household.file_number:
        if Household.objects.filter(file_number=new_file).exclude(pk=household.pk).exists():
            errors.setdefault("file_number", []).append(_("This file number is already in use."))
    elif "file_number" in hh_data:
        hh_data.pop("file_number")
    officer = hh_data.get("assistance_officer")
    if officer is not None and not in_scope(actor, getattr(officer, "region_id", None)):
        errors.setdefault("assistance_officer", []).append(_("Choose an officer of your region."))
    main = hh_data.get("main_cause", household.main_cause)
    if "secondary_causes" not in hh_data and main in household.secondary_causes:
        errors.setdefault("main_cause", []).append(_("The main cause cannot also be a secondary cause."))
    cleaned = []
    if members is not None:
        cleaned = _validate_members(actor=actor, members=members, household=household, errors=errors)
    _raise(errors)
    with actor_context(actor):
        for field, value in hh_data.items():
            setattr(household, field, value)
        full_clean(household, exclude=["member_count"])
        household.save()
        if cleaned:
            _save_members(household, cleaned, actor=actor)
    return household


def member_add(*, household: Household, actor, data: dict) -> Member:
    data = {k: v for k, v in data.items() if k != "id"}
    before = set(household.members.values_list("pk", flat=True))
    household_update(household=household, actor=actor, data={}, members=[data])
    return household.members.exclude(pk__in=before).get()


def member_update(*, member: Member, actor, data: dict) -> Member:
    household_update(household=member.household, actor=actor, data={}, members=[{**data, "id": member.pk}])
    member.refresh_from_db()
    return member


# Names that moved to their own modules and that other code imports from here.
__all__ = [
    "MEMBER_MODEL_FIELDS",
    "apply_transition",
    "duplicate_message",
    "household_mark_returned",
    "household_register",
    "household_remove",
    "household_transition",
    "household_update",
    "income_record",
    "member_add",
    "member_reveal_id_number",
    "member_update",
    "next_file_number",
]
