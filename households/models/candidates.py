"""漏评: a household in the register that is not registered poor but whose facts say it may be
(income under the year's line, a guarantee unmet), reviewed to a decision — start the entry
procedure, or dismiss with a reason. 应退未退 needs no record: it is a list (selectors.candidates)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.transitions import StatusChange, Transitions

from .household import Household


class OmissionDecision(models.TextChoices):
    OPEN = "open", _("to be reviewed")
    ENTRY_STARTED = "entry_started", _("entry procedure started")
    DISMISSED = "dismissed", _("dismissed")


OMISSION_TRANSITIONS: dict[str, set[str]] = {
    OmissionDecision.OPEN: {OmissionDecision.ENTRY_STARTED, OmissionDecision.DISMISSED},
    OmissionDecision.ENTRY_STARTED: set(),
    OmissionDecision.DISMISSED: set(),
}


class OmissionReview(TimeStampedModel):
    """The review of one possible 漏评 household for a year: what flagged it and the decision."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="omission_reviews"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # What flagged it when it was reviewed: the income and the line of the year, the unmet guarantees.
    income = models.DecimalField(
        _("per-capita net income (yuan)"), max_digits=12, decimal_places=2, null=True
    )
    poverty_line = models.DecimalField(_("poverty line (yuan)"), max_digits=12, decimal_places=2, null=True)
    income_below_line = models.BooleanField(_("income below the line"), default=False)
    guarantee_unmet = models.BooleanField(_("a guarantee unmet"), default=False)
    status = models.CharField(
        _("decision"), max_length=16, choices=OmissionDecision.choices, default=OmissionDecision.OPEN
    )
    reason = models.TextField(_("reason"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )

    transitions = Transitions(OMISSION_TRANSITIONS, log="OmissionReviewStatusChange")

    class Meta:
        verbose_name = _("possible omission review")
        verbose_name_plural = _("possible omission reviews")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year"], name="omission_review_once_per_household_year",
                violation_error_message=_("This household has been reviewed for this year already."),
            ),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(reason=""), name="omission_review_dismissal_has_reason"
            ),
        ]  # fmt: skip
        permissions = [("review_omission", _("Can review possible omissions (漏评)"))]

    def __str__(self) -> str:
        return f"{self.household_id} {self.year} {self.status}"


class OmissionReviewStatusChange(StatusChange):
    review = models.ForeignKey(
        OmissionReview, verbose_name=_("review"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=OmissionDecision.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=OmissionDecision.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("omission review status change")
        verbose_name_plural = _("omission review status changes")
