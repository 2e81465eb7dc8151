"""Possible duplicates beyond the ID number: pairs of households for a clerk (or the city) to decide."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.audit import tracked
from core.models import TimeStampedModel
from core.transitions import StatusChange, Transitions

from .household import Household


class DuplicateReason(models.TextChoices):
    NAME_BIRTH = "name_birth", _("same name and birth date")
    PHONE = "phone", _("same head's phone")


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("to review")
    DIFFERENT = "different", _("different people")
    MERGED = "merged", _("merged")
    # Decided by the city for a pair in two counties: the person stays in `keep_household`;
    # the other county takes them off its file.
    SAME_PERSON = "same_person", _("same person (decided by the city)")


# A pair is decided once: by its county (different / merged) or by the city (different / same person).
DUPLICATE_TRANSITIONS: dict[str, set[str]] = {
    DuplicateStatus.OPEN: {DuplicateStatus.DIFFERENT, DuplicateStatus.MERGED, DuplicateStatus.SAME_PERSON},
    DuplicateStatus.DIFFERENT: set(),
    DuplicateStatus.MERGED: set(),
    DuplicateStatus.SAME_PERSON: set(),
}


@tracked()
class DuplicateCandidate(TimeStampedModel):
    """Two households that may hold the same person (beyond the ID number), for a clerk to review."""

    household_a = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    household_b = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=DuplicateReason.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    keep_household = models.ForeignKey(
        Household, verbose_name=_("household that keeps the person"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    transitions = Transitions(DUPLICATE_TRANSITIONS, log="DuplicateCandidateStatusChange")

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        permissions = [
            ("view_cross_county_duplicates", "Can see possible duplicates across counties"),
            ("review_cross_county_duplicates", "Can decide possible duplicates across counties"),
        ]
        ordering = ["status", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["household_a", "household_b", "reason"], name="duplicate_pair_once"),
            models.CheckConstraint(condition=Q(household_a__lt=models.F("household_b")), name="duplicate_pair_ordered"),
            models.CheckConstraint(
                condition=~Q(status="same_person")
                | Q(keep_household=models.F("household_a")) | Q(keep_household=models.F("household_b")),
                name="duplicate_same_person_keeps_one_of_the_pair",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.household_a_id} ~ {self.household_b_id} ({self.reason})"


class DuplicateCandidateStatusChange(StatusChange):
    candidate = models.ForeignKey(
        DuplicateCandidate,
        verbose_name=_("possible duplicate"),
        on_delete=models.PROTECT,
        related_name="status_changes",
    )
    from_status = models.CharField(_("from"), max_length=12, choices=DuplicateStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=DuplicateStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("possible duplicate status change")
        verbose_name_plural = _("possible duplicate status changes")
