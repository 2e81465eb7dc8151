"""问责: cases (opened by hand or by the document's rules), their status changes, promotion bans."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.audit import tracked
from core.models import Officer, Region, TimeStampedModel, Unit
from core.transitions import StatusChange, Transitions

from .scores import AnnualGrade, RectificationReview


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
    DISMISSED = "dismissed", pgettext_lazy("case", "dismissed")
    CLOSED = "closed", pgettext_lazy("case", "closed")


ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.PROPOSED: {CaseStatus.CONFIRMED, CaseStatus.DISMISSED},
    CaseStatus.CONFIRMED: {CaseStatus.CLOSED},
    CaseStatus.DISMISSED: set(),
    CaseStatus.CLOSED: set(),
}
OPEN_STATUSES = (CaseStatus.PROPOSED, CaseStatus.CONFIRMED)

DECIDE_PERM = "accountability.decide_accountabilitycase"


def may_decide(case, to: str, actor) -> bool:
    """Deciders (组织部 / 纪委) move cases; a case a binding rule opened is never dismissed."""
    if to == CaseStatus.DISMISSED and case.mandatory:
        return False
    return actor.has_perm(DECIDE_PERM) and not getattr(actor, "is_read_only", False)


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
    rule = models.CharField(
        pgettext_lazy("case", "opened by"), max_length=32, choices=CaseRule.choices, default=CaseRule.MANUAL
    )
    mandatory = models.BooleanField(
        _("mandatory"), default=False, help_text=_("Opened by a rule that allows no dismissal.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.PROPOSED
    )
    grounds = models.TextField(_("grounds"))
    decision = models.TextField(pgettext_lazy("case", "decision"), blank=True)
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
    decided_at = models.DateTimeField(pgettext_lazy("case", "decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=pgettext_lazy("case", "decided by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    transitions = Transitions(ALLOWED_TRANSITIONS, log="CaseStatusChange", permits=may_decide)

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

    def get_finding_source_display(self) -> str:
        """The finding's source in words (the inspections app's choice label), not its code."""
        from inspections.models import FindingSource

        return str(dict(FindingSource.choices).get(self.finding_source, self.finding_source))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseStatusChange(StatusChange):
    """Every move of a case's status: who, when, from, to, why. Append-only (core.transitions)."""

    case = models.ForeignKey(
        AccountabilityCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("from status"), max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=16, choices=CaseStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("case status change")
        verbose_name_plural = _("case status changes")

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
    starts_on = models.DateField(pgettext_lazy("date range", "from"))
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
