"""Moves between villages: a move inside the clerk's region, a transfer across regions (released, then accepted or declined)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Region, TimeStampedModel
from core.transitions import StatusChange, Transitions

from .household import Household


class MoveReason(models.TextChoices):
    RELOCATION = "relocation", _("relocation (易地搬迁)")
    MARRIAGE = "marriage", _("marriage")
    ADMINISTRATIVE = "administrative", _("administrative change")
    OTHER = "other", _("other")


class HouseholdMove(models.Model):
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="moves"
    )
    from_village = models.ForeignKey(
        Region, verbose_name=_("from village"), on_delete=models.PROTECT, related_name="+"
    )
    to_village = models.ForeignKey(
        Region, verbose_name=_("to village"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=MoveReason.choices)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("household move")
        verbose_name_plural = _("household moves")
        ordering = ["household_id", "at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_village=models.F("to_village")), name="move_changes_village"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.from_village_id} → {self.to_village_id}"


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("awaiting the receiving county")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    CANCELLED = "cancelled", _("withdrawn")


TRANSFER_TRANSITIONS: dict[str, set[str]] = {
    TransferStatus.PENDING: {TransferStatus.ACCEPTED, TransferStatus.DECLINED, TransferStatus.CANCELLED},
    TransferStatus.ACCEPTED: set(),
    TransferStatus.DECLINED: set(),
    TransferStatus.CANCELLED: set(),
}


class HouseholdTransfer(TimeStampedModel):
    """A move into a village outside the mover's region: the source releases the household, a clerk
    of the destination accepts (then the household moves) or declines. Both steps stay here."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="transfers"
    )
    from_village = models.ForeignKey(
        Region, verbose_name=_("from village"), on_delete=models.PROTECT, related_name="+"
    )
    to_village = models.ForeignKey(
        Region, verbose_name=_("to village"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=MoveReason.choices)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("released by"), on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(_("released at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    transitions = Transitions(TRANSFER_TRANSITIONS, log="HouseholdTransferStatusChange")

    class Meta:
        verbose_name = _("household transfer")
        verbose_name_plural = _("household transfers")
        ordering = ["-released_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_village=models.F("to_village")), name="transfer_changes_village"
            ),
            # One open transfer per household: a second release waits for the first decision.
            models.UniqueConstraint(
                fields=["household"], condition=Q(status="pending"), name="transfer_one_pending"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False, decided_by__isnull=False)),
                name="transfer_decided_has_who_and_when",
            ),
        ]
        indexes = [
            # The receiving county's inbox: transfer_list filters pending rows by to_village prefix.
            models.Index(
                OpClass("to_village_id", name="varchar_pattern_ops"),
                condition=Q(status="pending"),
                name="transfer_pending_to_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.from_village_id} → {self.to_village_id} ({self.status})"


class HouseholdTransferStatusChange(StatusChange):
    transfer = models.ForeignKey(
        HouseholdTransfer,
        verbose_name=_("household transfer"),
        on_delete=models.PROTECT,
        related_name="status_changes",
    )
    from_status = models.CharField(_("from"), max_length=12, choices=TransferStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=TransferStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("household transfer status change")
        verbose_name_plural = _("household transfer status changes")
