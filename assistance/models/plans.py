"""帮扶方案: a household's plan for one year and its measures (with their status changes and evidence).

"根据群众致贫原因,细分帮扶措施,精准订制帮扶方案,并将方案列入贫困家庭档案抓好落实":
a plan belongs to one household and one year; every poverty cause of the household must be
answered by at least one measure that is not cancelled and whose kind answers that cause (see
`fit` for the table of kinds and causes, `selectors.coverage` for the rule).
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import tracked
from core.models import Officer, TimeStampedModel, User
from core.transitions import StatusChange, Transitions
from households.models import Household, Member, PovertyCause


class MeasureKind(models.TextChoices):
    EMPLOYMENT = "employment", _("transfer employment")  # 转移就业
    INDUSTRY = "industry", _("industry development")  # 产业扶贫
    RELOCATION = "relocation", _("relocation")  # 易地搬迁
    SOCIAL_GUARANTEE = "social_guarantee", _("subsistence guarantee")  # 低保兜底
    MEDICAL_RELIEF = "medical_relief", _("medical relief")  # 医疗救助
    EDUCATION_RELIEF = "education_relief", _("education relief")  # 教育救助
    DISASTER_RELIEF = "disaster_relief", _("disaster relief")  # 灾害救助
    TEMPORARY_RELIEF = "temporary_relief", _("temporary relief")  # 临时救助
    SPECIAL_RELIEF = "special_relief", _("special relief")  # 特殊救助
    CHARITY_RELIEF = "charity_relief", _("charity relief")  # 慈善救助
    SKILLS_TRAINING = "skills_training", _("skills training")  # 技能培训
    MICROCREDIT = "microcredit", _("microcredit")  # 小额信贷
    HOUSING_REPAIR = "housing_repair", _("housing repair")  # 危房改造
    HEALTH = "health", _("health poverty alleviation")  # 健康扶贫
    EDUCATION = "education", _("education poverty alleviation")  # 教育扶贫
    ASSET_INCOME = "asset_income", _("asset income (photovoltaic and others)")  # 光伏/资产收益扶贫
    DESTITUTE_SUPPORT = "destitute_support", _("support for the destitute")  # 特困供养兜底


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


# The only moves a measure's status may make (core.transitions, through `Measure.transitions`).
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    MeasureStatus.PLANNED: {MeasureStatus.IN_PROGRESS, MeasureStatus.CANCELLED},
    MeasureStatus.IN_PROGRESS: {MeasureStatus.DONE, MeasureStatus.CANCELLED},
    MeasureStatus.DONE: set(),
    MeasureStatus.CANCELLED: set(),
}
# Measures in these statuses still have work to do: past their planned end they are late.
OPEN_STATUSES = (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS)

MONEY = {"max_digits": 12, "decimal_places": 2}


# Kept by the database from the measures and the household's causes (not history: the measures
# and the household carry theirs).
COVERAGE_FIELDS = ("uncovered_count", "next_due")


@tracked(exclude=list(COVERAGE_FIELDS))
class AssistancePlan(TimeStampedModel):
    """A household's assistance plan (帮扶方案) for one year, part of its file.

    `uncovered_count` and `next_due` are the plan's coverage, stored so that the work list and the
    dashboard filter on columns instead of recomputing every plan per request. PostgreSQL keeps
    them (migration 0002): after every INSERT, UPDATE or DELETE of measures (any path: services,
    bulk, COPY, raw SQL) and every change of a household's causes; a plan's own UPDATE cannot
    change them. "Late" depends on today, so the date is stored, not a flag that would go stale.
    """

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="assistance_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # The responsible officer belongs to the household, not to a year's plan: households'
    # `assistance_officer` and its history (fieldwork.OfficerAssignment; migration 0009 moved the
    # plans' officers there).
    summary = models.TextField(_("approach"), blank=True, help_text=_("The plan in a few sentences."))
    uncovered_count = models.PositiveSmallIntegerField(
        _("causes not answered"), default=0, db_default=0, editable=False,
        help_text=_("Poverty causes of the household that no measure (not cancelled) answers."),
    )  # fmt: skip
    next_due = models.DateField(
        _("earliest open completion date"), null=True, blank=True, editable=False,
        help_text=_("The earliest planned completion of a measure still open; before today means late."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("assistance plan")
        verbose_name_plural = _("assistance plans")
        ordering = ["household_id", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year"], name="assistance_plan_one_per_household_year",
                violation_error_message=_("This household already has a plan for this year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2013) & Q(year__lte=2100), name="assistance_plan_year_range"
            ),
        ]  # fmt: skip
        indexes = [
            # Work list: "this year's plan of each household" (LEFT JOIN on year).
            models.Index(fields=["year", "household"], name="assistance_plan_year_hh_idx"),
            # Work list ("missing or late", selectors.worklist_base) and the dashboard's plan
            # coverage: LEFT JOIN plan ON household_id = … AND year = …, reading the stored coverage
            # from the index alone (one probe per household of the region).
            models.Index(
                fields=["household", "year"],
                include=["id", "uncovered_count", "next_due"],
                name="assistance_plan_coverage_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.year}"


@tracked()
class Measure(TimeStampedModel):
    """One measure of a plan, answering one or more of the household's poverty causes."""

    plan = models.ForeignKey(
        AssistancePlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="measures"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=MeasureKind.choices)
    title = models.CharField(_("description"), max_length=200)
    causes = ArrayField(
        models.CharField(max_length=20, choices=PovertyCause.choices),
        verbose_name=_("causes answered"),
    )
    responsible_officer = models.ForeignKey(
        Officer, verbose_name=_("responsible officer"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="assistance_measures",
    )  # fmt: skip
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned completion"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual completion"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    expected_income_gain = models.DecimalField(_("expected yearly income gain (yuan)"), default=0, **MONEY)
    actual_income_gain = models.DecimalField(
        _("actual yearly income gain (yuan)"), null=True, blank=True, **MONEY
    )
    funds_needed = models.DecimalField(_("money needed (yuan)"), default=0, **MONEY)
    note = models.TextField(_("note"), blank=True)
    # 因人施策: who an employment measure employs; the loan of a microcredit measure; the site of a
    # relocation. Checked whenever given and required before the measure is done (services.measures).
    employed_member = models.ForeignKey(
        Member, verbose_name=_("member employed"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    loan_amount = models.DecimalField(_("loan amount (yuan)"), null=True, blank=True, **MONEY)
    # db_default: rows written by COPY (scale, bench) or raw SQL that do not name the column.
    loan_bank = models.CharField(_("lending bank"), max_length=100, blank=True, default="", db_default="")
    loan_date = models.DateField(_("loan date"), null=True, blank=True)
    loan_due = models.DateField(_("loan due date"), null=True, blank=True)
    interest_subsidy = models.DecimalField(_("interest subsidy (yuan)"), null=True, blank=True, **MONEY)
    relocation_site = models.CharField(
        _("resettlement site"), max_length=200, blank=True, default="", db_default=""
    )
    move_in_date = models.DateField(_("move-in date"), null=True, blank=True)

    transitions = Transitions(ALLOWED_TRANSITIONS, log="MeasureStatusChange")

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["plan_id", "planned_end", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(causes__len__gte=1), name="measure_answers_a_cause"),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancel_reason__gt="") | (~Q(status="cancelled") & Q(cancel_reason="")),
                name="measure_cancel_reason_iff_cancelled",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(actual_end__isnull=False), name="measure_done_has_actual_end"
            ),
            models.CheckConstraint(
                condition=Q(planned_start__isnull=True) | Q(planned_start__lte=F("planned_end")),
                name="measure_planned_start_before_end",
            ),
            models.CheckConstraint(
                condition=Q(actual_start__isnull=True) | Q(actual_end__isnull=True) | Q(actual_start__lte=F("actual_end")),
                name="measure_actual_start_before_end",
            ),
            models.CheckConstraint(
                condition=Q(funds_needed__gte=0) & Q(expected_income_gain__gte=0), name="measure_amounts_non_negative"
            ),
            models.CheckConstraint(
                condition=(Q(loan_amount__isnull=True) | Q(loan_amount__gt=0))
                & (Q(interest_subsidy__isnull=True) | Q(interest_subsidy__gte=0)),
                name="measure_loan_amounts_valid",
            ),
            models.CheckConstraint(
                condition=Q(loan_date__isnull=True) | Q(loan_due__isnull=True) | Q(loan_date__lt=F("loan_due")),
                name="measure_loan_due_after_loan_date",
            ),
        ]  # fmt: skip
        indexes = [
            # Late measures of a plan: WHERE plan_id = … AND status IN ('planned','in_progress') AND planned_end < today.
            models.Index(
                fields=["plan", "planned_end"],
                condition=Q(status__in=["planned", "in_progress"]),
                name="measure_open_by_plan_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_late(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.planned_end < today


class MeasureStatusChange(StatusChange):
    """One row per status change of a measure: who moved it, from where to where, and why.

    Append-only (core.transitions.StatusChange): a measure that has moved keeps its history, so
    it cannot be deleted (PROTECT).
    """

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=MeasureStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=MeasureStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("measure status change")
        verbose_name_plural = _("measure status changes")
        ordering = ["measure_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.from_status or '—'} → {self.to_status}"


def evidence_path(instance: Evidence, filename: str) -> str:
    """Stored under MEDIA_ROOT with a random name: the original name is kept in the row only."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"assistance/evidence/{instance.measure.plan_id}/{uuid.uuid4().hex}{suffix}"


@tracked()
class Evidence(TimeStampedModel):
    """A file proving a measure's progress (photo, receipt, contract). Served only through a view."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["measure_id", "id"]

    def __str__(self) -> str:
        return self.original_name
