"""乡镇对数据真实性、准确性承担直接责任: a township officer signs off the township's data each month.

A sign-off records what it covered — the counts, and each household with its last change as of the
signing (SignOffHousehold) — so a later change to one of them is found by comparing its change time
with the one recorded, and listed on the next sign-off. A sign-off may be withdrawn with a reason
until the month's bulletin is published.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Region, TimeStampedModel
from core.transitions import StatusChange, Transitions

from .household import Household


class SignOffState(models.TextChoices):
    SIGNED = "signed", _("signed off")
    WITHDRAWN = "withdrawn", _("withdrawn")


SIGNOFF_TRANSITIONS: dict[str, set[str]] = {
    SignOffState.SIGNED: {SignOffState.WITHDRAWN},
    SignOffState.WITHDRAWN: set(),
}


class TownshipSignOff(TimeStampedModel):
    """A township's data for a month, vouched for by its township officer."""

    township = models.ForeignKey(
        Region, verbose_name=_("township"), on_delete=models.PROTECT, related_name="signoffs"
    )
    month = models.DateField(_("month"), help_text=_("First day of the month signed off."))
    state = models.CharField(
        _("state"), max_length=12, choices=SignOffState.choices, default=SignOffState.SIGNED
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by"), on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    # What the sign-off covered: households by status, people, poor villages by status, and the
    # households changed since the township's previous sign-off (listed to the officer before signing).
    counts = models.JSONField(_("what it covered"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    withdraw_reason = models.TextField(_("why it was withdrawn"), blank=True)

    transitions = Transitions(SIGNOFF_TRANSITIONS, log="TownshipSignOffStatusChange", field="state")

    class Meta:
        verbose_name = _("township sign-off")
        verbose_name_plural = _("township sign-offs")
        ordering = ["-month", "township_id", "-signed_at"]
        permissions = [("sign_off_township", "Can sign off a township's data for a month")]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "month"], condition=Q(state="signed"), name="signoff_one_signed_per_month",
                violation_error_message=_("The township has already signed off this month."),
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="signoff_first_of_month"),
            models.CheckConstraint(
                condition=Q(state="withdrawn", withdraw_reason__gt="") | Q(state="signed", withdraw_reason=""),
                name="signoff_withdraw_reason_iff_withdrawn",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.township_id} {self.month:%Y-%m}"


class TownshipSignOffStatusChange(StatusChange):
    signoff = models.ForeignKey(
        TownshipSignOff, verbose_name=_("township sign-off"), on_delete=models.PROTECT,
        related_name="status_changes",
    )  # fmt: skip
    from_status = models.CharField(_("from"), max_length=12, choices=SignOffState.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=SignOffState.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("sign-off status change")
        verbose_name_plural = _("sign-off status changes")


class SignOffHousehold(models.Model):
    """A household a sign-off covered, with its status and last change as of the signing."""

    signoff = models.ForeignKey(
        TownshipSignOff,
        verbose_name=_("township sign-off"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    # A copy of the household's status at the signing (nobody moves it: not a state of its own).
    household_status = models.CharField(_("household's status"), max_length=16)
    last_change = models.DateTimeField(_("last change"))

    class Meta:
        verbose_name = _("household signed off")
        verbose_name_plural = _("households signed off")
        constraints = [
            models.UniqueConstraint(fields=["signoff", "household"], name="signoff_household_once"),
        ]

    def __str__(self) -> str:
        return f"{self.signoff_id} {self.household_id}"
