"""驻村工作队: village work teams, their members and the villages they serve."""

from __future__ import annotations

from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.audit import tracked
from core.models import Officer, Region, TimeStampedModel, Unit


@tracked()
class VillageTeam(TimeStampedModel):
    """驻村工作队: sent by a dispatching unit, led by a first secretary, serving villages."""

    name = models.CharField(pgettext_lazy("village team", "name"), max_length=100)
    dispatching_unit = models.ForeignKey(
        Unit, verbose_name=_("dispatching unit"), on_delete=models.PROTECT, related_name="village_teams"
    )
    first_secretary = models.ForeignKey(
        Officer, verbose_name=_("first secretary"), on_delete=models.PROTECT, related_name="led_village_teams"
    )
    members = models.ManyToManyField(
        Officer,
        verbose_name=pgettext_lazy("village team", "members"),
        through="TeamMember",
        related_name="village_teams",
        blank=True,
    )
    villages = models.ManyToManyField(
        Region, verbose_name=_("villages served"), through="TeamVillage", related_name="village_teams"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("village work team")
        verbose_name_plural = _("village work teams")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="village_team_end_after_start",
            ),
        ]
        indexes = [
            # village_restriction(first secretary): current teams led by one officer.
            models.Index(fields=["first_secretary", "start_date"], name="village_team_secretary_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_current(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)


@tracked()
class TeamMember(models.Model):
    team = models.ForeignKey(VillageTeam, on_delete=models.CASCADE, related_name="memberships")
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [models.UniqueConstraint(fields=["team", "officer"], name="team_member_once")]

    def __str__(self) -> str:
        return f"{self.team_id}: {self.officer_id}"


@tracked()
class TeamVillage(models.Model):
    team = models.ForeignKey(VillageTeam, on_delete=models.CASCADE, related_name="served")
    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"level": "village"},
    )  # fmt: skip

    class Meta:
        verbose_name = _("village served")
        verbose_name_plural = _("villages served")
        constraints = [models.UniqueConstraint(fields=["team", "village"], name="team_village_once")]
        indexes = [
            # Team scope: teams serving a village under a region (village_id LIKE '410821%').
            models.Index(OpClass("village_id", name="varchar_pattern_ops"), name="team_village_prefix_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.team_id}: {self.village_id}"
