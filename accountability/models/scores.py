"""考评办法 (versioned schemes, indicators, one-vote vetoes), monthly scores, annual grades, reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.audit import tracked
from core.models import Officer, Region, TimeStampedModel, Unit


class Grade(models.TextChoices):
    GOOD = "good", _("good")  # 好
    FAIRLY_GOOD = "fairly_good", _("fairly good")  # 较好
    AVERAGE = "average", _("average")  # 一般
    POOR = "poor", _("poor")  # 差


class IndicatorCode(models.TextChoices):
    FINDINGS = "findings", _("inspection findings")  # per severity
    OVERDUE_RECTIFICATIONS = "overdue_rectifications", _("overdue rectification items")
    IDENTIFICATION_ERRORS = "identification_errors", _("identification errors")
    EXIT_ERRORS = "exit_errors", _("exit errors")
    FUND_ERRORS = "fund_errors", _("fund errors")
    PLAN_GAPS = "plan_gaps", _("assistance plans leaving a cause uncovered")
    THREE_ALWAYS_CASES = "three_always_cases", _("cases under the three always rule")
    # 随机抽查、突击检查: a first secretary absent again (the second or later absence in 12 months).
    REPEATED_ABSENCES = "repeated_absences", _("repeated absences of first secretaries")
    # 走访, 驻村 (issue 18.2–18.3): households their responsible officer did not visit in the month;
    # days short of the county's required days in the village.
    HOUSEHOLDS_NOT_VISITED = "households_not_visited", _("households not visited in the month")
    PRESENCE_SHORTFALL = "presence_shortfall", _("days short of the required days in the village")


class AssessmentScheme(TimeStampedModel):
    """One version of the 考评办法. Scores keep the version they were computed with."""

    code = models.SlugField(_("code"), max_length=50)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    effective_from = models.DateField(_("effective from"))
    base_score = models.DecimalField(_("base score"), max_digits=6, decimal_places=2, default=100)
    good_min = models.DecimalField(_("lowest score graded good"), max_digits=6, decimal_places=2, default=90)
    fairly_good_min = models.DecimalField(
        _("lowest score graded fairly good"), max_digits=6, decimal_places=2, default=80
    )
    average_min = models.DecimalField(
        _("lowest score graded average"), max_digits=6, decimal_places=2, default=60
    )

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-effective_from", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="scheme_unique_code_version"),
            models.CheckConstraint(
                condition=Q(base_score__gte=F("good_min"))
                & Q(good_min__gt=F("fairly_good_min"))
                & Q(fairly_good_min__gt=F("average_min"))
                & Q(average_min__gte=0),
                name="scheme_thresholds_descend",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（v{self.version}）"

    def grade_for(self, score) -> str:
        if score >= self.good_min:
            return Grade.GOOD
        if score >= self.fairly_good_min:
            return Grade.FAIRLY_GOOD
        if score >= self.average_min:
            return Grade.AVERAGE
        return Grade.POOR


class AssessmentIndicator(models.Model):
    """Deduct `weight` points per counted item, at most `cap` points."""

    scheme = models.ForeignKey(
        AssessmentScheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("indicator"), max_length=32, choices=IndicatorCode.choices)
    severity = models.CharField(
        _("severity"), max_length=20, blank=True, help_text=_("For findings: the severity counted.")
    )
    weight = models.DecimalField(_("points per item"), max_digits=6, decimal_places=2)
    cap = models.DecimalField(_("maximum deduction"), max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("assessment indicator")
        verbose_name_plural = _("assessment indicators")
        ordering = ["scheme", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code", "severity"], name="indicator_unique_per_scheme"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="indicator_weight_positive"),
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | Q(cap__gt=0), name="indicator_cap_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def key(self) -> str:
        return f"{self.code}:{self.severity}" if self.severity else self.code


class VetoCondition(models.Model):
    """一票否决: when the counted items reach `threshold`, the grade is 差 whatever the score."""

    scheme = models.ForeignKey(
        AssessmentScheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="vetoes"
    )
    code = models.CharField(_("indicator"), max_length=32, choices=IndicatorCode.choices)
    severity = models.CharField(_("severity"), max_length=20, blank=True)
    threshold = models.PositiveIntegerField(_("at least"), default=1)
    description = models.CharField(pgettext_lazy("deduction", "description"), max_length=200)

    class Meta:
        verbose_name = _("one-vote veto condition")
        verbose_name_plural = _("one-vote veto conditions")
        ordering = ["scheme", "id"]
        constraints = [models.CheckConstraint(condition=Q(threshold__gte=1), name="veto_threshold_positive")]

    def __str__(self) -> str:
        return self.description

    @property
    def key(self) -> str:
        return f"{self.code}:{self.severity}" if self.severity else self.code


def _one_subject() -> Q:
    return (Q(unit__isnull=False) & Q(officer__isnull=True)) | (
        Q(unit__isnull=True) & Q(officer__isnull=False)
    )


@tracked()
class MonthlyScore(TimeStampedModel):
    """A unit's or officer's score for one month, with the inputs and the arithmetic that produced it."""

    scheme = models.ForeignKey(AssessmentScheme, verbose_name=_("scheme"), on_delete=models.PROTECT)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"), help_text=_("First day of the month."))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    grade = models.CharField(pgettext_lazy("assessment", "grade"), max_length=16, choices=Grade.choices)
    vetoed = models.BooleanField(_("one-vote veto"), default=False)
    veto_reasons = models.JSONField(_("veto reasons"), default=list, blank=True)
    inputs = models.JSONField(_("inputs"), default=dict)
    breakdown = models.JSONField(_("deductions"), default=list)

    class Meta:
        verbose_name = _("monthly score")
        verbose_name_plural = _("monthly scores")
        ordering = ["-month", "-score", "id"]
        constraints = [
            models.CheckConstraint(condition=_one_subject(), name="monthly_score_one_subject"),
            models.CheckConstraint(condition=Q(month__day=1), name="monthly_score_first_of_month"),
            models.UniqueConstraint(
                fields=["unit", "month"], condition=Q(unit__isnull=False), name="monthly_score_unique_unit"
            ),
            models.UniqueConstraint(
                fields=["officer", "month"],
                condition=Q(officer__isnull=False),
                name="monthly_score_unique_officer",
            ),
        ]
        indexes = [
            # Ranking of a month: WHERE month = … ORDER BY score DESC.
            models.Index(fields=["month", "-score"], name="monthly_score_ranking_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit or self.officer} {self.month:%Y-%m} {self.score}"

    @property
    def subject(self):
        return self.unit or self.officer


@tracked()
class AnnualGrade(TimeStampedModel):
    """The year's grade 好 / 较好 / 一般 / 差; 一般 and 差 open cases (see services.rules)."""

    scheme = models.ForeignKey(AssessmentScheme, verbose_name=_("scheme"), on_delete=models.PROTECT)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    grade = models.CharField(pgettext_lazy("assessment", "grade"), max_length=16, choices=Grade.choices)
    vetoed = models.BooleanField(_("one-vote veto"), default=False)
    decided_on = models.DateField(_("decided on"))
    basis = models.JSONField(_("basis"), default=dict, blank=True)
    reasons = models.TextField(_("reasons for the grade"), blank=True)
    veto_reasons = models.JSONField(_("veto reasons"), default=list, blank=True)

    class Meta:
        verbose_name = _("annual grade")
        verbose_name_plural = _("annual grades")
        ordering = ["-year", "id"]
        constraints = [
            models.CheckConstraint(condition=_one_subject(), name="annual_grade_one_subject"),
            models.UniqueConstraint(
                fields=["unit", "year"], condition=Q(unit__isnull=False), name="annual_grade_unique_unit"
            ),
            models.UniqueConstraint(
                fields=["officer", "year"],
                condition=Q(officer__isnull=False),
                name="annual_grade_unique_officer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit or self.officer} {self.year} {self.get_grade_display()}"

    @property
    def subject(self):
        return self.unit or self.officer


@tracked()
class RectificationReview(TimeStampedModel):
    """整改评估验收 of a county: failing it bars its party and government heads and deputies this year."""

    region = models.ForeignKey(Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    reviewed_on = models.DateField(_("reviewed on"))
    passed = models.BooleanField(_("passed"))
    notes = models.TextField(_("notes"), blank=True)
    # 以随机暗访的形式核查验收: who of the leading group checked, what they saw on site, why this result.
    reviewers = models.CharField(_("reviewers"), max_length=300, blank=True)
    items_checked = models.TextField(_("items checked on site"), blank=True, help_text=_("One per line."))
    reasons = models.TextField(_("reasons for the result"), blank=True)
    problem_list = models.ForeignKey(
        "inspections.ProvinceProblemList", verbose_name=_("problem list reviewed"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    plan = models.ForeignKey(
        "inspections.VisitPlan", verbose_name=_("inspection round reviewed"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("rectification review")
        verbose_name_plural = _("rectification reviews")
        ordering = ["-reviewed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "reviewed_on"], name="review_unique_region_day"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.reviewed_on}"
