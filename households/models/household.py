"""Households (贫困户) and their file: status, causes, the five guarantees, yearly incomes."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Left
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import tracked
from core.models import Officer, Region, TimeStampedModel
from core.transitions import StatusChange, Transitions

from .feed import current_xid


class PovertyCause(models.TextChoices):
    """The eleven national categories of poverty causes (致贫原因)."""

    ILLNESS = "illness", _("illness")  # 因病
    DISABILITY = "disability", _("disability")  # 因残
    SCHOOLING = "schooling", _("schooling costs")  # 因学
    DISASTER = "disaster", _("disaster")  # 因灾
    LACK_LAND = "lack_land", _("lack of land")  # 缺土地
    LACK_WATER = "lack_water", _("lack of water")  # 缺水
    LACK_SKILLS = "lack_skills", _("lack of skills")  # 缺技术
    LACK_LABOUR = "lack_labour", _("lack of labour")  # 缺劳力
    LACK_FUNDS = "lack_funds", _("lack of funds")  # 缺资金
    POOR_TRANSPORT = "poor_transport", _("poor transport")  # 交通条件落后
    LACK_MOTIVATION = "lack_motivation", _("lack of motivation")  # 自身发展动力不足


def choice_labels(choices) -> dict[str, str]:
    """{value: label} of a choices class, translated once (the list page and the export write
    thousands of labels; get_*_display() per row and column translated each one again)."""
    return {value: str(label) for value, label in choices.choices}


class HouseholdAttribute(models.TextChoices):
    GENERAL = "general", _("general poor household")  # 一般贫困户
    SUBSISTENCE = "subsistence", _("subsistence allowance household")  # 低保贫困户
    DESTITUTE = "destitute", _("destitute supported household")  # 特困供养户


class HouseholdStatus(models.TextChoices):
    APPLYING = "applying", _("applying")  # 识别中: entry procedure under way
    REGISTERED = "registered", _("registered")  # 在册
    EXITED = "exited", _("exited poverty")  # 已脱贫
    RETURNED = "returned", _("returned to poverty")  # 返贫
    REMOVED = "removed", _("removed (wrongly identified)")  # 清退
    REJECTED = "rejected", _("application rejected")


# The only moves a household's status may make; the transition service enforces it.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    HouseholdStatus.APPLYING: {HouseholdStatus.REGISTERED, HouseholdStatus.REJECTED},
    HouseholdStatus.REGISTERED: {HouseholdStatus.EXITED, HouseholdStatus.REMOVED},
    HouseholdStatus.EXITED: {HouseholdStatus.RETURNED, HouseholdStatus.REMOVED},
    HouseholdStatus.RETURNED: {HouseholdStatus.EXITED, HouseholdStatus.REMOVED},
    # Found again by the review of possible omissions (漏评): the household applies again and goes
    # through the entry procedure (services.candidates).
    HouseholdStatus.REMOVED: {HouseholdStatus.APPLYING},
    HouseholdStatus.REJECTED: {HouseholdStatus.APPLYING},
}


# A person may belong to one household in these statuses only.
ACTIVE_STATUSES = (
    HouseholdStatus.APPLYING,
    HouseholdStatus.REGISTERED,
    HouseholdStatus.EXITED,
    HouseholdStatus.RETURNED,
)


@tracked(exclude=["change_xid"])
class Household(TimeStampedModel):
    """A registered poor household (贫困户) and its file (档卡)."""

    file_number = models.CharField(_("file number"), max_length=32, unique=True)
    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="households",
        limit_choices_to={"level": "village"},
    )  # fmt: skip
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # The head's name is kept on the household for the list page (maintained by the services).
    head_name = models.CharField(_("head of household"), max_length=50)
    member_count = models.PositiveSmallIntegerField(_("members"), default=0)
    attribute = models.CharField(_("household attribute"), max_length=16, choices=HouseholdAttribute.choices)
    identified_year = models.PositiveSmallIntegerField(_("identified in"))
    status = models.CharField(
        _("status"), max_length=16, choices=HouseholdStatus.choices, default=HouseholdStatus.APPLYING
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    main_cause = models.CharField(_("main poverty cause"), max_length=20, choices=PovertyCause.choices)
    secondary_causes = ArrayField(
        models.CharField(max_length=20, choices=PovertyCause.choices),
        verbose_name=_("secondary poverty causes"), default=list, blank=True,
    )  # fmt: skip
    assistance_officer = models.ForeignKey(
        Officer, verbose_name=_("assistance officer"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="assisted_households",
    )  # fmt: skip
    # 两不愁三保障: a snapshot of the five guarantees as last derived from their facts by the services
    # (models.guarantees, services.guarantees), never an input; selectors.guarantees reads the facts.
    food_secure = models.BooleanField(_("enough food (不愁吃)"), default=False)
    clothing_secure = models.BooleanField(_("enough clothing (不愁穿)"), default=False)
    education_secured = models.BooleanField(_("compulsory education secured"), default=False)
    medical_secured = models.BooleanField(_("basic medical care secured"), default=False)
    housing_secured = models.BooleanField(_("safe housing secured"), default=False)
    # The transaction that last wrote the household or one of its members (xid8 as a bigint): the
    # insert's by this default, later ones by triggers (migration 0016); the change feed's order.
    change_xid = models.BigIntegerField(editable=False, db_default=current_xid())

    transitions = Transitions(ALLOWED_TRANSITIONS, log="HouseholdStatusChange")

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["village_id", "file_number"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(secondary_causes__contains=[models.F("main_cause")]),
                name="household_main_cause_not_secondary",
            ),
            models.CheckConstraint(
                condition=Q(identified_year__gte=2013) & Q(identified_year__lte=2100),
                name="household_identified_year_range",
            ),
        ]
        permissions = [
            ("view_full_id_number", _("Can view full ID numbers")),
            ("run_procedure", _("Can run entry and exit procedures")),
            ("import_households", _("Can import households from Excel")),
            ("export_households", _("Can export household lists")),
        ]
        indexes = [
            # Scope and region filters: village_id LIKE '410821%'.
            models.Index(
                OpClass("village_id", name="varchar_pattern_ops"), name="household_village_prefix_idx"
            ),
            # Household list filtered by status within a region, newest changes first.
            models.Index(fields=["status", "village"], name="household_status_village_idx"),
            # Name search on the head of household (exact and prefix).
            models.Index(OpClass("head_name", name="varchar_pattern_ops"), name="household_head_name_idx"),
            # A county's list in keyset order (API, `updated_after` pulls): household_base(keyset=True) says
            # WHERE left(village_id, 6) = '411525' … ORDER BY updated_at, id LIMIT 51 for county users.
            models.Index(
                Left("village", 6),
                models.F("updated_at"),
                models.F("id"),
                name="household_county_updated_idx",
            ),
            # The change feed (selectors.feed): a county's households in transaction order, and everyone's.
            models.Index(
                Left("village", 6), models.F("change_xid"), models.F("id"), name="household_county_xid_idx"
            ),
            models.Index(fields=["change_xid", "id"], name="household_xid_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.head_name}（{self.file_number}）"

    @property
    def causes(self) -> list[str]:
        return [self.main_cause, *self.secondary_causes]


class HouseholdStatusChange(StatusChange):
    """One row per status change of a household: the procedure or decision behind it."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=HouseholdStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=HouseholdStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["household_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.from_status} → {self.to_status}"


@tracked()
class Income(TimeStampedModel):
    """A household's yearly income (the exit check compares it with the year's poverty line)."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="incomes"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    per_capita_net_income = models.DecimalField(
        _("per-capita net income (yuan)"), max_digits=12, decimal_places=2
    )
    wage_income = models.DecimalField(_("wage income"), max_digits=12, decimal_places=2, default=0)
    production_income = models.DecimalField(
        _("production income"), max_digits=12, decimal_places=2, default=0
    )
    transfer_income = models.DecimalField(_("transfer income"), max_digits=12, decimal_places=2, default=0)
    property_income = models.DecimalField(_("property income"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("income")
        verbose_name_plural = _("incomes")
        ordering = ["household_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="income_one_per_household_year"),
            models.CheckConstraint(
                condition=Q(per_capita_net_income__gte=0), name="income_per_capita_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.year}: {self.per_capita_net_income}"
