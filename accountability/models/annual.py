"""年度成效考核: the indicators behind an annual grade, appeals (申诉), the one-vote veto on an officer's
overall evaluation (一票否决), the annual bulletin (成效考核通报), and the app's settings (days)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.audit import tracked
from core.models import Officer, Region, TimeStampedModel
from core.transitions import StatusChange, Transitions

from .scores import AnnualGrade, Grade, RectificationReview


class AccountabilitySettings(models.Model):
    """The days the document leaves to the city (one row, changed by an administrator)."""

    appeal_days = models.PositiveSmallIntegerField(
        _("days to appeal an annual grade"), default=15,
        help_text=_("Counted from the day the grade is recorded (the graded are notified that day)."),
    )  # fmt: skip
    case_decision_days = models.PositiveSmallIntegerField(
        _("days to decide a proposed case"), default=30,
        help_text=_("A proposed case still undecided after this many days is flagged overdue."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("accountability settings")
        verbose_name_plural = _("accountability settings")
        constraints = [
            models.CheckConstraint(condition=Q(appeal_days__gte=1), name="settings_appeal_days_positive"),
            models.CheckConstraint(
                condition=Q(case_decision_days__gte=1), name="settings_case_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> AccountabilitySettings:
        row = cls.objects.order_by("pk").first()
        return row if row is not None else cls()


class IndicatorSource(models.TextChoices):
    THIRD_PARTY = "third_party", _("third-party evaluation")  # 第三方评估
    SATISFACTION_SURVEY = "satisfaction_survey", _("year-end satisfaction survey")  # 群众满意度调查
    RECTIFICATION_REVIEW = "rectification_review", _("rectification acceptance")  # 整改评估验收
    DEPARTMENT_CHECK = "department_check", _("organisation department check")
    OTHER = "other", _("other")


class AnnualIndicator(models.Model):
    """One annual indicator the organisation department entered for a grade, with its source."""

    grade = models.ForeignKey(
        AnnualGrade, verbose_name=_("annual grade"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("indicator"), max_length=100)
    source = models.CharField(_("source"), max_length=32, choices=IndicatorSource.choices)
    value = models.CharField(_("result"), max_length=100)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("annual indicator")
        verbose_name_plural = _("annual indicators")
        ordering = ["grade", "id"]
        constraints = [
            models.UniqueConstraint(fields=["grade", "name"], name="annual_indicator_unique_name"),
            models.CheckConstraint(condition=~Q(value=""), name="annual_indicator_has_result"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"


class AppealStatus(models.TextChoices):
    LODGED = "lodged", _("lodged")
    GRANTED = "granted", _("granted")
    REFUSED = "refused", pgettext_lazy("appeal", "refused")


APPEAL_TRANSITIONS: dict[str, set[str]] = {
    AppealStatus.LODGED: {AppealStatus.GRANTED, AppealStatus.REFUSED},
    AppealStatus.GRANTED: set(),
    AppealStatus.REFUSED: set(),
}
DECIDE_APPEAL_PERM = "accountability.decide_gradeappeal"


def may_decide_appeal(appeal, to: str, actor) -> bool:
    return actor.has_perm(DECIDE_APPEAL_PERM) and not getattr(actor, "is_read_only", False)


@tracked()
class GradeAppeal(TimeStampedModel):
    """申诉: the graded unit or officer contests an annual grade; the organisation department decides."""

    grade = models.ForeignKey(
        AnnualGrade, verbose_name=_("annual grade"), on_delete=models.PROTECT, related_name="appeals"
    )
    grounds = models.TextField(_("grounds of the appeal"))
    lodged_on = models.DateField(_("lodged on"))
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("lodged by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=16, choices=AppealStatus.choices, default=AppealStatus.LODGED
    )
    decision = models.TextField(_("reasons of the decision"), blank=True)
    original_grade = models.CharField(_("grade appealed"), max_length=16, choices=Grade.choices)
    new_grade = models.CharField(
        _("grade after the appeal"), max_length=16, choices=Grade.choices, blank=True
    )
    decided_at = models.DateTimeField(pgettext_lazy("case", "decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=pgettext_lazy("case", "decided by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    transitions = Transitions(APPEAL_TRANSITIONS, log="GradeAppealStatusChange", permits=may_decide_appeal)

    class Meta:
        verbose_name = _("grade appeal")
        verbose_name_plural = _("grade appeals")
        ordering = ["-lodged_on", "-id"]
        permissions = [("decide_gradeappeal", "Can decide appeals against annual grades")]
        constraints = [
            # One appeal under consideration per grade at a time.
            models.UniqueConstraint(
                fields=["grade"], condition=Q(status="lodged"), name="appeal_one_lodged_per_grade"
            ),
            models.CheckConstraint(
                condition=Q(status="lodged") | ~Q(decision=""), name="appeal_decision_has_reasons"
            ),
            models.CheckConstraint(
                condition=~Q(status="granted") | ~Q(new_grade=""), name="appeal_granted_names_grade"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grade} · {self.get_status_display()}"


class GradeAppealStatusChange(StatusChange):
    appeal = models.ForeignKey(
        GradeAppeal, verbose_name=_("grade appeal"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("from status"), max_length=16, choices=AppealStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=16, choices=AppealStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("appeal status change")
        verbose_name_plural = _("appeal status changes")


@tracked()
class EvaluationVeto(TimeStampedModel):
    """一票否决: the officer's overall evaluation (综合评价) for `year` is vetoed, because their county was
    graded 差 or failed its rectification acceptance. Lifted only with the grade, through an appeal."""

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="evaluation_vetoes"
    )
    region = models.ForeignKey(Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    grade = models.ForeignKey(
        AnnualGrade, verbose_name=_("annual grade"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="evaluation_vetoes",
    )  # fmt: skip
    review = models.ForeignKey(
        RectificationReview, verbose_name=_("rectification acceptance"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="evaluation_vetoes",
    )  # fmt: skip
    reason = models.TextField(_("reason"))
    recorded_on = models.DateField(_("recorded on"))
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    lift_reason = models.TextField(_("reason for lifting"), blank=True)

    class Meta:
        verbose_name = _("one-vote veto of an overall evaluation")
        verbose_name_plural = _("one-vote vetoes of overall evaluations")
        ordering = ["-year", "officer_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(grade__isnull=False) & Q(review__isnull=True))
                | (Q(grade__isnull=True) & Q(review__isnull=False)),
                name="veto_one_cause",
            ),
            models.UniqueConstraint(
                fields=["officer", "grade"], condition=Q(grade__isnull=False), name="veto_unique_grade"
            ),
            models.UniqueConstraint(
                fields=["officer", "review"], condition=Q(review__isnull=False), name="veto_unique_review"
            ),
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | ~Q(lift_reason=""), name="veto_lift_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["year", "region"], name="veto_year_region_idx")]

    def __str__(self) -> str:
        return f"{self.officer} {self.year}"

    @property
    def in_force(self) -> bool:
        return self.lifted_on is None


class AnnualBulletinStatus(models.TextChoices):
    PUBLISHED = "published", _("published")
    SUPERSEDED = "superseded", _("superseded")


ANNUAL_BULLETIN_TRANSITIONS: dict[str, set[str]] = {
    AnnualBulletinStatus.PUBLISHED: {AnnualBulletinStatus.SUPERSEDED},
    AnnualBulletinStatus.SUPERSEDED: set(),
}


class AnnualBulletin(TimeStampedModel):
    """成效考核通报 of a region for a year: a snapshot of its grades; publishing again keeps the earlier one."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=AnnualBulletinStatus.choices,
        default=AnnualBulletinStatus.PUBLISHED,
    )  # fmt: skip
    content = models.JSONField(pgettext_lazy("bulletin", "content"), default=dict)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    reason = models.CharField(_("reason for publishing again"), max_length=300, blank=True)

    transitions = Transitions(ANNUAL_BULLETIN_TRANSITIONS, log="AnnualBulletinStatusChange")

    class Meta:
        verbose_name = _("annual assessment bulletin")
        verbose_name_plural = _("annual assessment bulletins")
        ordering = ["-year", "-version"]
        permissions = [("publish_annualbulletin", "Can publish the annual assessment bulletin")]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "version"], name="annual_bulletin_unique_version"
            ),
            models.UniqueConstraint(
                fields=["region", "year"],
                condition=Q(status="published"),
                name="annual_bulletin_one_published",
            ),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(reason=""), name="annual_bulletin_again_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} v{self.version}"


class AnnualBulletinStatusChange(StatusChange):
    bulletin = models.ForeignKey(
        AnnualBulletin, verbose_name=_("annual assessment bulletin"), on_delete=models.PROTECT,
        related_name="status_changes",
    )  # fmt: skip
    from_status = models.CharField(
        _("from status"), max_length=16, choices=AnnualBulletinStatus.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=16, choices=AnnualBulletinStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("annual bulletin status change")
        verbose_name_plural = _("annual bulletin status changes")
