"""政策一条一条落地: policy documents, the units responsible, and each recipient's task.

A policy system such as "1+16" is one main document and sixteen supporting policies. Every
county (or department) that must implement a policy gets a PolicyTask: what it must issue or
do, by when, with the evidence it attaches. A task past its deadline without evidence is flagged
(computed in SQL by `selectors.task_list`, never stored, so adding evidence clears it at once).
"""

from __future__ import annotations

from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import tracked
from core.models import Region, TimeStampedModel, Unit, User
from core.transitions import StatusChange, Transitions
from inspections.models import RectificationItem


class PolicyKind(models.TextChoices):
    MAIN = "main", _("main document")  # the "1"
    SUPPORTING = "supporting", _("supporting policy")  # one of the "16"


@tracked()
class Policy(TimeStampedModel):
    system = models.CharField(_("policy system"), max_length=50, help_text=_('e.g. "1+16"'))
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("0 for the main document."))
    kind = models.CharField(_("kind"), max_length=12, choices=PolicyKind.choices)
    title = models.CharField(_("title"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"))
    region = models.ForeignKey(
        Region, verbose_name=_("issued for"), on_delete=models.PROTECT, related_name="+"
    )
    departments = models.ManyToManyField(
        Unit, verbose_name=_("responsible departments"), blank=True, related_name="policies"
    )
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["system", "number"]
        constraints = [
            models.UniqueConstraint(fields=["region", "system", "number"], name="policy_unique_number"),
            models.CheckConstraint(
                condition=(Q(kind="main") & Q(number=0)) | (Q(kind="supporting") & Q(number__gt=0)),
                name="policy_main_is_number_zero",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system}·{self.number} {self.title}"


class TaskStatus(models.TextChoices):
    PENDING = "pending", _("not yet implemented")
    IMPLEMENTED = "implemented", _("implemented")


# Evidence makes a task implemented; nothing takes it back (the evidence stays on the task).
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    TaskStatus.PENDING: {TaskStatus.IMPLEMENTED},
    TaskStatus.IMPLEMENTED: set(),
}


@tracked()
class PolicyTask(TimeStampedModel):
    """What one recipient (a county's government or a department) must issue or do for a policy."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="tasks"
    )
    recipient = models.ForeignKey(
        Unit, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="policy_tasks"
    )
    # The recipient's region (copied by the service): the scoping rule filters on it.
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    requirement = models.TextField(_("what must be issued or done"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.PENDING
    )
    implemented_at = models.DateTimeField(_("implemented at"), null=True, blank=True)
    # Departments' system-wide rectification items (系统整改) answered by implementing this policy.
    rectification_items = models.ManyToManyField(
        RectificationItem, verbose_name=_("system-wide rectification items"), blank=True,
        related_name="policy_tasks", limit_choices_to={"kind": "system"},
    )  # fmt: skip

    transitions = Transitions(ALLOWED_TRANSITIONS, log="PolicyTaskStatusChange")

    class Meta:
        verbose_name = _("policy task")
        verbose_name_plural = _("policy tasks")
        ordering = ["deadline", "region_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "recipient"], name="policytask_one_per_recipient"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(implemented_at__isnull=False),
                name="policytask_implemented_has_time",
            ),
        ]
        indexes = [
            # Scoped lists: region_id LIKE '410821%'.
            models.Index(OpClass("region_id", name="varchar_pattern_ops"), name="policytask_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} → {self.recipient}"


class PolicyTaskStatusChange(StatusChange):
    """A task assigned ('' → not yet implemented) or implemented by its first evidence."""

    task = models.ForeignKey(
        PolicyTask, verbose_name=_("task"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("from status"), max_length=12, choices=TaskStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=12, choices=TaskStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("policy task status change")
        verbose_name_plural = _("policy task status changes")


class PolicyEvidence(models.Model):
    """An implementing document: an uploaded file or a link to where it is published."""

    task = models.ForeignKey(
        PolicyTask, verbose_name=_("task"), on_delete=models.CASCADE, related_name="evidence"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="policies/evidence/%Y/%m/", blank=True)
    url = models.URLField(_("link"), blank=True)
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("policy evidence")
        verbose_name_plural = _("policy evidence")
        ordering = ["task_id", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(file="") | ~Q(url=""), name="policyevidence_file_or_link"),
        ]

    def __str__(self) -> str:
        return self.title
