"""因户施策: which poverty causes each kind of measure can answer, and the review of measures that
no longer fit their cause; 应保尽保: the relief that answers a cause the source names.

A measure answers a cause only if its kind can (`KindCause`): the rows without a county are the
defaults (`DEFAULT_KIND_CAUSES`, written by migration 0007), rows with a county are that county's
extensions. The coverage rule in PostgreSQL (`assistance_plan_coverage_of`) and in Python
(`selectors.coverage`) read the same table.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.audit import tracked
from core.models import Region, TimeStampedModel, User
from households.models import PovertyCause

from .plans import Measure, MeasureKind

K, C = MeasureKind, PovertyCause

# The kinds' answers every county starts from. Income measures answer the causes that cost a
# household its income; relief answers the hardship it is for; none answers 缺劳力 except what
# needs no labour (兜底, 资产收益, 特殊救助).
DEFAULT_KIND_CAUSES: dict[str, tuple[str, ...]] = {
    K.EMPLOYMENT: (C.ILLNESS, C.DISABILITY, C.SCHOOLING, C.DISASTER, C.LACK_LAND, C.LACK_WATER,
                   C.LACK_SKILLS, C.LACK_FUNDS, C.POOR_TRANSPORT, C.LACK_MOTIVATION),
    K.INDUSTRY: (C.ILLNESS, C.DISABILITY, C.SCHOOLING, C.DISASTER, C.LACK_LAND, C.LACK_WATER,
                 C.LACK_SKILLS, C.LACK_FUNDS, C.LACK_MOTIVATION),
    K.RELOCATION: (C.POOR_TRANSPORT, C.LACK_WATER, C.LACK_LAND, C.DISASTER),
    K.SOCIAL_GUARANTEE: (C.LACK_LABOUR, C.ILLNESS, C.DISABILITY),
    K.DESTITUTE_SUPPORT: (C.LACK_LABOUR, C.ILLNESS, C.DISABILITY),
    K.MEDICAL_RELIEF: (C.ILLNESS, C.DISABILITY),
    K.HEALTH: (C.ILLNESS, C.DISABILITY),
    K.EDUCATION_RELIEF: (C.SCHOOLING,),
    K.EDUCATION: (C.SCHOOLING, C.LACK_SKILLS),
    K.DISASTER_RELIEF: (C.DISASTER,),
    K.TEMPORARY_RELIEF: (C.ILLNESS, C.DISABILITY, C.SCHOOLING, C.DISASTER),
    K.SPECIAL_RELIEF: (C.DISABILITY, C.ILLNESS, C.LACK_LABOUR),
    K.CHARITY_RELIEF: (C.ILLNESS, C.DISABILITY, C.SCHOOLING, C.DISASTER),
    K.SKILLS_TRAINING: (C.LACK_SKILLS, C.LACK_MOTIVATION),
    K.MICROCREDIT: (C.LACK_FUNDS,),
    K.HOUSING_REPAIR: (C.DISASTER,),
    K.ASSET_INCOME: (C.LACK_LABOUR, C.DISABILITY, C.ILLNESS, C.LACK_LAND, C.LACK_FUNDS),
}  # fmt: skip

# 应保尽保 (the source: 因病、因学、因灾、因残等致贫的贫困户和无劳动能力的贫困户, 医疗、教育、灾害、临时、
# 特殊、慈善救助, 低保/特困兜底): a household poor for one of these causes is flagged until its plan has
# a measure (not cancelled) of a kind that relieves it. "Without labour" is the cause 缺劳力.
RELIEF_FOR_CAUSE: dict[str, tuple[str, ...]] = {
    C.ILLNESS: (K.MEDICAL_RELIEF, K.TEMPORARY_RELIEF, K.CHARITY_RELIEF, K.SOCIAL_GUARANTEE, K.DESTITUTE_SUPPORT),
    C.SCHOOLING: (K.EDUCATION_RELIEF, K.TEMPORARY_RELIEF, K.CHARITY_RELIEF),
    C.DISASTER: (K.DISASTER_RELIEF, K.TEMPORARY_RELIEF, K.CHARITY_RELIEF),
    C.DISABILITY: (K.SPECIAL_RELIEF, K.TEMPORARY_RELIEF, K.CHARITY_RELIEF, K.SOCIAL_GUARANTEE,
                   K.DESTITUTE_SUPPORT),
    C.LACK_LABOUR: (K.SOCIAL_GUARANTEE, K.DESTITUTE_SUPPORT, K.SPECIAL_RELIEF),
}  # fmt: skip


@tracked()
class KindCause(models.Model):
    """One cause a kind of measure answers: a default (no county) or a county's extension."""

    county = models.ForeignKey(
        Region, verbose_name=_("county"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"level": "county"}, help_text=_("Empty: a default for every county."),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=32, choices=MeasureKind.choices)
    cause = models.CharField(_("poverty cause"), max_length=20, choices=PovertyCause.choices)
    added_by = models.ForeignKey(
        User, verbose_name=_("added by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    note = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("cause a kind of measure answers")
        verbose_name_plural = _("causes each kind of measure answers")
        ordering = ["kind", "cause", "county_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "cause"], condition=Q(county__isnull=True), name="kind_cause_default_once"
            ),
            models.UniqueConstraint(
                fields=["county", "kind", "cause"], condition=Q(county__isnull=False), name="kind_cause_county_once",
                violation_error_message=_("The county already counts this kind as answering this cause."),
            ),
        ]  # fmt: skip
        indexes = [
            # assistance_plan_coverage_of: EXISTS (… WHERE k.kind = m.kind AND k.cause = cause …).
            models.Index(fields=["kind", "cause"], name="kind_cause_lookup_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.county_id or '*'}: {self.kind} → {self.cause}"


class FitDecision(models.TextChoices):
    PENDING = "", _("to be reviewed")
    NARROWED = "narrowed", _("kept only the causes its kind answers")
    CANCELLED = "cancelled", _("measure cancelled")
    FITS = "fits", _("fits now (changed, or the county counts the kind)")
    KEPT = "kept", _("kept as it is (not counted for those causes)")


@tracked()
class MeasureFitReview(TimeStampedModel):
    """A measure that claims causes its kind does not answer, listed for the county to decide.

    Opened for measures written before the kind table (migration 0007) and for any that bypass
    the services (imports, COPY); never deleted, and the measure is never deleted either.
    """

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.PROTECT, related_name="fit_reviews"
    )
    causes = ArrayField(
        models.CharField(max_length=20, choices=PovertyCause.choices),
        verbose_name=_("causes its kind does not answer"),
    )
    decision = models.CharField(
        _("decision"), max_length=16, choices=FitDecision.choices, blank=True, default=FitDecision.PENDING
    )
    decided_by = models.ForeignKey(
        User,
        verbose_name=pgettext_lazy("fit review", "decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(pgettext_lazy("fit review", "decided at"), null=True, blank=True)
    note = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("measure under review for its cause")
        verbose_name_plural = _("measures under review for their cause")
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure"], condition=Q(decision=""), name="measure_fit_review_one_open"
            ),
            models.CheckConstraint(
                condition=Q(decision="", decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(decision="") & Q(decided_at__isnull=False)),
                name="measure_fit_review_decided_has_when",
            ),
            models.CheckConstraint(
                condition=~Q(decision="kept") | Q(note__gt=""), name="measure_fit_review_kept_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id}: {', '.join(self.causes)}"

    @property
    def is_open(self) -> bool:
        return self.decision == FitDecision.PENDING
