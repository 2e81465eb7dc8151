"""Reconciliation (对账): budget, allocated, disbursed, reversed and balance of a fund, a county or
a project, summed from the ledger lines in exact decimals."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, Case, Exists, OuterRef, Sum, Value, When
from django.utils.translation import gettext as _

from core.models import Region

from ..models import HOLDING_KINDS, ZERO, AccountKind, Entry, EntryKind, Fund, Line, Project, RequestStatus
from .catalogue import account_list

# A household payment's statuses between its approval and the bank's answer.
AWAITING_BANK = (RequestStatus.APPROVED, RequestStatus.SENT)


@dataclass
class Reconciliation:
    """Budget, allocated, disbursed, reversed and balance of a set of holding accounts.

    Moves between the accounts of the set cancel out; `allocated` is what came in from outside
    the set (for a fund: what its pool passed down to counties and projects).
    balance = budget + allocated_in − allocated_out − disbursed + reversed (checked: `difference`).
    """

    label: str
    as_of: dt.date
    budget: Decimal = ZERO
    allocated: Decimal = ZERO
    allocated_in: Decimal = ZERO
    allocated_out: Decimal = ZERO
    disbursed: Decimal = ZERO
    reversed: Decimal = ZERO
    # Household payments approved (the money has left the account) that the bank has not yet
    # confirmed paid: not "disbursed" until its return file says so (issue 20.4).
    awaiting_bank: Decimal = ZERO
    balance: Decimal = ZERO
    accounts: list[dict] = field(default_factory=list)

    @property
    def expected_balance(self) -> Decimal:
        return (
            self.budget
            + self.allocated_in
            - self.allocated_out
            - self.disbursed
            - self.awaiting_bank
            + self.reversed
        )

    @property
    def disbursed_net(self) -> Decimal:
        return self.disbursed - self.reversed

    @property
    def difference(self) -> Decimal:
        return self.balance - self.expected_balance

    @property
    def is_reconciled(self) -> bool:
        return self.difference == 0

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "as_of": self.as_of,
            "budget": self.budget,
            "allocated": self.allocated,
            "allocated_in": self.allocated_in,
            "allocated_out": self.allocated_out,
            "disbursed": self.disbursed,
            "reversed": self.reversed,
            "awaiting_bank": self.awaiting_bank,
            "balance": self.balance,
            "difference": self.difference,
            "reconciled": self.is_reconciled,
        }


def reconciliation(
    *,
    actor,
    fund: Fund | None = None,
    county: Region | None = None,
    project: Project | None = None,
    as_of: dt.date | None = None,
) -> Reconciliation:
    """Reconcile the holding accounts of a fund, a county (its own and its projects') or a project.

    Only accounts inside the actor's scope count. Everything is summed from the ledger lines
    booked on or before `as_of`, in exact decimals.
    """
    from django.utils import timezone

    as_of = as_of or timezone.localdate()
    within = county.code if fund is None and county is not None else None
    accounts = account_list(actor=actor, kinds=HOLDING_KINDS, within=within)
    if fund is not None:
        accounts = accounts.filter(fund=fund)
        label = str(fund)
    elif county is not None:
        label = county.name
    elif project is not None:
        accounts = accounts.filter(project=project)
        label = project.name
    else:
        label = _("All funds in scope")
    holding = list(accounts.order_by("kind", "name"))
    account_ids = [a.pk for a in holding]
    result = Reconciliation(label=label, as_of=as_of)
    if not account_ids:
        return result

    # One grouped query: sums per account, entry kind and whether the entry's other side lies
    # outside the set (only asked for allocations and reversals, where it matters).
    other_side_inside = Exists(
        Line.objects.filter(entry_id=OuterRef("entry_id"), account_id__in=account_ids).exclude(
            account_id=OuterRef("account_id")
        )
    )
    rows = (
        Line.objects.filter(account_id__in=account_ids, entry__booked_on__lte=as_of)
        .annotate(
            external=Case(
                When(entry__kind__in=[EntryKind.ALLOCATION, EntryKind.REVERSAL], then=~other_side_inside),
                default=Value(None),
                output_field=BooleanField(null=True),
            )
        )
        .values("account_id", "entry__kind", "external")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .order_by()
    )
    pool_ids = {a.pk for a in holding if a.kind == AccountKind.FUND}
    per_account: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        kind, debit, credit, external = row["entry__kind"], row["d"], row["c"], row["external"]
        net = debit - credit
        per_account[row["account_id"]] += net
        if kind == EntryKind.BUDGET:
            result.budget += net
        elif kind == EntryKind.ALLOCATION:
            if external:
                result.allocated_in += debit
                result.allocated_out += credit
            if row["account_id"] in pool_ids:
                result.allocated += credit  # passed down by the fund pool
        elif kind == EntryKind.DISBURSEMENT:
            result.disbursed += credit
        elif kind == EntryKind.REVERSAL and external:
            result.reversed += net
    # Paid only when the bank says so: approved and sent household payments wait (one query).
    result.awaiting_bank = Entry.objects.filter(
        kind=EntryKind.DISBURSEMENT, booked_on__lte=as_of, request__from_account_id__in=account_ids,
        request__payee_kind="household", request__status__in=AWAITING_BANK,
    ).aggregate(s=Sum("amount"))["s"] or ZERO  # fmt: skip
    result.disbursed -= result.awaiting_bank
    if fund is None or not pool_ids:
        # A county's reader of a city fund holds no pool: what the fund allocated, for them, is
        # what reached their accounts (it was 0 beside the 4.7M they disbursed from it).
        result.allocated += result.allocated_in
    result.balance = sum(per_account.values(), ZERO)
    result.accounts = [{"account": a, "balance": per_account.get(a.pk, ZERO)} for a in holding]
    return result
