"""Funds (资金): budget → allocation → disbursement, kept in a double-entry, append-only ledger.

Every movement of money is an `Entry` with two or more `Line`s whose debits equal their credits.
PostgreSQL itself enforces what must never break:

- ledger rows (entries and lines) refuse UPDATE and DELETE (pgtrigger.Protect); a mistake is
  corrected by a reversing entry that points to the original;
- an entry's debits equal its credits (a deferred constraint trigger, checked at commit);
- an account's `balance` is maintained by a trigger from its lines and has a CHECK >= 0, so no
  account can go below zero whatever writes it (the services also lock the accounts in id order
  and refuse with a readable message first);
- a disbursement's checker is not its maker (CHECK), an idempotency key pays once (UNIQUE), a
  request posts at most one entry and an entry is reversed at most once (UNIQUE).
"""

from __future__ import annotations

from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
    start_date = models.DateField(_("start date"), null=True, blank=True)
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


class AccountKind(models.TextChoices):
    SOURCE = "source", _("budget source")  # 预算来源 (credit-normal)
    FUND = "fund", _("fund pool")  # 资金池
    COUNTY = "county", _("county allocation")  # 县级资金
    PROJECT = "project", _("project")  # 项目资金
    PAYEE = "payee", _("payee")  # 收款人 (households, contractors)


# Accounts money can be held in and paid out of.
HOLDING_KINDS = (AccountKind.FUND, AccountKind.COUNTY, AccountKind.PROJECT)


class PayeeKind(models.TextChoices):
    HOUSEHOLD = "household", _("poor household")
    ORGANISATION = "organisation", _("enterprise or cooperative")


