"""Poor villages (贫困村) with their exit, and the yearly national poverty line."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.audit import tracked
from core.models import Region, TimeStampedModel
from core.transitions import StatusChange, Transitions


class PoorVillageStatus(models.TextChoices):
    POOR = "poor", _("poor village")
    EXITED = "exited", _("exited poverty")


# A poor village leaves the list once (its exit year is set with the move).
POOR_VILLAGE_TRANSITIONS: dict[str, set[str]] = {
    PoorVillageStatus.POOR: {PoorVillageStatus.EXITED},
    PoorVillageStatus.EXITED: set(),
}


@tracked()
class PoorVillage(TimeStampedModel):
    """A village on the poor-village list (贫困村), with its exit year once it leaves."""

    village = models.OneToOneField(
        Region,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="poor_village",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PoorVillageStatus.choices, default=PoorVillageStatus.POOR
    )
    identified_year = models.PositiveSmallIntegerField(_("identified in"))
    exit_year = models.PositiveSmallIntegerField(_("exit year"), null=True, blank=True)

    transitions = Transitions(POOR_VILLAGE_TRANSITIONS, log="PoorVillageStatusChange")

    class Meta:
        verbose_name = _("poor village")
        verbose_name_plural = _("poor villages")
        ordering = ["village_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="poor", exit_year__isnull=True)
                | Q(status="exited", exit_year__isnull=False),
                name="poor_village_exit_year_iff_exited",
            ),
            models.CheckConstraint(
                condition=Q(exit_year__isnull=True) | Q(exit_year__gte=models.F("identified_year")),
                name="poor_village_exit_after_identification",
            ),
        ]

    def __str__(self) -> str:
        return str(self.village)


class PoorVillageStatusChange(StatusChange):
    poor_village = models.ForeignKey(
        PoorVillage, verbose_name=_("poor village"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=PoorVillageStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=PoorVillageStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("poor village status change")
        verbose_name_plural = _("poor village status changes")


class PovertyLine(models.Model):
    """The national poverty line per year (e.g. 2016: 3,146 yuan per person)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    amount = models.DecimalField(
        _("poverty line (yuan per person per year)"), max_digits=10, decimal_places=2
    )

    class Meta:
        verbose_name = _("poverty line")
        verbose_name_plural = _("poverty lines")
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="poverty_line_positive")]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"
