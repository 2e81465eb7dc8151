"""Moves between villages. Inside the mover's region a household moves at once; into a village
outside it, the move is two-sided: the source releases the household (a pending transfer), a clerk
of the destination accepts it (only then the household's village changes) or declines it. Every
step checks the region it touches: the village left against the releasing clerk, the village
entered against the accepting one (issue 15.4)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import ConflictError, DomainError, TransitionNotAllowed
from core.models import Region, RegionLevel
from core.scoping import ensure_can_write, in_scope
from core.transitions import can_transition, record_created, transition

from ..models import (
    Household,
    HouseholdMove,
    HouseholdTransfer,
    MoveReason,
    TransferStatus,
)


def _lock(household: Household) -> Household:
    return Household.objects.select_for_update().get(pk=household.pk)


@transaction.atomic
def household_move(
    *, household: Household, to_village, reason: str, actor, note: str = ""
) -> HouseholdMove | HouseholdTransfer:
    """Move a household to another village. Within the actor's region: done now (a HouseholdMove).
    Outside it: the household is released to the destination (a pending HouseholdTransfer), and
    stays where it is until a clerk there accepts."""
    ensure_can_write(actor, household.village_id)
    household = _lock(household)
    errors: dict[str, list[str]] = {}
    if isinstance(to_village, str):
        to_village = Region.objects.filter(code=to_village).first()
    if to_village is None or to_village.level != RegionLevel.VILLAGE:
        errors["to_village"] = [_("Choose a village.")]
    elif to_village.code == household.village_id:
        errors["to_village"] = [_("The household already lives in this village.")]
    if reason not in MoveReason.values:
        errors["reason"] = [_("Choose the reason for the move.")]
    pending = household.transfers.filter(status=TransferStatus.PENDING).select_related("to_village").first()
    if pending is not None:
        errors.setdefault("to_village", []).append(
            _("A transfer to %(village)s awaits its answer; withdraw it before moving the household again.")
            % {"village": pending.to_village.name}
        )
    if errors:
        raise DomainError(errors=errors)
    note = (note or "").strip()
    if in_scope(actor, to_village.code):
        return _apply_move(household=household, to_village=to_village, reason=reason, note=note, actor=actor)
    with actor_context(actor):
        try:
            with transaction.atomic():
                transfer = HouseholdTransfer.objects.create(
                    household=household, from_village_id=household.village_id, to_village=to_village,
                    reason=reason, note=note, released_by=actor,
                )  # fmt: skip
                record_created(transfer, actor=actor, note=note)
                return transfer
        except IntegrityError as exc:
            if "transfer_one_pending" in str(exc):
                raise ConflictError(_("A transfer of this household already awaits its answer.")) from None
            raise


def _apply_move(*, household: Household, to_village: Region, reason: str, note: str, actor) -> HouseholdMove:
    with actor_context(actor):
        move = HouseholdMove.objects.create(
            household=household, from_village_id=household.village_id, to_village=to_village,
            reason=reason, note=note, actor=actor,
        )  # fmt: skip
        household.village = to_village
        household.save(update_fields=["village", "updated_at"])
    return move


def _decide(transfer: HouseholdTransfer, *, to_status: str, actor, note: str) -> HouseholdTransfer:
    if not can_transition(transfer, to_status):
        raise TransitionNotAllowed(
            _("This transfer is already decided (%(status)s).") % {"status": transfer.get_status_display()}
        )
    # `transfer` is updated in place and keeps what _lock_transfer selected with it.
    transition(
        transfer,
        to_status,
        actor=actor,
        note=note,
        updates={"decided_by": actor, "decided_at": timezone.now(), "decision_note": note},
    )
    return transfer


def _lock_transfer(transfer: HouseholdTransfer) -> HouseholdTransfer:
    return (
        HouseholdTransfer.objects.select_for_update(of=("self",))
        .select_related("to_village", "released_by")
        .get(pk=transfer.pk)
    )


@transaction.atomic
def household_transfer_accept(*, transfer: HouseholdTransfer, actor, note: str = "") -> HouseholdMove:
    """A clerk of the destination takes the household in: it moves, and the move names both sides."""
    ensure_can_write(actor, transfer.to_village_id)
    transfer = _lock_transfer(transfer)
    household = _lock(transfer.household)
    if household.village_id != transfer.from_village_id:
        raise ConflictError(_("The household no longer lives in the village it was released from."))
    note = (note or "").strip()
    _decide(transfer, to_status=TransferStatus.ACCEPTED, actor=actor, note=note)
    released = _("Released by %(who)s on %(date)s; accepted by %(by)s.") % {
        "who": transfer.released_by,
        "date": timezone.localtime(transfer.released_at).strftime("%Y-%m-%d %H:%M"),
        "by": actor,
    }
    move_note = " ".join(part for part in (transfer.note, released, note) if part)
    return _apply_move(
        household=household,
        to_village=transfer.to_village,
        reason=transfer.reason,
        note=move_note,
        actor=actor,
    )


@transaction.atomic
def household_transfer_decline(*, transfer: HouseholdTransfer, actor, note: str) -> HouseholdTransfer:
    """A clerk of the destination refuses the household, saying why; it stays where it was."""
    ensure_can_write(actor, transfer.to_village_id)
    note = (note or "").strip()
    if len(note) < 2:
        raise DomainError(_("Say why the household is not accepted."), field="note")
    transfer = _lock_transfer(transfer)
    return _decide(transfer, to_status=TransferStatus.DECLINED, actor=actor, note=note)


@transaction.atomic
def household_transfer_cancel(*, transfer: HouseholdTransfer, actor, note: str = "") -> HouseholdTransfer:
    """The releasing side withdraws a transfer that has not been answered yet."""
    ensure_can_write(actor, transfer.from_village_id)
    transfer = _lock_transfer(transfer)
    return _decide(transfer, to_status=TransferStatus.CANCELLED, actor=actor, note=(note or "").strip())


TRANSFER_DECISIONS = {
    "accept": household_transfer_accept,
    "decline": household_transfer_decline,
    "cancel": household_transfer_cancel,
}
