"""The double-entry ledger: accounts, entries and their lines. Append-only in the database.

Every movement of money is an `Entry` with two or more `Line`s whose debits equal their credits.
PostgreSQL itself enforces what must never break:

- ledger rows (entries and lines) refuse UPDATE and DELETE (pgtrigger.Protect); a mistake is
  corrected by a reversing entry that points to the original;
- an entry's debits equal its credits (a deferred constraint trigger, checked at commit);
- an account's `balance` is maintained by a trigger from its lines and has a CHECK >= 0, so no
  account can go below zero whatever writes it (the services also lock the accounts in id order
  and refuse with a readable message first);
- a request posts at most one entry and an entry is reversed at most once (UNIQUE).
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Region

from .catalogue import MONEY, ZERO, Fund, Project


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
