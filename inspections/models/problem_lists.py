"""Province problem lists (共性问题), their recipients and each recipient's self-check answers."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
    description = models.TextField(pgettext_lazy("problem", "description"))
    # 照单全收: the city marks a problem (e.g. one of its 7 key problems) every recipient must accept
    # as present — "not present here" is refused for it.
    must_accept = models.BooleanField(_("must be accepted as listed"), default=False)

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
    """A county, township or department that must answer every problem of a list."""

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
    ABSENT = (
        "absent",
        _("not present here"),
    )  # 本地不存在: with a note and evidence, awaiting the city's review
    PRESENT = "present", _("present here")
    ABSENT_ACCEPTED = "absent_accepted", _("absence accepted by the city")
    RETURNED = "returned", _("returned by the city")


# Not answered → absent or present; absent → reviewed by the city (accepted, or returned to answer
# again), or present (found later); present is followed up in the ledger.
ANSWER_TRANSITIONS: dict[str, set[str]] = {
    AnswerStatus.UNANSWERED: {AnswerStatus.ABSENT, AnswerStatus.PRESENT},
    AnswerStatus.ABSENT: {AnswerStatus.PRESENT, AnswerStatus.ABSENT_ACCEPTED, AnswerStatus.RETURNED},
    AnswerStatus.RETURNED: {AnswerStatus.ABSENT, AnswerStatus.PRESENT},
    AnswerStatus.ABSENT_ACCEPTED: {AnswerStatus.PRESENT},
    AnswerStatus.PRESENT: set(),
}
# The city's review of an "absent" answer.
REVIEW_STATUSES = (AnswerStatus.ABSENT_ACCEPTED, AnswerStatus.RETURNED)
# Answers that still owe the city an answer.
OWED_STATUSES = (AnswerStatus.UNANSWERED, AnswerStatus.RETURNED)


def is_city_reviewer(actor) -> bool:
    """The city reviews "absent" answers: city-level inspectors and administrators who may write."""
    from core.models import Role
    from core.scoping import scope_depth

    if actor is None or not actor.is_authenticated or getattr(actor, "is_read_only", False):
        return False
    depth = scope_depth(actor)
    return depth is not None and depth <= 4 and actor.has_role(Role.INSPECTOR, Role.ADMIN)


def _answer_move_permitted(answer, to: str, actor) -> bool:
    """The recipient answers; only the city accepts or returns an "absent" answer."""
    if getattr(actor, "is_read_only", False):
        return False
    if to in REVIEW_STATUSES:
        return is_city_reviewer(actor)
    if to == AnswerStatus.ABSENT and answer.problem.must_accept:
        return False
    return actor.has_perm("inspections.change_problemanswer")


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
    # Answered after the list's deadline (set when first answered); unanswered past it is late too.
    answered_late = models.BooleanField(_("answered late"), default=False)
    # 追根溯源: a problem accepted as present names its root cause and the rectification plan.
    root_cause = models.TextField(_("root cause"), blank=True)
    rectification_plan = models.TextField(_("rectification plan"), blank=True)
    reviewed_by = models.ForeignKey(
        User,
        verbose_name=pgettext_lazy("answer review", "reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(pgettext_lazy("answer review", "reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    transitions = Transitions(
        ANSWER_TRANSITIONS, log="ProblemAnswerStatusChange", permits=_answer_move_permitted
    )

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


class AnswerEvidence(models.Model):
    """A file attached to an "absent" answer as its evidence (stored through core.uploads)."""

    answer = models.ForeignKey(
        ProblemAnswer,
        verbose_name=_("problem answer"),
        on_delete=models.CASCADE,
        related_name="evidence_files",
    )
    file = models.FileField(_("file"), upload_to="inspections/answers/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("answer evidence file")
        verbose_name_plural = _("answer evidence files")
        ordering = ["answer_id", "id"]

    def __str__(self) -> str:
        return self.file.name


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
