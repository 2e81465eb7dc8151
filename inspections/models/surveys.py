"""群众认同度和满意度 surveys on covert visits, and spot checks of village work teams."""

from __future__ import annotations

from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.audit import tracked
from core.models import Officer, Region, TimeStampedModel, User
from households.models import Household

from .plans import VisitPlan
from .reports import VisitReport

# --- 群众认同度和满意度: the short survey asked of each household on a covert visit ---------


class SurveyResult(models.TextChoices):
    IDENTIFICATION = "identification", _("identification as poor")  # 识别结果
    EXIT = "exit", _("exit from poverty")  # 退出结果


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("very satisfied")
    SATISFIED = "satisfied", _("satisfied")
    NEUTRAL = "neutral", _("neither")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


# Answers counted as satisfied in the satisfaction rate.
SATISFIED_ANSWERS = (Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED)


@tracked()
class SurveyResponse(TimeStampedModel):
    """One household's answers on a covert visit: does it recognise the result (its identification,
    or its exit), and how satisfied is it with the assistance? The household's village is copied,
    so rates aggregate by village, township and county without a join."""

    report = models.ForeignKey(
        VisitReport, verbose_name=_("visit report"), on_delete=models.PROTECT, related_name="surveys"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="surveys"
    )
    village = models.ForeignKey(Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result asked about"), max_length=16, choices=SurveyResult.choices)
    recognises = models.BooleanField(_("recognises the result"))
    satisfaction = models.CharField(
        _("satisfaction with the assistance"), max_length=16, choices=Satisfaction.choices
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    answered_on = models.DateField(_("answered on"))
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-answered_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "household"], name="survey_once_per_visit_household"),
        ]
        indexes = [
            # Rates by county and month: village_id LIKE '410821%' AND answered_on in a month.
            models.Index(OpClass("village_id", name="varchar_pattern_ops"), name="survey_village_prefix_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.household_id}"


# --- 随机抽查、突击检查 of first secretaries and village work teams ----------------------------


class RecordsState(models.TextChoices):
    COMPLETE = "complete", _("complete and up to date")
    INCOMPLETE = "incomplete", _("incomplete or out of date")
    MISSING = "missing", _("missing")


@tracked()
class TeamCheck(TimeStampedModel):
    """A spot check of a village work team: is the first secretary on duty, are the records kept?"""

    plan = models.ForeignKey(
        VisitPlan,
        verbose_name=pgettext_lazy("visit plan", "plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="team_checks",
    )
    team = models.ForeignKey(
        "assistance.VillageTeam", verbose_name=_("village work team"), on_delete=models.PROTECT,
        related_name="spot_checks",
    )  # fmt: skip
    first_secretary = models.ForeignKey(
        Officer, verbose_name=_("first secretary"), on_delete=models.PROTECT, related_name="spot_checks"
    )
    # The village where the team was checked: the scoping rule filters on it.
    village = models.ForeignKey(Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    checked_on = models.DateField(_("checked on"))
    secretary_present = models.BooleanField(_("first secretary on duty"))
    members_present = models.PositiveSmallIntegerField(_("team members on duty"), default=0)
    records_state = models.CharField(_("state of records"), max_length=12, choices=RecordsState.choices)
    note = models.TextField(_("note"), blank=True)
    checked_by = models.ForeignKey(
        User, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("work team spot check")
        verbose_name_plural = _("work team spot checks")
        ordering = ["-checked_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "checked_on"], name="teamcheck_once_per_team_day"),
        ]
        indexes = [
            models.Index(OpClass("village_id", name="varchar_pattern_ops"), name="teamcheck_village_prefix_idx"),
            # Repeated absences: first_secretary_id = … AND secretary_present = false, by date.
            models.Index(fields=["first_secretary", "checked_on"], name="teamcheck_secretary_idx",
                         condition=Q(secretary_present=False)),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.team} {self.checked_on}"
