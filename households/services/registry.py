"""Writes to the register: households, members, incomes, status changes, moves, ID reveals."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import pii
from core.audit import actor_context
from core.exceptions import DomainError
from core.models import Region, RegionLevel, SensitiveAccess
from core.scoping import ensure_can_write, in_scope
from core.transitions import record_created, transition, transition_many

from ..duplicate_finder import duplicates_scan
from ..models import (
    ACTIVE_STATUSES,
    CaseState,
    Household,
    HouseholdStatus,
    Income,
    Member,
    ProcedureCase,
    ProcedureKind,
    ProcedureStep,
    Relation,
    Step,
)
from ..validation import HOUSEHOLD_FIELDS, Errors, clean_household, clean_member, parse_decimal

MEMBER_MODEL_FIELDS = (
    "name",
    "relation",
    "sex",
    "birth_date",
    "health",
    "disability",
    "education",
    "schooling",
    "labour_ability",
    "migrant_worker",
    "migrant_months",
)


def _raise(errors: Errors) -> None:
    if errors:
        raise DomainError(errors=errors)


def _full_clean(obj, **kwargs) -> None:
    """The model's own checks, refused as one DomainError naming each field."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise DomainError(errors=exc.message_dict) from None


def _lock(household: Household) -> Household:
    return Household.objects.select_for_update().get(pk=household.pk)


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


def duplicate_message(*, actor, holder: Member) -> str:
    """Say the person is already registered, and where if the actor may see that household."""
    household = holder.household
    if in_scope(actor, household.village_id):
        return _("This person is already registered in household %(file)s (%(head)s, %(village)s).") % {
            "file": household.file_number,
            "head": household.head_name,
            "village": household.village.name,
        }
    return _("This person is already registered in a household outside your region.")


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


def _validate_members(
    *, actor, members: list[dict], household: Household | None, errors: Errors
) -> list[tuple[Member | None, dict]]:
    """Clean each member; check one head and no person twice; check the register for duplicates."""
    existing = {m.pk: m for m in household.members.all()} if household else {}
    cleaned: list[tuple[Member | None, dict]] = []
    seen_hashes: dict[str, int] = {}
    for i, raw in enumerate(members):
        current = existing.get(raw.get("id")) if raw.get("id") else None
        if raw.get("id") and current is None:
            errors.setdefault(f"members.{i}.id", []).append(
                _("This member does not belong to the household.")
            )
            continue
        if current is not None:
            # A partial update: what is not given stays as it is (sex and birth date follow a new ID).
            base = {f: getattr(current, f) for f in MEMBER_MODEL_FIELDS}
            if raw.get("id_number"):
                base.pop("sex")
                base.pop("birth_date")
            raw = {**base, **{k: v for k, v in raw.items() if v is not None}}
        data, member_errors = clean_member(raw, require_id=current is None)
        if current is not None and "id_number" not in data:
            data["sex"] = current.sex
            data["birth_date"] = current.birth_date
        for field, messages in member_errors.items():
            errors.setdefault(f"members.{i}.{field}", []).extend(messages)
        if "id_number" in data:
            digest = pii.keyed_hash(data["id_number"])
            if digest in seen_hashes:
                errors.setdefault(f"members.{i}.id_number", []).append(
                    _("The same ID number is entered twice (members %(a)d and %(b)d).")
                    % {"a": seen_hashes[digest] + 1, "b": i + 1}
                )
            seen_hashes[digest] = i
            data["_hash"] = digest
        elif current is not None:
            seen_hashes.setdefault(current.id_number_current_hash(), i)
        data["_index"] = i
        data["is_active"] = raw.get("is_active", True) is not False
        data["left_reason"] = (raw.get("left_reason") or "").strip()
        if not data["is_active"] and not data["left_reason"]:
            errors.setdefault(f"members.{i}.left_reason", []).append(_("Say why the member left."))
        cleaned.append((current, data))
    # Members not mentioned stay as they are.
    mentioned = {c.pk for c, _d in cleaned if c is not None}
    untouched = [m for pk, m in existing.items() if pk not in mentioned and m.is_active]
    heads = sum(1 for _c, d in cleaned if d["is_active"] and d.get("relation") == Relation.HEAD)
    heads += sum(1 for m in untouched if m.relation == Relation.HEAD)
    active = sum(1 for _c, d in cleaned if d["is_active"]) + len(untouched)
    if active == 0:
        errors.setdefault("members", []).append(_("A household has at least one member."))
    elif heads != 1:
        errors.setdefault("members", []).append(
            _("A household has exactly one head; %(n)d are marked as head.") % {"n": heads}
        )
    for m in untouched:
        if m.id_number_current_hash() in seen_hashes:
            i = seen_hashes[m.id_number_current_hash()]
            errors.setdefault(f"members.{i}.id_number", []).append(
                _("This person is already a member of this household.")
            )
    # The register: the same person in another active household.
    new_hashes = {
        d["_hash"]: d["_index"]
        for c, d in cleaned
        if "_hash" in d and d["is_active"] and (c is None or c.id_number_current_hash() != d["_hash"])
    }
    if new_hashes:
        # The number's hash under every configured key: during a key rotation the holder's row may
        # still carry the hash under the old key (the unique constraint sees one key at a time).
        numbers = {d["_hash"]: d["id_number"] for _c, d in cleaned if "_hash" in d}
        pii.lock_numbers(numbers[digest] for digest in new_hashes)
        new_hashes = {h: i for digest, i in new_hashes.items() for h in pii.keyed_hashes(numbers[digest])}
        holders = Member.objects.select_related("household__village").filter(
            id_number_hash__in=list(new_hashes), is_current=True
        )
        if household is not None:
            holders = holders.exclude(household=household)
        for holder in holders:
            i = new_hashes[holder.id_number_hash]
            errors.setdefault(f"members.{i}.id_number", []).append(
                duplicate_message(actor=actor, holder=holder)
            )
    return cleaned