class Account(models.Model):
    """An account of one fund. `balance` is maintained by a database trigger from the lines."""

    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="accounts")
    kind = models.CharField(_("kind"), max_length=16, choices=AccountKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+",
        help_text=_("Scope of the account: the fund's region, the county, the project's or payee's village."),
    )  # fmt: skip
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="accounts",
    )  # fmt: skip
    payee_kind = models.CharField(_("payee kind"), max_length=16, choices=PayeeKind.choices, blank=True)
    household = models.ForeignKey(
        "households.Household", verbose_name=_("household"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="fund_accounts",
    )  # fmt: skip
    payee_name = models.CharField(_("payee"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=200)
    balance = models.DecimalField(_("balance (yuan)"), default=ZERO, editable=False, **MONEY)
    last_booked_on = models.DateField(_("last entry on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["fund_id", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="account_balance_not_negative"),
            models.UniqueConstraint(
                fields=["fund"], condition=Q(kind="source"), name="account_one_source_per_fund"
            ),
            models.UniqueConstraint(fields=["fund"], condition=Q(kind="fund"), name="account_one_pool_per_fund"),
            models.UniqueConstraint(
                fields=["fund", "region"], condition=Q(kind="county"), name="account_one_per_fund_county"
            ),
            models.UniqueConstraint(
                fields=["fund", "project"], condition=Q(kind="project"), name="account_one_per_fund_project"
            ),
            models.UniqueConstraint(
                fields=["fund", "household"], condition=Q(kind="payee", payee_kind="household"),
                name="account_one_per_fund_household",
            ),
            models.UniqueConstraint(
                fields=["fund", "payee_name"], condition=Q(kind="payee", payee_kind="organisation"),
                name="account_one_per_fund_organisation",
            ),
            models.CheckConstraint(
                condition=Q(kind="project", project__isnull=False) | (~Q(kind="project") & Q(project__isnull=True)),
                name="account_project_iff_project_kind",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="payee", payee_kind="household", household__isnull=False)
                    | Q(kind="payee", payee_kind="organisation", household__isnull=True) & ~Q(payee_name="")
                    | (~Q(kind="payee") & Q(payee_kind="", household__isnull=True))
                ),
                name="account_payee_fields_by_kind",
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(OpClass("region_id", name="varchar_pattern_ops"), name="account_region_prefix_idx"),
            # Holding accounts of a region (reconciliation of a county, payable accounts): without
            # it the region's payee accounts, thousands a county, are read to find a few.
            models.Index(
                OpClass("region_id", name="varchar_pattern_ops"),
                condition=Q(kind__in=["fund", "county", "project"]),
                name="account_holding_region_idx",
            ),
        ]
        triggers = [
            # Only the line trigger may move a balance (it runs nested, at trigger depth > 1).
            pgtrigger.Trigger(
                name="account_balance_only_from_lines",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                condition=pgtrigger.Q(old__balance__df=pgtrigger.F("new__balance"))
                | pgtrigger.Q(old__last_booked_on__df=pgtrigger.F("new__last_booked_on"))
                | pgtrigger.Q(old__fund_id__df=pgtrigger.F("new__fund_id"))
                | pgtrigger.Q(old__kind__df=pgtrigger.F("new__kind")),
                func="""
                    IF pg_trigger_depth() < 2 THEN
                        RAISE EXCEPTION 'funds_account: balance, fund and kind change only through ledger lines'
                            USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    RETURN NEW;
                """,
            ),
            pgtrigger.Protect(name="account_no_delete", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_credit_normal(self) -> bool:
        return self.kind == AccountKind.SOURCE


class EntryKind(models.TextChoices):
    BUDGET = "budget", _("budget arrangement")  # 预算安排
    ALLOCATION = "allocation", _("allocation")  # 资金下达
    DISBURSEMENT = "disbursement", _("disbursement")  # 资金拨付
    REVERSAL = "reversal", _("reversal")  # 冲销


class Entry(models.Model):
    """One balanced movement of money. Append-only: the database refuses UPDATE and DELETE."""

    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    booked_on = models.DateField(_("booked on"))
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="reversed_by",
    )  # fmt: skip
    request = models.OneToOneField(
        "DisbursementRequest", verbose_name=_("disbursement request"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="entry",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("posted by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("posted at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["booked_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="entry_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False) | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="entry_reversal_points_to_original",
            ),
            models.CheckConstraint(
                condition=Q(request__isnull=True) | Q(kind="disbursement"),
                name="entry_request_only_on_disbursement",
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["fund", "booked_on"], name="entry_fund_booked_idx"),
            # Reconciliation sums an account set's lines by entry kind up to a date: each line
            # finds its entry's kind and date in this index alone (index-only), so PostgreSQL
            # looks up a county's few thousand entries instead of hashing every entry.
            models.Index(fields=["id"], include=["kind", "booked_on"], name="entry_kind_booked_idx"),
        ]
        triggers = [
            pgtrigger.Protect(name="entry_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.amount}"


class Line(models.Model):
    """One side of an entry: a debit or a credit on one account. Append-only."""

    entry = models.ForeignKey(Entry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="lines"
    )
    debit = models.DecimalField(_("debit"), default=ZERO, **MONEY)
    credit = models.DecimalField(_("credit"), default=ZERO, **MONEY)

    class Meta:
        verbose_name = _("ledger line")
        verbose_name_plural = _("ledger lines")
        ordering = ["entry_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(debit__gte=0, credit__gte=0)
                & (Q(debit=0, credit__gt=0) | Q(debit__gt=0, credit=0)),
                name="line_one_side_positive",
            ),
        ]
        indexes = [
            # Ledger of one account with its running balance: WHERE account_id = … ORDER BY entry_id.
            models.Index(fields=["account", "entry"], name="line_account_entry_idx"),
        ]
        triggers = [
            pgtrigger.Protect(name="line_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            # The balance follows the lines; the CHECK on funds_account refuses going below zero.
            pgtrigger.Trigger(
                name="line_moves_balance",
                operation=pgtrigger.Insert,
                when=pgtrigger.After,
                func="""
                    UPDATE funds_account AS a
                       SET balance = a.balance + CASE WHEN a.kind = 'source'
                                                      THEN NEW.credit - NEW.debit
                                                      ELSE NEW.debit - NEW.credit END,
                           last_booked_on = GREATEST(a.last_booked_on, e.booked_on)
                      FROM funds_entry AS e
                     WHERE a.id = NEW.account_id AND e.id = NEW.entry_id;
                    IF NOT FOUND THEN
                        RAISE EXCEPTION 'funds_line: unknown account or entry';
                    END IF;
                    RETURN NULL;
                """,
            ),
            # Debits equal credits and the entry's amount, checked at commit (all lines are in by then).
            pgtrigger.Trigger(
                name="line_entry_balanced",
                operation=pgtrigger.Insert,
                when=pgtrigger.After,
                timing=pgtrigger.Deferred,
                func="""
                    IF NOT EXISTS (
                        SELECT 1 FROM funds_entry AS e
                         WHERE e.id = NEW.entry_id
                           AND e.amount = (SELECT COALESCE(SUM(l.debit), 0) FROM funds_line l WHERE l.entry_id = e.id)
                           AND e.amount = (SELECT COALESCE(SUM(l.credit), 0) FROM funds_line l WHERE l.entry_id = e.id)
                           AND NOT EXISTS (
                               SELECT 1 FROM funds_line l JOIN funds_account a ON a.id = l.account_id
                                WHERE l.entry_id = e.id AND a.fund_id <> e.fund_id)
                    ) THEN
                        RAISE EXCEPTION 'funds_entry %: debits, credits and amount differ, or lines of another fund', NEW.entry_id
                            USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    RETURN NULL;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} Dr {self.debit} Cr {self.credit}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("awaiting review")  # 待审核
    APPROVED = "approved", _("approved and paid")  # 已拨付
    REJECTED = "rejected", _("rejected")  # 已驳回
    REVERSED = "reversed", _("reversed")  # 已冲销


ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    RequestStatus.PENDING: {RequestStatus.APPROVED, RequestStatus.REJECTED},
    RequestStatus.APPROVED: {RequestStatus.REVERSED},
    RequestStatus.REJECTED: set(),
    RequestStatus.REVERSED: set(),
}


@tracked()
class DisbursementRequest(TimeStampedModel):
    """A request to pay (资金拨付申请): made by one finance officer, decided by another."""

    idempotency_key = models.CharField(
        _("idempotency key"), max_length=64, unique=True,
        help_text=_("Sending the same request again with this key pays once."),
    )  # fmt: skip
    from_account = models.ForeignKey(
        Account, verbose_name=_("paid from"), on_delete=models.PROTECT, related_name="requests"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="requests",
    )  # fmt: skip
    payee_kind = models.CharField(_("payee kind"), max_length=16, choices=PayeeKind.choices)
    household = models.ForeignKey(
        "households.Household", verbose_name=_("household"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="fund_requests",
    )  # fmt: skip
    payee_name = models.CharField(_("payee"), max_length=100)
    measure = models.ForeignKey(
        "assistance.Measure", verbose_name=_("assistance measure"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="fund_requests",
        help_text=_("The measure of the household's plan this payment carries out."),
    )  # fmt: skip
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    purpose = models.CharField(_("purpose"), max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    maker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("disbursement request")
        verbose_name_plural = _("disbursement requests")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("approve_disbursementrequest", _("Can approve disbursement requests (checker)")),
            ("reject_disbursementrequest", _("Can reject disbursement requests")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="request_amount_positive"),
            models.CheckConstraint(
                condition=Q(checker__isnull=True) | ~Q(checker=F("maker")), name="request_maker_is_not_checker"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", checker__isnull=True) | (~Q(status="pending") & Q(checker__isnull=False)),
                name="request_decided_iff_checker",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="request_rejection_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(payee_kind="household", household__isnull=False)
                | Q(payee_kind="organisation", household__isnull=True),
                name="request_household_iff_household_payee",
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(OpClass("region_id", name="varchar_pattern_ops"), name="request_region_prefix_idx"),
            # The checker's queue: pending requests, oldest first.
            models.Index(fields=["created_at"], condition=Q(status="pending"), name="request_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.payee_name} {self.amount}（{self.get_status_display()}）"
