"""The year's targets (全面完成年度脱贫任务): people, households and villages to exit, per city and county.

What is achieved in a year is counted from the register (households' exit procedures completed in
the year, villages exited in the year: `households.selectors.targets`). For a year before the system
held the register, the figures the city reported can be recorded beside the targets (`achieved_*`),
with their source: they are shown labelled as recorded, never mixed with counted ones.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.audit import tracked
from core.models import Region, TimeStampedModel

# The figures of a target row: (field, label). Targets first, then the recorded results.
TARGET_FIELDS = ("people", "households", "villages")
ACHIEVED_FIELDS = ("achieved_people", "achieved_households", "achieved_villages")


@tracked()
class ExitTarget(TimeStampedModel):
    """One region's targets for one year (a city, recorded by an administrator; a county, by its
    county administrator), and the results of a past year as the region reported them."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    people = models.PositiveIntegerField(_("people to exit poverty"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households to exit poverty"), null=True, blank=True)
    villages = models.PositiveIntegerField(_("poor villages to exit"), null=True, blank=True)
    achieved_people = models.PositiveIntegerField(_("people exited (recorded)"), null=True, blank=True)
    achieved_households = models.PositiveIntegerField(
        _("households exited (recorded)"), null=True, blank=True
    )
    achieved_villages = models.PositiveIntegerField(_("villages exited (recorded)"), null=True, blank=True)
    achieved_source = models.CharField(_("source of the recorded results"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("year's target")
        verbose_name_plural = _("year's targets")
        ordering = ["-year", "region_id"]
        permissions = [("record_exit_target", _("Can record the year's targets"))]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="exit_target_one_per_region_year"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="exit_target_year_range"),
            # A row says something: a target or a recorded result.
            models.CheckConstraint(
                condition=Q(people__isnull=False) | Q(households__isnull=False) | Q(villages__isnull=False)
                | Q(achieved_people__isnull=False) | Q(achieved_households__isnull=False)
                | Q(achieved_villages__isnull=False),
                name="exit_target_not_empty",
            ),
            # Recorded results name where they come from (e.g. the city's report of the year).
            models.CheckConstraint(
                condition=(Q(achieved_people__isnull=True) & Q(achieved_households__isnull=True)
                           & Q(achieved_villages__isnull=True)) | ~Q(achieved_source=""),
                name="exit_target_recorded_results_have_a_source",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}"

    @property
    def has_recorded_results(self) -> bool:
        return any(getattr(self, f) is not None for f in ACHIEVED_FIELDS)
