"""A household's members: validation (one head, no person twice, the register's duplicates), saving, ID reveals."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import pii
from core.exceptions import DomainError
from core.models import SensitiveAccess
from core.scoping import in_scope

from ..models import (
    ACTIVE_STATUSES,
    Household,
    Member,
    Relation,
)
from ..validation import Errors, clean_member

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
