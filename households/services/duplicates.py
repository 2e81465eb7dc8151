"""Possible duplicates beyond the ID number (found by `households.duplicate_finder`): a clerk marks
each pair as different people or merges them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import ConflictError, DomainError
from core.scoping import ensure_can_write, in_scope
from core.transitions import transition

from ..models import (
    ACTIVE_STATUSES,
    DuplicateCandidate,
    DuplicateStatus,
    Household,
    Member,
    Relation,
)
from .status import household_remove


@transaction.atomic
def duplicate_review(
    *, candidate: DuplicateCandidate, actor, decision: str, keep_id: int | None = None, note: str = ""
) -> DuplicateCandidate:
    """Mark a pair as different people, or merge: keep one file, remove (清退) the other and carry
    over its members who are not already in the kept household."""
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    a, b = (
        Household.objects.select_for_update()
        .filter(pk__in=[candidate.household_a_id, candidate.household_b_id])
        .order_by("pk")
    )
    for household in (a, b):
        ensure_can_write(actor)
        if not in_scope(actor, household.village_id):
            raise DomainError(
                _(
                    "One of the two households lies outside your region; ask the city office to review this pair."
                ),
                code="forbidden",
            )
    if _counties_differ(a, b):
        raise DomainError(
            _("The two households lie in two counties; the city reviews this pair."), code="forbidden"
        )
    if candidate.status != DuplicateStatus.OPEN:
        raise ConflictError(_("This pair has already been reviewed."))
    if decision not in (DuplicateStatus.DIFFERENT, DuplicateStatus.MERGED, "merge"):
        raise DomainError(_("Choose “different people” or “merge”."), field="decision")
    with actor_context(actor):
        if decision == DuplicateStatus.DIFFERENT:
            to_status = DuplicateStatus.DIFFERENT
        else:
            if keep_id not in (a.pk, b.pk):
                raise DomainError(_("Choose which household file to keep."), field="keep")
            keep, drop = (a, b) if keep_id == a.pk else (b, a)
            _merge(keep=keep, drop=drop, actor=actor)
            to_status = DuplicateStatus.MERGED
        note = note.strip()
        return transition(
            candidate,
            to_status,
            actor=actor,
            note=note,
            updates={"reviewed_by": actor, "reviewed_at": timezone.now(), "note": note},
        )


def _counties_differ(a: Household, b: Household) -> bool:
    return a.village_id[:6] != b.village_id[:6]


@transaction.atomic
def duplicate_city_review(
    *, candidate: DuplicateCandidate, actor, decision: str, keep_id: int | None = None, note: str = ""
) -> DuplicateCandidate:
    """The city decides a pair in two counties: different people, or the same person — and which
    household keeps them. The decision is recorded (with its history); the county whose file
    loses the person sees it on the household page and takes them off its file."""
    ensure_can_write(actor)
    if not actor.has_perm("households.review_cross_county_duplicates"):
        raise PermissionDenied(_("Only the city reviewer decides pairs across counties."))
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    a, b = Household.objects.filter(pk__in=[candidate.household_a_id, candidate.household_b_id]).order_by(
        "pk"
    )
    for household in (a, b):
        ensure_can_write(actor, household.village_id)
    if not _counties_differ(a, b):
        raise DomainError(
            _("Both households lie in one county; that county reviews this pair."), field="decision"
        )
    if candidate.status != DuplicateStatus.OPEN:
        raise ConflictError(_("This pair has already been reviewed."))
    note = (note or "").strip()
    if decision == DuplicateStatus.DIFFERENT:
        keep = None
    elif decision == DuplicateStatus.SAME_PERSON:
        if keep_id not in (a.pk, b.pk):
            raise DomainError(_("Choose the household that keeps the person."), field="keep")
        keep = a if keep_id == a.pk else b
    else:
        raise DomainError(_("Choose “different people” or “same person”."), field="decision")
    if len(note) < 2:
        raise DomainError(_("Say what the decision rests on."), field="note")
    # The pair's check constraint (the kept household is one of the two) holds by the choice above.
    return transition(
        candidate,
        decision,
        actor=actor,
        note=note,
        updates={"keep_household": keep, "reviewed_by": actor, "reviewed_at": timezone.now(), "note": note},
    )


def _merge(*, keep: Household, drop: Household, actor) -> None:
    kept = list(keep.members.filter(is_active=True))
    kept_hashes = {m.id_number_current_hash() for m in kept}
    kept_people = {(m.name, m.birth_date) for m in kept}
    carry = [
        m
        for m in drop.members.filter(is_active=True)
        if m.id_number_current_hash() not in kept_hashes and (m.name, m.birth_date) not in kept_people
    ]
    reason = _("Duplicate of household %(file)s; merged into it.") % {"file": keep.file_number}
    household_remove(household=drop, actor=actor, reason=reason)
    active = keep.status in ACTIVE_STATUSES
    for m in carry:
        Member.objects.create(
            household=keep, name=m.name, id_number_cipher=m.id_number_cipher, id_number_hash=m.id_number_hash,
            id_number_key_version=m.id_number_key_version,
            id_number_masked=m.id_number_masked, sex=m.sex, birth_date=m.birth_date,
            relation=Relation.OTHER if m.relation == Relation.HEAD else m.relation, health=m.health,
            disability=m.disability, education=m.education, schooling=m.schooling,
            labour_ability=m.labour_ability, migrant_worker=m.migrant_worker,
            migrant_months=m.migrant_months, is_current=active,
        )  # fmt: skip
    if carry:
        keep.member_count = keep.members.filter(is_active=True).count()
        keep.save(update_fields=["member_count", "updated_at"])
