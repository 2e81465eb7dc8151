"""贫困村退出: a poor village's exit procedure for a year, with the criteria it is measured by.

The criteria of a year (VillageExitStandard): poverty incidence below the threshold — the village's
registered poor population over its registered population of that year (VillagePopulation) — a
collective income of at least the year's minimum, and every infrastructure item met with its
evidence. The steps are the household procedure's (procedures.Step): 核实 verification → 乡镇审核
township review → 公告公示 public notice (at least 7 days; an objection stops it) → 县级审定 county
approval, which moves the poor village to exited (villages.poor_village_exit).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import tracked
from core.models import Region, TimeStampedModel
from core.transitions import StatusChange, Transitions

from .procedures import CASE_TRANSITIONS, MIN_NOTICE_DAYS, CaseState, Step
from .villages import PoorVillage


class InfrastructureItem(models.TextChoices):
    """The infrastructure and public services a village must have to exit (each with evidence)."""

    ROAD = "road", _("hard-surfaced road to the village")  # 通硬化路
    POWER = "power", _("mains electricity")  # 通动力电
    WATER = "water", _("safe drinking water")  # 安全饮水
    BROADBAND = "broadband", _("broadband")  # 通宽带
    CLINIC = "clinic", _("standard village clinic")  # 标准化卫生室
    CULTURE = "culture", _("cultural activity venue")  # 文化活动场所


# The steps of a village's exit, in order (the household procedure's steps and labels).
VILLAGE_EXIT_STEPS: list[str] = [
    Step.VERIFICATION,
    Step.TOWNSHIP_REVIEW,
    Step.EXIT_NOTICE,
    Step.COUNTY_APPROVAL,
]


class VillageExitStandard(models.Model):
    """The year's criteria for a poor village to exit (e.g. incidence below 2%)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    max_incidence = models.DecimalField(
        _("poverty incidence below (%)"), max_digits=5, decimal_places=2,
        help_text=_("The village exits only with a poverty incidence below this percentage."),
    )  # fmt: skip
    min_collective_income = models.DecimalField(
        _("collective income of at least (yuan)"), max_digits=12, decimal_places=2
    )

    class Meta:
        verbose_name = _("village exit standard")
        verbose_name_plural = _("village exit standards")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_incidence__gt=0, max_incidence__lte=100),
                name="village_exit_incidence_percent",
            ),
            models.CheckConstraint(
                condition=Q(min_collective_income__gte=0), name="village_exit_min_income_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: <{self.max_incidence}%"


@tracked()
class VillagePopulation(TimeStampedModel):
    """A village's registered population (户籍人口) in a year: the denominator of its poverty incidence."""

    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    registered_population = models.PositiveIntegerField(_("registered population"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("village population")
        verbose_name_plural = _("village populations")
        ordering = ["village_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="village_population_once_a_year"),
            models.CheckConstraint(
                condition=Q(registered_population__gt=0), name="village_population_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}: {self.registered_population}"


class VillageExitCase(TimeStampedModel):
    """One run of a poor village's exit procedure for a year."""

    poor_village = models.ForeignKey(
        PoorVillage, verbose_name=_("poor village"), on_delete=models.PROTECT, related_name="exit_cases"
    )
    year = models.PositiveSmallIntegerField(_("exit year"))
    state = models.CharField(_("state"), max_length=12, choices=CaseState.choices, default=CaseState.OPEN)
    last_step = models.CharField(_("last step"), max_length=20, choices=Step.choices, blank=True)
    stop_reason = models.TextField(_("why it stopped"), blank=True)
    notice_start = models.DateField(_("notice from"), null=True, blank=True)
    notice_end = models.DateField(_("notice until"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )

    transitions = Transitions(CASE_TRANSITIONS, log="VillageExitCaseStatusChange", field="state")

    class Meta:
        verbose_name = _("village exit procedure")
        verbose_name_plural = _("village exit procedures")
        ordering = ["poor_village_id", "created_at", "id"]
        permissions = [("run_village_exit", "Can run a poor village's exit procedure")]
        constraints = [
            models.UniqueConstraint(
                fields=["poor_village"], condition=Q(state="open"), name="village_exit_one_open_case",
                violation_error_message=_("This village already has an exit procedure in progress."),
            ),
            models.UniqueConstraint(
                fields=["poor_village"], condition=Q(state="completed"), name="village_exit_completed_once",
            ),
            models.CheckConstraint(
                condition=Q(notice_start__isnull=True) | Q(notice_end__gte=models.F("notice_start") + timezone.timedelta(days=MIN_NOTICE_DAYS - 1)),
                name="village_exit_notice_at_least_7_days",
            ),
            models.CheckConstraint(condition=Q(state="stopped") | Q(stop_reason=""), name="village_exit_stop_reason_only_if_stopped"),
        ]  # fmt: skip
        indexes = [
            # Open cases whose notice ended (WHERE state='open' AND notice_end < today): ready for the county.
            models.Index(
                fields=["notice_end"], condition=Q(state="open"), name="village_exit_open_notice_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.poor_village_id} {self.year}"

    @property
    def steps_order(self) -> list[str]:
        return VILLAGE_EXIT_STEPS

    @property
    def next_step(self) -> str | None:
        if self.state != CaseState.OPEN:
            return None
        if not self.last_step:
            return VILLAGE_EXIT_STEPS[0]
        index = VILLAGE_EXIT_STEPS.index(self.last_step)
        return VILLAGE_EXIT_STEPS[index + 1] if index + 1 < len(VILLAGE_EXIT_STEPS) else None


class VillageExitCaseStatusChange(StatusChange):
    case = models.ForeignKey(
        VillageExitCase, verbose_name=_("village exit procedure"), on_delete=models.PROTECT,
        related_name="status_changes",
    )  # fmt: skip
    from_status = models.CharField(_("from"), max_length=12, choices=CaseState.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=CaseState.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("village exit status change")
        verbose_name_plural = _("village exit status changes")


class VillageExitStep(models.Model):
    """A step of a village's exit: who, when, what was decided (the criteria as measured), the evidence."""

    case = models.ForeignKey(
        VillageExitCase,
        verbose_name=_("village exit procedure"),
        on_delete=models.PROTECT,
        related_name="steps",
    )
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("recorded at"), default=timezone.now)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("village exit step")
        verbose_name_plural = _("village exit steps")
        ordering = ["case_id", "at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "step"], name="village_exit_step_once")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step}"


def village_evidence_path(instance, filename: str) -> str:
    return f"households/village-evidence/{timezone.now():%Y/%m}/{filename}"


class VillageExitEvidence(models.Model):
    """A file behind a step: an infrastructure item's evidence (`item`), or the step's papers."""

    step = models.ForeignKey(
        VillageExitStep, verbose_name=_("step"), on_delete=models.PROTECT, related_name="evidence"
    )
    item = models.CharField(
        _("infrastructure item"), max_length=16, choices=InfrastructureItem.choices, blank=True
    )
    file = models.FileField(_("file"), upload_to=village_evidence_path)
    name = models.CharField(_("file name"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("village exit evidence")
        verbose_name_plural = _("village exit evidence")
        ordering = ["step_id", "item", "id"]

    def __str__(self) -> str:
        return self.name