def _apply_member(member: Member, data: dict, *, household_active: bool) -> None:
    for field in MEMBER_MODEL_FIELDS:
        if field in data:
            setattr(member, field, data[field])
    if "id_number" in data:
        member.set_id_number(data["id_number"])
    member.is_active = data["is_active"]
    member.left_reason = "" if member.is_active else data["left_reason"]
    member.is_current = household_active and member.is_active


def _save_members(household: Household, cleaned: list[tuple[Member | None, dict]], *, actor) -> None:
    household_active = household.status in ACTIVE_STATUSES
    # Heads last, so that handing the head role over never has two heads for a moment.
    ordered = sorted(cleaned, key=lambda cd: cd[1].get("relation") == Relation.HEAD and cd[1]["is_active"])
    for current, data in ordered:
        member = current or Member(household=household)
        _apply_member(member, data, household_active=household_active)
        try:
            with transaction.atomic():
                member.save()
        except IntegrityError as exc:
            if "member_one_active_household" in str(exc):
                raise DomainError(
                    _("This person is already registered in another household."),
                    field=f"members.{data['_index']}.id_number",
                ) from None
            raise
    _refresh_head(household)


def _refresh_head(household: Household) -> None:
    active = household.members.filter(is_active=True)
    head = active.filter(relation=Relation.HEAD).first()
    household.member_count = active.count()
    if head:
        household.head_name = head.name
    household.save(update_fields=["member_count", "head_name", "updated_at"])


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
        _full_clean(household, exclude=["member_count"])
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
    unknown = set(data) - set(HOUSEHOLD_FIELDS)
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
        _full_clean(household, exclude=["member_count"])
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
def household_mark_returned(*, household: Household, actor, reason: str) -> Household:
    """返贫: an exited household falls back into poverty."""
    reason = _require_reason(reason)
    return household_transition(
        household=household, to_status=HouseholdStatus.RETURNED, actor=actor, reason=reason
    )


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


@transaction.atomic
def income_record(*, household: Household, actor, year: int, data: dict) -> Income:
    """Record (or correct) a year's income; per-capita net income is what the exit check uses."""
    ensure_can_write(actor, household.village_id)
    errors: Errors = {}
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 2013 <= year <= timezone.localdate().year:
        errors["year"] = [_("The year lies between 2013 and this year.")]
    values = {}
    for field in (
        "per_capita_net_income",
        "wage_income",
        "production_income",
        "transfer_income",
        "property_income",
    ):
        if data.get(field) in (None, ""):
            if field == "per_capita_net_income":
                errors.setdefault(field, []).append(_("This field is required."))
            continue
        amount = parse_decimal(data[field], field, errors)
        if amount is not None:
            values[field] = amount
    _raise(errors)
    with actor_context(actor):
        income, _created = Income.objects.select_for_update().get_or_create(
            household=household, year=year, defaults={"per_capita_net_income": Decimal(0)}
        )
        for field, value in values.items():
            setattr(income, field, value)
        _full_clean(income)
        income.save()
    return income


def member_reveal_id_number(*, member: Member, actor, channel: str, path: str = "") -> str:
    """The full ID number, for roles holding the permission; every reveal is logged."""
    if not actor.has_perm("households.view_full_id_number"):
        raise PermissionDenied(_("Your role may not see full ID numbers."))
    if not in_scope(actor, member.household.village_id):
        from django.http import Http404

        raise Http404
    SensitiveAccess.objects.create(
        user=actor, object_type="households.member", object_id=str(member.pk), field="id_number",
        channel=channel, path=path[:300],
        region_id=member.household.village_id, household_id=member.household_id,  # the reveal log's scope
    )  # fmt: skip
    return member.reveal_id_number()
