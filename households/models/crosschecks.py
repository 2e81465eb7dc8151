"""数据比对: the registry compared with lists other departments hold, and the flags it raises.

A county administrator uploads a list (deaths and moves from 公安, vehicles from 车管, businesses
from 市场监管, people paid from public funds, property from 不动产); a worker matches its ID numbers
against the county's members by the keyed hash (households/tasks.py claims the run) and raises a
flag per member and rule broken. Each flag is reviewed to a decision through core.transitions:
confirmed (the correction or removal procedure starts) or dismissed with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Region, TimeStampedModel
from core.transitions import StatusChange, Transitions

from .household import Household
from .members import Member


class CrossCheckSource(models.TextChoices):
    DEATHS = "deaths", _("deaths (public security)")  # 公安: 死亡注销
    MOVES = "moves", _("household-registration moves (public security)")  # 公安: 户籍迁出
    VEHICLES = "vehicles", _("vehicles (vehicle administration)")  # 车管
    BUSINESSES = "businesses", _("registered businesses (market regulation)")  # 市场监管
    PUBLIC_PAYROLL = "public_payroll", _("people paid from public funds (finance)")  # 财政供养
    PROPERTY = "property", _("property (real estate registration)")  # 不动产


class CrossCheckRule(models.TextChoices):
    OWNS_VEHICLE = "owns_vehicle", _("a registered poor household owns a vehicle")
    OWNS_BUSINESS = "owns_business", _("a registered poor household owns a company")
    OWNS_PROPERTY = "owns_property", _("a registered poor household owns commercial property")
    PUBLIC_PAYROLL = "public_payroll", _("a household of a civil servant registered as poor")
    DECEASED_COUNTED = "deceased_counted", _("a deceased member is still counted")
    PAID_AFTER_DEATH = "paid_after_death", _("a payment to the household after a member's death")
    MOVED_COUNTED = "moved_counted", _("a member who moved away is still counted")


# Rules whose confirmation removes the household (清退, wrongly identified); the others correct
# the member (a deceased or moved member leaves the household).
REMOVAL_RULES = (
    CrossCheckRule.OWNS_VEHICLE,
    CrossCheckRule.OWNS_BUSINESS,
    CrossCheckRule.OWNS_PROPERTY,
    CrossCheckRule.PUBLIC_PAYROLL,
)


class CrossCheckRunStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("finished")
    FAILED = "failed", _("failed")


def crosscheck_path(instance, filename: str) -> str:
    return f"households/crosschecks/{timezone.now():%Y/%m}/{filename}"


class CrossCheckRun(TimeStampedModel):
    """One uploaded list and its matching run. The file holds full ID numbers: it is deleted when
    the run ends (done or failed); the run keeps its figures."""

    source = models.CharField(_("list"), max_length=16, choices=CrossCheckSource.choices)
    file = models.FileField(_("file"), upload_to=crosscheck_path, blank=True)
    file_name = models.CharField(_("file name"), max_length=200)
    # A job claim (households/tasks.py run_crosscheck), not a status a person moves.
    status = models.CharField(
        _("status"), max_length=8, choices=CrossCheckRunStatus.choices, default=CrossCheckRunStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    matched_rows = models.PositiveIntegerField(_("rows matching a member"), default=0)
    unreadable_rows = models.PositiveIntegerField(_("rows without a valid ID number"), default=0)
    flags_raised = models.PositiveIntegerField(_("flags raised"), default=0)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    # The uploader's county: only its members are matched.
    region = models.ForeignKey(Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("cross-check run")
        verbose_name_plural = _("cross-check runs")
        ordering = ["-created_at"]
        permissions = [
            ("run_crosscheck", _("Can compare the registry with other departments' lists")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(processed_rows__lte=models.F("total_rows")) | Q(total_rows=0),
                name="crosscheckrun_processed_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def finished(self) -> bool:
        return self.status in (CrossCheckRunStatus.DONE, CrossCheckRunStatus.FAILED)

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.finished else 0
        return min(100, int(self.processed_rows * 100 / self.total_rows))


class FlagStatus(models.TextChoices):
    OPEN = "open", _("under review")
    CONFIRMED = "confirmed", _("confirmed")
    DISMISSED = "dismissed", _("dismissed")


FLAG_TRANSITIONS: dict[str, set[str]] = {
    FlagStatus.OPEN: {FlagStatus.CONFIRMED, FlagStatus.DISMISSED},
    FlagStatus.CONFIRMED: set(),
    FlagStatus.DISMISSED: set(),
}


class FlagAction(models.TextChoices):
    NONE = "", _("none yet")
    HOUSEHOLD_REMOVED = "household_removed", _("household removal (清退) started")
    MEMBER_LEFT = "member_left", _("member recorded as left the household")
    ALREADY_DONE = "already_done", _("already corrected in the registry")


class CrossCheckFlag(TimeStampedModel):
    """A member of the county matched by a department's list, and the rule the match breaks."""

    run = models.ForeignKey(
        CrossCheckRun, verbose_name=_("cross-check run"), on_delete=models.PROTECT, related_name="flags"
    )
    rule = models.CharField(_("rule"), max_length=20, choices=CrossCheckRule.choices)
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="crosscheck_flags"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="crosscheck_flags"
    )
    row_number = models.PositiveIntegerField(_("row in the list"))
    # What the list says besides the ID number (plate, company, death date, amount paid…): never the number.
    facts = models.JSONField(_("what the list says"), default=dict, blank=True)
    event_date = models.DateField(_("date in the list"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    decision_note = models.TextField(_("reason for the decision"), blank=True)
    action = models.CharField(
        _("what was done"), max_length=20, choices=FlagAction.choices, blank=True, default=FlagAction.NONE
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    transitions = Transitions(FLAG_TRANSITIONS, log="CrossCheckFlagStatusChange")

    class Meta:
        verbose_name = _("cross-check flag")
        verbose_name_plural = _("cross-check flags")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A run flags a member once per rule (a re-run of a claimed job adds nothing).
            models.UniqueConstraint(fields=["run", "member", "rule"], name="crosscheckflag_once_per_run"),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(decision_note=""),
                name="crosscheckflag_dismissed_has_reason",
                violation_error_message=_("A dismissed flag needs its reason."),
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="crosscheckflag_decided_has_decider",
            ),
        ]
        indexes = [
            # The county's flag list filtered by status and rule (selectors.crosscheck_flag_list).
            models.Index(fields=["status", "rule"], name="crosscheckflag_status_rule_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()}: {self.member_id}"


class CrossCheckFlagStatusChange(StatusChange):
    flag = models.ForeignKey(
        CrossCheckFlag, verbose_name=_("flag"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=12, choices=FlagStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=FlagStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("flag status change")
        verbose_name_plural = _("flag status changes")
        ordering = ["flag_id", "at", "id"]
