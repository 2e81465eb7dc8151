"""Entry (识别) and exit (退出) procedures: cases, their steps in order, the evidence of each step."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.transitions import StatusChange, Transitions

from .household import Household, PovertyCause


class ProcedureKind(models.TextChoices):
    ENTRY = "entry", _("entry (identification)")  # 识别
    EXIT = "exit", _("exit")  # 退出
    RETURN = "return", _("return to poverty")  # 返贫: the entry steps and notice again


class CaseState(models.TextChoices):
    OPEN = "open", _("in progress")
    COMPLETED = "completed", _("completed")
    STOPPED = "stopped", _("stopped")  # objection during notice, or rejected at a review


CASE_TRANSITIONS: dict[str, set[str]] = {
    CaseState.OPEN: {CaseState.COMPLETED, CaseState.STOPPED},
    CaseState.COMPLETED: set(),
    CaseState.STOPPED: set(),
}


class Step(models.TextChoices):
    # Entry (识别): application → village democratic review → township review → public notice → county approval
    APPLICATION = "application", _("application")
    VILLAGE_REVIEW = "village_review", _("village democratic review")
    TOWNSHIP_REVIEW = "township_review", _("township review")
    ENTRY_NOTICE = "entry_notice", _("public notice")
    COUNTY_APPROVAL = "county_approval", _("county approval")
    # Exit (退出): 民主评议 → 核实认可 → 公告公示 → 脱贫销号
    DEMOCRATIC_REVIEW = "democratic_review", _("democratic review")
    VERIFICATION = "verification", _("verification")
    EXIT_NOTICE = "exit_notice", _("public notice")
    DEREGISTRATION = "deregistration", _("removal from the register")
    # Either procedure: an objection during the public notice stops the case.
    OBJECTION = "objection", _("objection")
    REJECTION = "rejection", _("rejected")


# The steps of each procedure in order: each step may follow only the one before it.
PROCEDURE_STEPS: dict[str, list[str]] = {
    ProcedureKind.ENTRY: [
        Step.APPLICATION,
        Step.VILLAGE_REVIEW,
        Step.TOWNSHIP_REVIEW,
        Step.ENTRY_NOTICE,
        Step.COUNTY_APPROVAL,
    ],
    ProcedureKind.EXIT: [Step.DEMOCRATIC_REVIEW, Step.VERIFICATION, Step.EXIT_NOTICE, Step.DEREGISTRATION],
    # 返贫: an exited household falls back; the same steps and notice as entry, the cause on the application.
    ProcedureKind.RETURN: [
        Step.APPLICATION,
        Step.VILLAGE_REVIEW,
        Step.TOWNSHIP_REVIEW,
        Step.ENTRY_NOTICE,
        Step.COUNTY_APPROVAL,
    ],
}


NOTICE_STEPS = (Step.ENTRY_NOTICE, Step.EXIT_NOTICE)


MIN_NOTICE_DAYS = 7  # 公告公示 at least 7 calendar days, first and last day included


class ProcedureCase(TimeStampedModel):
    """One run of the entry or exit procedure for a household."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="procedures"
    )
    kind = models.CharField(_("procedure"), max_length=8, choices=ProcedureKind.choices)
    state = models.CharField(_("state"), max_length=12, choices=CaseState.choices, default=CaseState.OPEN)
    last_step = models.CharField(_("last step"), max_length=20, choices=Step.choices, blank=True)
    stop_reason = models.TextField(_("why it stopped"), blank=True)
    # 返贫 only: why the household fell back (因病/因残/因灾/因学/…), given with the application.
    cause = models.CharField(
        _("cause of the return"), max_length=20, choices=PovertyCause.choices, blank=True
    )
    # Public notice period, set by the notice step.
    notice_start = models.DateField(_("notice from"), null=True, blank=True)
    notice_end = models.DateField(_("notice until"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )

    transitions = Transitions(CASE_TRANSITIONS, log="ProcedureCaseStatusChange", field="state")

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["household_id", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(state="open"), name="procedure_one_open_case_per_household",
                violation_error_message=_("This household already has a procedure in progress."),
            ),
            models.CheckConstraint(
                condition=Q(notice_start__isnull=True) | Q(notice_end__gte=models.F("notice_start") + timezone.timedelta(days=MIN_NOTICE_DAYS - 1)),
                name="procedure_notice_at_least_7_days",
            ),
            models.CheckConstraint(condition=Q(state="stopped") | Q(stop_reason=""), name="procedure_stop_reason_only_if_stopped"),
            models.CheckConstraint(condition=Q(kind="return", cause__gt="") | (~Q(kind="return") & Q(cause="")), name="procedure_cause_iff_return"),
        ]  # fmt: skip
        indexes = [
            # Daily job: open cases whose notice period ended (WHERE state='open' AND notice_end < today).
            models.Index(fields=["notice_end"], condition=Q(state="open"), name="procedure_open_notice_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def steps_order(self) -> list[str]:
        return PROCEDURE_STEPS[self.kind]

    @property
    def next_step(self) -> str | None:
        if self.state != CaseState.OPEN:
            return None
        order = self.steps_order
        if not self.last_step:
            return order[0]
        index = order.index(self.last_step)
        return order[index + 1] if index + 1 < len(order) else None


class ProcedureCaseStatusChange(StatusChange):
    case = models.ForeignKey(
        ProcedureCase, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=12, choices=CaseState.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=CaseState.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("procedure status change")
        verbose_name_plural = _("procedure status changes")


def evidence_path(instance, filename: str) -> str:
    return f"households/evidence/{timezone.now():%Y/%m}/{filename}"


class ProcedureStep(models.Model):
    """A step taken in a procedure: who, when, what was decided, the evidence."""

    case = models.ForeignKey(
        ProcedureCase, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="steps"
    )
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("recorded at"), default=timezone.now)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    # Step-specific facts (attendance and votes, income and poverty line, notice period, ...).
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("procedure step")
        verbose_name_plural = _("procedure steps")
        ordering = ["case_id", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "step"], name="procedure_step_once_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step}"


class StepEvidence(models.Model):
    step = models.ForeignKey(
        ProcedureStep, verbose_name=_("step"), on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    name = models.CharField(_("file name"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["step_id", "id"]

    def __str__(self) -> str:
        return self.name
