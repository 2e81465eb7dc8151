"""The funds catalogue: funds (预算 by source and year) and the projects they pay for, with their
investment review (投资评审), procurement (政府采购) and tender (招标投标) records."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.audit import tracked
from core.models import Region, TimeStampedModel

MONEY = {"max_digits": 16, "decimal_places": 2}
ZERO = Decimal("0.00")


class FundSource(models.TextChoices):
    CENTRAL = "central", _("central government")  # 中央
    PROVINCIAL = "provincial", _("provincial government")  # 省级
    CITY = "city", _("city government")  # 市级
    COUNTY = "county", _("county government")  # 县级
    SOCIAL = "social", _("social donations")  # 社会帮扶


@tracked()
class Fund(TimeStampedModel):
    """A poverty-alleviation fund of one source and fiscal year, held by a city or county."""

    code = models.CharField(_("fund code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("source"), max_length=16, choices=FundSource.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    region = models.ForeignKey(
        Region, verbose_name=_("held by"), on_delete=models.PROTECT, related_name="funds",
        help_text=_("The city or county whose finance bureau holds the fund."),
    )  # fmt: skip
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["-fiscal_year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2013) & Q(fiscal_year__lte=2100), name="fund_fiscal_year_range"
            ),
        ]
        indexes = [
            models.Index(OpClass("region_id", name="varchar_pattern_ops"), name="fund_region_prefix_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.fiscal_year}）"


class ProjectKind(models.TextChoices):
    INDUSTRY = "industry", _("industry development")  # 产业扶贫
    INFRASTRUCTURE = "infrastructure", _("infrastructure")  # 基础设施
    RELOCATION = "relocation", _("relocation")  # 易地扶贫搬迁
    EMPLOYMENT = "employment", _("employment and training")  # 就业培训
    EDUCATION = "education", _("education assistance")  # 教育扶贫
    HEALTH = "health", _("health assistance")  # 健康扶贫
    HOUSING = "housing", _("housing repair")  # 危房改造
    MICROCREDIT = "microcredit", _("microcredit interest subsidy")  # 小额信贷贴息
    OTHER = "other", _("other")


class ProcurementMethod(models.TextChoices):
    OPEN_TENDER = "open_tender", _("open tender")  # 公开招标
    INVITED_TENDER = "invited_tender", _("invited tender")  # 邀请招标
    NEGOTIATION = "negotiation", _("competitive negotiation")  # 竞争性谈判
    QUOTATION = "quotation", _("request for quotation")  # 询价
    SINGLE_SOURCE = "single_source", _("single source")  # 单一来源


TENDER_METHODS = (ProcurementMethod.OPEN_TENDER, ProcurementMethod.INVITED_TENDER)


@tracked()
class Project(TimeStampedModel):
    """A funded project with its investment review, procurement and tender records."""

    code = models.CharField(_("project code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=ProjectKind.choices)
    county = models.ForeignKey(
        Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="county_projects",
        limit_choices_to={"level": "county"},
    )  # fmt: skip
    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="village_projects",
        null=True, blank=True, limit_choices_to={"level": "village"},
    )  # fmt: skip
    # The narrowest region of the project (its village, else its county): the scoping field.
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    budget = models.DecimalField(_("budget (yuan)"), **MONEY)
    start_date = models.DateField(pgettext_lazy("project", "start date"), null=True, blank=True)
    # 投资评审
    review_agency = models.CharField(_("investment reviewer"), max_length=100, blank=True)
    review_approved_amount = models.DecimalField(_("approved amount (yuan)"), null=True, blank=True, **MONEY)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    # 政府采购
    procurement_method = models.CharField(
        _("procurement method"), max_length=20, choices=ProcurementMethod.choices, blank=True
    )
    # 招标投标
    bidders = ArrayField(
        models.CharField(max_length=100), verbose_name=_("bidders"), default=list, blank=True
    )
    winner = models.CharField(_("winning bidder"), max_length=100, blank=True)
    # The winner recorded as a payee: contractor payments go to this payee only.
    contractor = models.ForeignKey(
        "funds.Payee", verbose_name=_("contractor (payee)"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="projects_won", editable=False,
    )  # fmt: skip
    contract_amount = models.DecimalField(_("contract amount (yuan)"), null=True, blank=True, **MONEY)
    bid_opening_date = models.DateField(_("bid opening date"), null=True, blank=True)
    contract_date = models.DateField(_("contract signed on"), null=True, blank=True)
    measures = models.ManyToManyField(
        "assistance.Measure",
        verbose_name=_("assistance measures funded"),
        blank=True,
        related_name="projects",
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["county_id", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="project_budget_positive"),
            models.CheckConstraint(
                condition=Q(review_approved_amount__isnull=True) | Q(review_approved_amount__gt=0),
                name="project_review_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(contract_amount__isnull=True) | Q(contract_amount__gt=0),
                name="project_contract_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(contract_amount__isnull=True) | ~Q(winner=""),
                name="project_contract_has_winner",
            ),
            models.CheckConstraint(
                condition=Q(contract_date__isnull=True)
                | Q(bid_opening_date__isnull=True)
                | Q(contract_date__gte=F("bid_opening_date")),
                name="project_contract_after_bid_opening",
            ),
        ]
        indexes = [
            # Scope filter of the project list: region_id LIKE '410821%'.
            models.Index(OpClass("region_id", name="varchar_pattern_ops"), name="project_region_prefix_idx"),
        ]

    def __str__(self) -> str:
        return self.name
