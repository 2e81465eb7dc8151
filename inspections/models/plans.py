"""Inspection groups and covert visit plans (暗访) with their drawn targets."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.audit import tracked
from core.models import Officer, Region, TimeStampedModel, Unit, User
from core.transitions import StatusChange, Transitions
from households.models import Household


class GroupKind(models.TextChoices):
    # The four 专职督查巡查组: covert inspections of counties and city departments (四不两直).
    INSPECTION = "inspection", _("dedicated inspection group")
    # 市委督导组: 一月一暗访 — at least one covert visit a month, a township and its villages (抓乡带村促县).
    SUPERVISION = "supervision", _("city supervision group")


@tracked()
class InspectionGroup(TimeStampedModel):
    """One of the city's dedicated inspection groups (专职督查巡查组) or its supervision group
    (市委督导组, `kind`), backed by a core.Unit."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="inspection_group",
        limit_choices_to={"kind": "inspection_group"},
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind of group"), max_length=16, choices=GroupKind.choices, default=GroupKind.INSPECTION
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(
        Officer,
        verbose_name=_("group leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspectors = models.ManyToManyField(
        Officer, verbose_name=_("inspectors"), blank=True, related_name="inspection_groups"
    )
    is_active = models.BooleanField(pgettext_lazy("group", "active"), default=True)

    class Meta:
        verbose_name = _("inspection group")
        verbose_name_plural = _("inspection groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_supervision(self) -> bool:
        return self.kind == GroupKind.SUPERVISION


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("planned")  # secret: only city inspectors, leaders and admins see it
    FILED = "filed", _("visit filed")  # the county may now see the visit
    CANCELLED = "cancelled", _("cancelled")


# planned → filed (its report is filed: the county may now see the visit), or → cancelled.
PLAN_TRANSITIONS: dict[str, set[str]] = {
    PlanStatus.PLANNED: {PlanStatus.FILED, PlanStatus.CANCELLED},
    PlanStatus.FILED: set(),
    PlanStatus.CANCELLED: set(),
}


@tracked()
class VisitPlan(TimeStampedModel):
    """A group's covert visit (暗访) of one county in one month, with targets drawn at random.

    The draw's seed and every input (candidate snapshot, weights, counts, algorithm version)
    are stored in `draw_inputs`, so `inspections.draw.redraw(plan)` reproduces the targets.
    """

    group = models.ForeignKey(
        InspectionGroup, verbose_name=_("inspection group"), on_delete=models.PROTECT, related_name="plans"
    )
    month = models.DateField(_("month"), help_text=_("First day of the month of the visit."))
    county = models.ForeignKey(
        Region, verbose_name=_("inspected county"), on_delete=models.PROTECT, related_name="+"
    )
    # A city department inspected (领导小组成员单位): its work is checked at the grassroots of `county`,
    # drawn as for a county plan; as secret as any plan until its report is filed.
    department = models.ForeignKey(
        Unit, verbose_name=_("inspected department"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", limit_choices_to={"kind": "department"},
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.PLANNED
    )
    seed = models.CharField(_("draw seed"), max_length=64)
    algorithm_version = models.CharField(_("draw algorithm"), max_length=64)
    draw_inputs = models.JSONField(_("draw inputs"), default=dict)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("drawn by"), on_delete=models.PROTECT, related_name="+"
    )

    transitions = Transitions(PLAN_TRANSITIONS, log="PlanStatusChange")

    class Meta:
        verbose_name = _("covert visit plan")
        verbose_name_plural = _("covert visit plans")
        ordering = ["-month", "group_id", "county_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "month", "county"],
                name="visitplan_one_per_group_month_county",
                condition=Q(department__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["group", "month", "department"],
                name="visitplan_one_per_group_month_department",
                condition=Q(department__isnull=False),
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="visitplan_month_first_day"),
            models.CheckConstraint(
                condition=Q(status="filed", filed_at__isnull=False) | ~Q(status="filed"),
                name="visitplan_filed_has_time",
            ),
        ]
        indexes = [
            # Secrecy filter for county users: status = 'filed' AND county_id LIKE '410821%'.
            models.Index(fields=["status", "county"], name="visitplan_status_county_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.month:%Y-%m} {self.department or self.county}"


class PlanStatusChange(StatusChange):
    """Every status change of a covert visit plan. As secret as the plan: read it through the selectors."""

    plan = models.ForeignKey(
        VisitPlan,
        verbose_name=pgettext_lazy("visit plan", "plan"),
        on_delete=models.PROTECT,
        related_name="status_changes",
    )
    from_status = models.CharField(_("from"), max_length=16, choices=PlanStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=PlanStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("plan status change")
        verbose_name_plural = _("plan status changes")


class TargetKind(models.TextChoices):
    TOWNSHIP = "township", _("township")
    VILLAGE = "village", _("village")
    HOUSEHOLD = "household", _("household")
    # 随机抽查、突击检查: a village work team (its first secretary), drawn by draw algorithm v2.
    TEAM = "team", _("village work team")


class VisitTarget(models.Model):
    """A drawn target of a plan, in draw order."""

    plan = models.ForeignKey(
        VisitPlan,
        verbose_name=pgettext_lazy("visit plan", "plan"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=TargetKind.choices)
    position = models.PositiveIntegerField(pgettext_lazy("order", "position"))
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.ForeignKey(
        "assistance.VillageTeam", verbose_name=_("village work team"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("visit target")
        verbose_name_plural = _("visit targets")
        ordering = ["plan_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="visittarget_unique_position"),
            models.CheckConstraint(
                condition=Q(kind="household", household__isnull=False) | (~Q(kind="household") & Q(household__isnull=True)),
                name="visittarget_household_iff_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="team", team__isnull=False) | (~Q(kind="team") & Q(team__isnull=True)),
                name="visittarget_team_iff_kind",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.household or self.team or self.region}"


class MissedVisitMonth(models.Model):
    """一月一暗访: a month a supervision group ended without a filed covert visit.

    Written by the daily job (`inspections.tasks.flag_missed_supervision_months`) once the month
    has ended; the unique key makes a second run write nothing. Read by the home-page panel and
    the monthly bulletin (`inspections.selectors.missed_supervision_months`).
    """

    group = models.ForeignKey(
        InspectionGroup,
        verbose_name=_("inspection group"),
        on_delete=models.PROTECT,
        related_name="missed_months",
    )
    month = models.DateField(_("month"))
    flagged_on = models.DateField(_("flagged on"))

    class Meta:
        verbose_name = _("month without a covert visit")
        verbose_name_plural = _("months without a covert visit")
        ordering = ["-month", "group_id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "month"], name="missedvisitmonth_one_per_group_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="missedvisitmonth_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.month:%Y-%m}"
