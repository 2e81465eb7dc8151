"""五个责任: dated responsibilities, so "who was responsible for this village on that date" has an answer."""

from __future__ import annotations

import datetime as dt

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils.translation import gettext_lazy as _

from core.audit import tracked
from core.models import Officer, Region, TimeStampedModel, Unit


class ResponsibilityKind(models.TextChoices):
    MAIN = "main", _("main responsibility (county party committee and government)")  # 主体责任
    FIRST = "first", _("first responsible (party and government head)")  # 第一责任人
    DIRECT = "direct", _("direct responsible (deputy in charge)")  # 直接责任人
    DEPARTMENT = "department", _("department coordination")  # 部门协调责任
    TOWNSHIP_VILLAGE = "township_village", _("township and village responsibility")  # 乡村包干责任
    RESIDENT_ASSISTANCE = "resident_assistance", _("resident assistance")  # 驻村帮扶责任
    CONTACT_LEADER = "contact_leader", _("contact leader")  # 分包联系领导
    INSPECTION = "inspection", _("inspection")  # 督查巡查责任


# Kinds that always name a person.
OFFICER_KINDS = (ResponsibilityKind.FIRST, ResponsibilityKind.DIRECT, ResponsibilityKind.CONTACT_LEADER)


class DateRangeFunc(Func):
    """daterange(from, to, '[]'): an open `to` (NULL) means "until further notice"."""

    function = "daterange"
    output_field = DateRangeField()


@tracked()
class Responsibility(TimeStampedModel):
    """A dated assignment: this officer or unit answers for this region in this capacity."""

    kind = models.CharField(_("responsibility"), max_length=32, choices=ResponsibilityKind.choices)
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="responsibilities",
    )  # fmt: skip
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="responsibilities",
    )  # fmt: skip
    region = models.ForeignKey(
        Region, verbose_name=_("region answered for"), on_delete=models.PROTECT, related_name="+"
    )
    duty = models.CharField(_("duty"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Last day of the assignment; empty while it lasts.")
    )

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["region_id", "kind", "-valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(officer__isnull=False) | Q(unit__isnull=False),
                name="responsibility_has_officer_or_unit",
            ),
            models.CheckConstraint(
                condition=Q(officer__isnull=False) | ~Q(kind__in=[str(k) for k in OFFICER_KINDS]),
                name="responsibility_person_kinds_name_officer",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="responsibility_valid_to_after_from",
            ),
            # The same person or unit cannot hold the same duty for the same region twice at once.
            ExclusionConstraint(
                name="responsibility_no_overlap",
                expressions=[
                    ("kind", RangeOperators.EQUAL),
                    ("region", RangeOperators.EQUAL),
                    (models.functions.Coalesce("officer", Value(0)), RangeOperators.EQUAL),
                    (models.functions.Coalesce("unit", Value(0)), RangeOperators.EQUAL),
                    (DateRangeFunc("valid_from", "valid_to", Value("[]")), RangeOperators.OVERLAPS),
                ],
            ),
        ]
        indexes = [
            # responsible_on(): region_id IN (ancestors) AND valid_from <= d AND (valid_to >= d OR NULL).
            models.Index(fields=["region", "kind", "valid_from"], name="resp_region_kind_from_idx"),
            models.Index(fields=["officer", "valid_from"], name="resp_officer_from_idx"),
        ]

    def __str__(self) -> str:
        who = self.officer or self.unit
        return f"{who} · {self.get_kind_display()} · {self.region}"

    def active_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)
