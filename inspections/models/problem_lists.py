"""Province problem lists (共性问题), their recipients and each recipient's self-check answers."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.audit import tracked
from core.models import Region, TimeStampedModel, Unit, User
from core.transitions import StatusChange, Transitions

from .reports import Finding, FindingCategory


@tracked()
class ProvinceProblemList(TimeStampedModel):
    """A list of common problems notified by the province (e.g. the 173 共性问题)."""

    title = models.CharField(_("title"), max_length=200)
    issued_by = models.CharField(_("issued by"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"))
    answer_deadline = models.DateField(_("answer by"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("province problem list")
        verbose_name_plural = _("province problem lists")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ProvinceProblem(models.Model):
    problem_list = models.ForeignKey(
        ProvinceProblemList, verbose_name=_("list"), on_delete=models.CASCADE, related_name="problems"
    )
    number = models.PositiveIntegerField(_("number"))
    category = models.CharField(_("category"), max_length=20, choices=FindingCategory.choices)
    description = models.TextField(_("description"))

    class Meta:
        verbose_name = _("province problem")
        verbose_name_plural = _("province problems")
        ordering = ["problem_list_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["problem_list", "number"], name="provinceproblem_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.description[:40]}"


class ProblemListRecipient(TimeStampedModel):
    """A county or department that must answer every problem of a list."""

    problem_list = models.ForeignKey(
        ProvinceProblemList, verbose_name=_("list"), on_delete=models.CASCADE, related_name="recipients"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("problem list recipient")
        verbose_name_plural = _("problem list recipients")
        ordering = ["problem_list_id", "region_id", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["problem_list", "unit"], name="problemrecipient_unique_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.problem_list} → {self.unit}"


class AnswerStatus(models.TextChoices):
    UNANSWERED = "unanswered", _("not answered")
    ABSENT = "absent", _("not present here")
    PRESENT = "present", _("present here")


# Not answered → absent or present; absent → present (found later). Present is followed up in the ledger.
ANSWER_TRANSITIONS: dict[str, set[str]] = {
    AnswerStatus.UNANSWERED: {AnswerStatus.ABSENT, AnswerStatus.PRESENT},
    AnswerStatus.ABSENT: {AnswerStatus.PRESENT},
    AnswerStatus.PRESENT: set(),
}


@tracked()
class ProblemAnswer(TimeStampedModel):
    """A recipient's self-check answer on one problem; if present, a finding with its items."""

    recipient = models.ForeignKey(
        ProblemListRecipient, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="answers"
    )
    problem = models.ForeignKey(
        ProvinceProblem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="answers"
    )
    status = models.CharField(
        _("answer"), max_length=16, choices=AnswerStatus.choices, default=AnswerStatus.UNANSWERED
    )
    note = models.TextField(_("note"), blank=True)
    finding = models.OneToOneField(
        Finding,
        verbose_name=_("finding"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problem_answer",
    )
    answered_by = models.ForeignKey(
        User, verbose_name=_("answered by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    transitions = Transitions(ANSWER_TRANSITIONS, log="ProblemAnswerStatusChange")

    class Meta:
        verbose_name = _("problem answer")
        verbose_name_plural = _("problem answers")
        ordering = ["recipient_id", "problem__number"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "problem"], name="problemanswer_unique"),
            models.CheckConstraint(
                condition=~Q(status="present") | Q(finding__isnull=False), name="problemanswer_present_has_finding"
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.recipient_id}/{self.problem_id}: {self.status}"


class ProblemAnswerStatusChange(StatusChange):
    """Every change of a self-check answer."""

    answer = models.ForeignKey(
        ProblemAnswer,
        verbose_name=_("problem answer"),
        on_delete=models.PROTECT,
        related_name="status_changes",
    )
    from_status = models.CharField(_("from"), max_length=16, choices=AnswerStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=AnswerStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("answer status change")
        verbose_name_plural = _("answer status changes")
