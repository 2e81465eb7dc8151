"""两不愁三保障 from facts: the evidence each guarantee rests on (selectors.guarantees reads it).

不愁吃/不愁穿: a dated statement by the household and the visiting officer. 义务教育: derived from the
members' birth dates and schooling, with recorded exemptions. 基本医疗: each member's medical
insurance (参保) for the year and the household's serious-illness (大病) cover. 住房安全: the housing
safety appraisal (危房鉴定) — C and D grades are unmet until a housing measure is done.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import tracked

from .household import Household
from .members import Member


@tracked()
class LivelihoodStatement(models.Model):
    """不愁吃、不愁穿 as stated, on a date, by the household and by the officer who visited."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="livelihood_statements"
    )
    date = models.DateField(_("date of the visit"))
    food_secure = models.BooleanField(_("enough food (不愁吃)"))
    clothing_secure = models.BooleanField(_("enough clothing (不愁穿)"))
    stated_by = models.CharField(_("stated by (household member)"), max_length=50)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visiting officer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("food and clothing statement")
        verbose_name_plural = _("food and clothing statements")
        ordering = ["household_id", "-date", "-id"]

    def __str__(self) -> str:
        return f"{self.household_id} {self.date}"


@tracked()
class SchoolingExemption(models.Model):
    """A member of compulsory-school age who is exempt from school (e.g. severe disability), recorded."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="schooling_exemptions"
    )
    reason = models.CharField(_("reason for the exemption"), max_length=200)
    date = models.DateField(_("date of the decision"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("schooling exemption")
        verbose_name_plural = _("schooling exemptions")
        ordering = ["member_id", "-date"]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.reason}"


@tracked()
class MedicalInsurance(models.Model):
    """A member's basic medical insurance (参保) for one year."""

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="medical_insurance"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    insured = models.BooleanField(_("insured (参保)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("medical insurance")
        verbose_name_plural = _("medical insurance")
        ordering = ["member_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="medical_insurance_one_per_member_year"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year}: {self.insured}"


@tracked()
class IllnessCover(models.Model):
    """The household's serious-illness cover (大病保险) for one year."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="illness_covers"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    covered = models.BooleanField(_("covered by serious-illness insurance (大病保险)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("serious-illness cover")
        verbose_name_plural = _("serious-illness cover")
        ordering = ["household_id", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year"], name="illness_cover_one_per_household_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.year}: {self.covered}"


class HousingGrade(models.TextChoices):
    A = "A", _("grade A (safe)")
    B = "B", _("grade B (basically safe)")
    C = "C", _("grade C (locally dangerous)")
    D = "D", _("grade D (entirely dangerous)")


UNSAFE_GRADES = (HousingGrade.C, HousingGrade.D)


def appraisal_photo_path(instance, filename: str) -> str:
    return f"households/appraisals/{timezone.now():%Y/%m}/{filename}"


@tracked()
class HousingAppraisal(models.Model):
    """危房鉴定: the grade an appraiser gave the house on a date, with a photo (core.uploads)."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="housing_appraisals"
    )
    grade = models.CharField(_("grade"), max_length=1, choices=HousingGrade.choices)
    date = models.DateField(_("date of the appraisal"))
    appraiser = models.CharField(_("appraiser"), max_length=100)
    photo = models.FileField(_("photo"), upload_to=appraisal_photo_path, blank=True)
    photo_name = models.CharField(_("photo file name"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("housing safety appraisal")
        verbose_name_plural = _("housing safety appraisals")
        ordering = ["household_id", "-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grade__in=["A", "B", "C", "D"]), name="housing_appraisal_grade_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.date}: {self.grade}"
