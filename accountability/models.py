"""Accountability (考核问责): responsibilities, the assessment scheme, scores, grades, cases, bans, bulletins.

Rules the source document fixes and where they live:
- "五个责任" → `Responsibility` (dated, so "who was responsible for this village on that date" has an answer);
- 考评办法 with 一票否决 → `AssessmentScheme` + `AssessmentIndicator` + `VetoCondition` (versioned data);
- "一般"→约谈, "差"→两年内不得提拔重用, 整改评估验收后仍达不到要求→本年度不得提拔重用, "三个一律",
  责任倒查 → `accountability.services.rules` opening `AccountabilityCase` rows;
- 一月一通报 → `Bulletin` (one published version per month; regenerating keeps the earlier one).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import tracked
from core.models import Officer, Region, TimeStampedModel, Unit

# --------------------------------------------------------------------------------------------
# 五个责任


class ResponsibilityKind(models.TextChoices):
    MAIN = "main", _("main responsibility (county party committee and government)")  # 主体责任
    FIRST = "first", _("first responsible (party and government head)")  # 第一责任人
    DIRECT = "direct", _("direct responsible (deputy in charge)")  # 直接责任人
    DEPARTMENT = "department", _("department coordination")  # 部门协调责任
    TOWNSHIP_VILLAGE = "township_village", _("township and village responsibility")  # 乡村包干责任
    RESIDENT_ASSISTANCE = "resident_assistance", _("resident assistance")  # 驻村帮扶责任
    CONTACT_LEADER = "contact_leader", _("contact leader")  # 分包联系领导
    INSPECTION = "inspection", _("inspection")  # 督查巡查责任


# Kinds that always name a person.
OFFICER_KINDS = (ResponsibilityKind.FIRST, ResponsibilityKind.DIRECT, ResponsibilityKind.CONTACT_LEADER)


class DateRangeFunc(Func):
    """daterange(from, to, '[]'): an open `to` (NULL) means "until further notice"."""

    function = "daterange"
    output_field = DateRangeField()


@tracked()
class Responsibility(TimeStampedModel):
    """A dated assignment: this officer or unit answers for this region in this capacity."""

    kind = models.CharField(_("responsibility"), max_length=32, choices=ResponsibilityKind.choices)
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="responsibilities",
    )  # fmt: skip
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="responsibilities",
    )  # fmt: skip
    region = models.ForeignKey(
        Region, verbose_name=_("region answered for"), on_delete=models.PROTECT, related_name="+"
    )
    duty = models.CharField(_("duty"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Last day of the assignment; empty while it lasts.")
    )

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["region_id", "kind", "-valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(officer__isnull=False) | Q(unit__isnull=False),
                name="responsibility_has_officer_or_unit",
            ),
            models.CheckConstraint(
                condition=Q(officer__isnull=False) | ~Q(kind__in=[str(k) for k in OFFICER_KINDS]),
                name="responsibility_person_kinds_name_officer",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="responsibility_valid_to_after_from",
            ),
            # The same person or unit cannot hold the same duty for the same region twice at once.
            ExclusionConstraint(
                name="responsibility_no_overlap",
                expressions=[
                    ("kind", RangeOperators.EQUAL),
                    ("region", RangeOperators.EQUAL),
                    (models.functions.Coalesce("officer", Value(0)), RangeOperators.EQUAL),
                    (models.functions.Coalesce("unit", Value(0)), RangeOperators.EQUAL),
                    (DateRangeFunc("valid_from", "valid_to", Value("[]")), RangeOperators.OVERLAPS),
                ],
            ),
        ]
        indexes = [
            # responsible_on(): region_id IN (ancestors) AND valid_from <= d AND (valid_to >= d OR NULL).
            models.Index(fields=["region", "kind", "valid_from"], name="resp_region_kind_from_idx"),
            models.Index(fields=["officer", "valid_from"], name="resp_officer_from_idx"),
        ]

    def __str__(self) -> str:
        who = self.officer or self.unit
        return f"{who} · {self.get_kind_display()} · {self.region}"

    def active_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


# --------------------------------------------------------------------------------------------
# 考评办法


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
    description = models.CharField(_("description"), max_length=200)

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
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices)
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
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices)
    vetoed = models.BooleanField(_("one-vote veto"), default=False)
    decided_on = models.DateField(_("decided on"))
    basis = models.JSONField(_("basis"), default=dict, blank=True)

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

    class Meta:
        verbose_name = _("rectification review")
        verbose_name_plural = _("rectification reviews")
        ordering = ["-reviewed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "reviewed_on"], name="review_unique_region_day"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.reviewed_on}"


# --------------------------------------------------------------------------------------------
# 问责


class CaseType(models.TextChoices):
    ADMONITION_TALK = "admonition_talk", _("admonition talk")  # 约谈
    CRITICISM = "criticism", _("circulated criticism")  # 通报批评
    ADMONISHMENT = "admonishment", _("admonishment")  # 诫勉
    ORGANISATIONAL = "organisational", _("organisational adjustment")  # 组织调整
    DISCIPLINE = "discipline", _("disciplinary sanction")  # 纪律处分
    PROMOTION_BAN = "promotion_ban", _("no promotion")  # 不得提拔重用


class CaseRule(models.TextChoices):
    MANUAL = "manual", _("opened by hand")
    THREE_ALWAYS = "three_always", _("three always (media or province notice)")  # 三个一律
    GRADE_AVERAGE = "grade_average", _("annual grade average")  # 一般 → 约谈
    GRADE_POOR = "grade_poor", _("annual grade poor")  # 差 → 两年内不得提拔重用
    REVIEW_FAILED = "review_failed", _("failed the rectification review")  # 本年度不得提拔重用
    TRACE_BACK = "trace_back", _("responsibility trace-back")  # 责任倒查


class CaseStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    CONFIRMED = "confirmed", _("confirmed")
    DISMISSED = "dismissed", _("dismissed")
    CLOSED = "closed", _("closed")


ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.PROPOSED: {CaseStatus.CONFIRMED, CaseStatus.DISMISSED},
    CaseStatus.CONFIRMED: {CaseStatus.CLOSED},
    CaseStatus.DISMISSED: set(),
    CaseStatus.CLOSED: set(),
}
OPEN_STATUSES = (CaseStatus.PROPOSED, CaseStatus.CONFIRMED)


@tracked()
class AccountabilityCase(TimeStampedModel):
    """A 问责 case against an officer or a unit, opened by hand or by one of the document's rules."""

    case_type = models.CharField(_("type"), max_length=32, choices=CaseType.choices)
    subject_officer = models.ForeignKey(
        Officer, verbose_name=_("officer held accountable"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="accountability_cases",
    )  # fmt: skip
    subject_unit = models.ForeignKey(
        Unit, verbose_name=_("unit held accountable"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="accountability_cases",
    )  # fmt: skip
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(_("opened by"), max_length=32, choices=CaseRule.choices, default=CaseRule.MANUAL)
    mandatory = models.BooleanField(
        _("mandatory"), default=False, help_text=_("Opened by a rule that allows no dismissal.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.PROPOSED
    )
    grounds = models.TextField(_("grounds"))
    decision = models.TextField(_("decision"), blank=True)
    dismissal_reason = models.TextField(_("reason for dismissal"), blank=True)
    opened_on = models.DateField(_("opened on"))
    ban_until = models.DateField(_("no promotion until"), null=True, blank=True)
    # What triggered it (a finding of the inspections app, an annual grade, a review).
    finding_id = models.BigIntegerField(_("finding"), null=True, blank=True, db_index=True)
    finding_source = models.CharField(_("finding source"), max_length=40, blank=True)
    finding_date = models.DateField(_("finding date"), null=True, blank=True)
    annual_grade = models.ForeignKey(
        AnnualGrade, verbose_name=_("annual grade"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="cases",
    )  # fmt: skip
    review = models.ForeignKey(
        RectificationReview, verbose_name=_("rectification review"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="cases",
    )  # fmt: skip
    # rule:trigger:subject — a rule applied twice to the same trigger finds its first case.
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("accountability case")
        verbose_name_plural = _("accountability cases")
        ordering = ["-opened_on", "-id"]
        permissions = [("decide_accountabilitycase", "Can confirm, dismiss and close accountability cases")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(subject_officer__isnull=False) & Q(subject_unit__isnull=True))
                | (Q(subject_officer__isnull=True) & Q(subject_unit__isnull=False)),
                name="case_one_subject",
            ),
            models.CheckConstraint(
                condition=~Q(case_type="promotion_ban")
                | (Q(subject_officer__isnull=False) & Q(ban_until__isnull=False)),
                name="case_ban_names_officer_and_end",
            ),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(dismissal_reason=""), name="case_dismissal_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | Q(mandatory=False), name="case_mandatory_not_dismissed"
            ),
        ]
        indexes = [
            # Bulletin: cases opened / closed in a month.
            models.Index(fields=["opened_on"], name="case_opened_on_idx"),
            models.Index(fields=["closed_on"], name="case_closed_on_idx"),
            models.Index(fields=["status", "region"], name="case_status_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_case_type_display()} · {self.subject}"

    @property
    def subject(self):
        return self.subject_officer or self.subject_unit

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseStatusChange(models.Model):
    """Every move of a case's status: who, when, from, to, why."""

    case = models.ForeignKey(AccountabilityCase, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=CaseStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("case status change")
        verbose_name_plural = _("case status changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"


@tracked()
class PromotionBan(TimeStampedModel):
    """不得提拔重用 from `starts_on` through `ends_on` (inclusive), unless lifted."""

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="promotion_bans"
    )
    case = models.OneToOneField(
        AccountabilityCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="ban"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    lift_reason = models.TextField(_("reason for lifting"), blank=True)

    class Meta:
        verbose_name = _("promotion ban")
        verbose_name_plural = _("promotion bans")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="ban_ends_after_start"),
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | ~Q(lift_reason=""), name="ban_lift_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["officer", "ends_on"], name="ban_officer_ends_idx")]

    def __str__(self) -> str:
        return f"{self.officer} {self.starts_on} – {self.ends_on}"

    def active_on(self, day: dt.date) -> bool:
        if self.lifted_on is not None and self.lifted_on <= day:
            return False
        return self.starts_on <= day <= self.ends_on


# --------------------------------------------------------------------------------------------
# 一月一通报


class BulletinStatus(models.TextChoices):
    PUBLISHED = "published", _("published")
    SUPERSEDED = "superseded", _("superseded")


class Bulletin(TimeStampedModel):
    """The monthly bulletin of a region (the city). One published version per month; old ones kept."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"), help_text=_("First day of the month reported on."))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=BulletinStatus.choices, default=BulletinStatus.PUBLISHED
    )
    content = models.JSONField(_("content"), default=dict)
    generated_at = models.DateTimeField(_("generated at"), default=timezone.now)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("generated by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    reason = models.CharField(_("reason for regenerating"), max_length=300, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly bulletin")
        verbose_name_plural = _("monthly bulletins")
        ordering = ["-month", "-version"]
        permissions = [("regenerate_bulletin", "Can regenerate a published monthly bulletin")]
        constraints = [
            models.UniqueConstraint(fields=["region", "month", "version"], name="bulletin_unique_version"),
            # One current bulletin per region and month: generating twice can never duplicate.
            models.UniqueConstraint(
                fields=["region", "month"], condition=Q(status="published"), name="bulletin_one_published"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="bulletin_first_of_month"),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(reason=""), name="bulletin_regeneration_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} v{self.version}"
