"""Transfers between regions: a clerk's inbox and outbox, and a household's transfers."""

from __future__ import annotations

from django.http import Http404

from core.scoping import scope

from ..models import (
    Household,
    HouseholdTransfer,
    TransferStatus,
)


def transfer_list(*, actor, direction: str = "incoming", status: str = TransferStatus.PENDING):
    """Transfers into the actor's region (`incoming`: theirs to accept or decline) or out of it
    (`outgoing`: released by their side, theirs to withdraw while pending)."""
    field = "to_village_id" if direction == "incoming" else "from_village_id"
    qs = HouseholdTransfer.objects.select_related(
        "household", "from_village__parent__parent", "to_village__parent__parent", "released_by", "decided_by"
    )
    qs = scope(qs, actor=actor, field=field)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-released_at", "-id")


def transfer_get(*, actor, pk: int) -> HouseholdTransfer:
    """A transfer either side of which lies in the actor's scope (each decision checks its side)."""
    incoming = transfer_list(actor=actor, direction="incoming", status="").filter(pk=pk)
    found = (
        incoming.first() or transfer_list(actor=actor, direction="outgoing", status="").filter(pk=pk).first()
    )
    if found is None:
        raise Http404
    return found


def household_transfers(*, household: Household) -> list[HouseholdTransfer]:
    """A household's transfers, newest first, for its page (the reader already may see it)."""
    return list(
        household.transfers.select_related(
            "from_village__parent__parent", "to_village__parent__parent", "released_by", "decided_by"
        ).order_by("-released_at", "-id")
    )
