"""帮扶责任人 and the work in the villages: who is responsible for a household (dated, with
history), the responsible officer's visits (走访记录), the days first secretaries and work-team
members spend in their villages (驻村), and each county's rules for both.

`Household.assistance_officer` (households) is the household's current responsible officer: the
register's forms, imports and COPY set it. `OfficerAssignment` is its dated history, written by
PostgreSQL from every change of that column (migration 0009: one statement-level trigger, so no
path — a form, an import, the scale generator's COPY, a reassignment — can change the officer
without the history), with at most one open assignment per household.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.audit import tracked
from core.models import Officer, Region, TimeStampedModel, User
from households.models import Household

from .teams import VillageTeam

# The county's rules when it has set none (a county administrator changes them).
DEFAULT_VISIT_INTERVAL_DAYS = 30
DEFAULT_PRESENCE_DAYS = 20


class OfficerAssignment(models.Model):
    """One officer responsible for one household from `started_on` to `ended_on` (open: now)."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="officer_assignments"
    )
    officer = models.ForeignKey(
        Officer,
        verbose_name=_("responsible officer"),
        on_delete=models.PROTECT,
        related_name="household_assignments",
    )
    started_on = models.DateField(_("responsible from"))
    ended_on = models.DateField(_("responsible until"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        User,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("responsible officer assignment")
        verbose_name_plural = _("responsible officer assignments")
        ordering = ["household_id", "-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(ended_on__isnull=True),
                name="officer_assignment_one_open_per_household",
                violation_error_message=_("This household already has a responsible officer."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="officer_assignment_ends_after_start",
            ),
        ]  # fmt: skip
        indexes = [
            # An officer's current households (reassignment, visit scores): officer_id = … AND ended_on IS NULL.
            models.Index(fields=["officer"], condition=Q(ended_on__isnull=True), name="officer_assignment_open_idx"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.household_id}: {self.officer_id} {self.started_on}–{self.ended_on or ''}"


@tracked()
class FieldworkSettings(TimeStampedModel):
    """A county's rules for the work in villages: how often each household is visited, how many
    days a month the work team spends in the village."""

    region = models.OneToOneField(
        Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="fieldwork_settings",
        limit_choices_to={"level": "county"},
    )  # fmt: skip
    visit_interval_days = models.PositiveSmallIntegerField(
        _("days between visits"), default=DEFAULT_VISIT_INTERVAL_DAYS,
        help_text=_("A household not visited for longer than this is flagged."),
    )  # fmt: skip
    presence_days_required = models.PositiveSmallIntegerField(
        _("days in the village each month"), default=DEFAULT_PRESENCE_DAYS,
        help_text=_("First secretaries and work-team members with fewer days in a month are absent."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("fieldwork settings")
        verbose_name_plural = _("fieldwork settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(visit_interval_days__gte=1) & Q(visit_interval_days__lte=366),
                name="fieldwork_visit_interval_range",
            ),
            models.CheckConstraint(
                condition=Q(presence_days_required__gte=1) & Q(presence_days_required__lte=31),
                name="fieldwork_presence_days_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id}: {self.visit_interval_days} / {self.presence_days_required}"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    FAIRLY = "fairly", _("fairly satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


@tracked()
class Visit(TimeStampedModel):
    """走访记录: the responsible officer's visit to a household.

    `client_uuid` is made by the phone: a visit sent again after a lost answer is the same visit.
    """

    client_uuid = models.UUIDField(_("client id"), unique=True)
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="visits"
    )
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("visit date"))
    activities = models.TextField(pgettext_lazy("visit", "what was done"))
    household_said = models.TextField(_("what the household said"), blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=16, choices=Satisfaction.choices)
    photo = models.FileField(_("photo"), upload_to="assistance/visits", max_length=200, blank=True)
    photo_name = models.CharField(_("photo file name"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(visited_on__year__gte=2013), name="visit_date_from_2013"),
            models.CheckConstraint(condition=~Q(activities=""), name="visit_activities_required"),
        ]
        indexes = [
            # Last visit of each household (work list, overdue flag): household_id = … ORDER BY visited_on DESC.
            models.Index(fields=["household", "-visited_on"], name="visit_household_date_idx"),
            # Visits per officer and month (scores).
            models.Index(fields=["officer", "visited_on"], name="visit_officer_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.visited_on}"


@tracked()
class PresenceDay(TimeStampedModel):
    """驻村: one day a first secretary or work-team member spent in a village their team serves."""

    client_uuid = models.UUIDField(_("client id"), unique=True)
    team = models.ForeignKey(
        VillageTeam,
        verbose_name=_("village work team"),
        on_delete=models.PROTECT,
        related_name="presence_days",
    )
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="presence_days"
    )
    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"level": "village"},
    )  # fmt: skip
    day = models.DateField(_("day"))
    note = models.CharField(pgettext_lazy("visit", "what was done"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("day in the village")
        verbose_name_plural = _("days in the village")
        ordering = ["-day", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "day"], name="presence_one_per_officer_day",
                violation_error_message=_("This day is already recorded."),
            ),
            models.CheckConstraint(condition=Q(day__year__gte=2013), name="presence_day_from_2013"),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["team", "day"], name="presence_team_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.day}"
