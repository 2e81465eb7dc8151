"""Re-verification campaigns (再核实、再复查): one check per household file in a region."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.audit import tracked
from core.models import Region, TimeStampedModel
from core.transitions import StatusChange, Transitions

from .household import Household


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("in progress")
    CLOSED = "closed", _("closed")


CAMPAIGN_TRANSITIONS: dict[str, set[str]] = {
    CampaignStatus.OPEN: {CampaignStatus.CLOSED},
    CampaignStatus.CLOSED: set(),
}


class VerificationCampaign(TimeStampedModel):
    """A re-verification campaign (再核实、再复查): every household file in a region checked once."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    transitions = Transitions(CAMPAIGN_TRANSITIONS, log="VerificationCampaignStatusChange")

    class Meta:
        verbose_name = _("re-verification campaign")
        verbose_name_plural = _("re-verification campaigns")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class VerificationCampaignStatusChange(StatusChange):
    campaign = models.ForeignKey(
        VerificationCampaign,
        verbose_name=_("re-verification campaign"),
        on_delete=models.PROTECT,
        related_name="status_changes",
    )
    from_status = models.CharField(_("from"), max_length=8, choices=CampaignStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=8, choices=CampaignStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("campaign status change")
        verbose_name_plural = _("campaign status changes")


class CheckStatus(models.TextChoices):
    PENDING = "pending", _("to check")
    CONFIRMED = "confirmed", _("confirmed as is")
    CORRECTED = "corrected", _("corrected")


# A check may be recorded again while its campaign is open (a second visit finds more or less).
CHECK_TRANSITIONS: dict[str, set[str]] = {
    CheckStatus.PENDING: {CheckStatus.CONFIRMED, CheckStatus.CORRECTED},
    CheckStatus.CONFIRMED: {CheckStatus.CORRECTED},
    CheckStatus.CORRECTED: {CheckStatus.CONFIRMED},
}


@tracked()
class VerificationCheck(TimeStampedModel):
    campaign = models.ForeignKey(
        VerificationCampaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="checks"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="checks"
    )
    # Copied from the household when the campaign starts, so progress per village needs no join.
    village = models.ForeignKey(Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=CheckStatus.choices, default=CheckStatus.PENDING
    )
    findings = models.TextField(_("findings"), blank=True)
    corrections = models.JSONField(_("corrections"), default=dict, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    transitions = Transitions(CHECK_TRANSITIONS, log="VerificationCheckStatusChange")

    class Meta:
        verbose_name = _("household check")
        verbose_name_plural = _("household checks")
        ordering = ["campaign_id", "village_id", "household_id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "household"], name="check_once_per_campaign"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(checked_at__isnull=False), name="check_done_has_time"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "village", "status"], name="check_progress_idx")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.household_id}"


class VerificationCheckStatusChange(StatusChange):
    household_check = models.ForeignKey(
        VerificationCheck, verbose_name=_("household check"), on_delete=models.PROTECT,
        related_name="status_changes",
    )  # fmt: skip
    from_status = models.CharField(_("from"), max_length=12, choices=CheckStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=CheckStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("household check status change")
        verbose_name_plural = _("household check status changes")
