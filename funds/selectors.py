"""Reads of the funds app. Every selector that takes an actor applies the scoping rule once.

Scope of each row: a fund by the region holding it, a project by its village (else county),
an account by its region, an entry or request by the accounts it touches.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Region
from core.scoping import scope, scope_prefix

from .models import (
    HOLDING_KINDS,
    ZERO,
    Account,
    AccountKind,
    DisbursementRequest,
    Entry,
    EntryKind,
    Fund,
    Line,
    PayeeKind,
    Project,
    RequestStatus,
)

MONEY_FIELD = DecimalField(max_digits=18, decimal_places=2)


# --- funds, projects, accounts --------------------------------------------------------------


def fund_list(*, actor, year: int | None = None, source: str | None = None) -> QuerySet[Fund]:
    """Funds the actor's region holds, or in which it holds an account (a county sees city funds it received)."""
    prefix = scope_prefix(actor)
    qs = Fund.objects.select_related("region")
    if prefix is None:
        return qs.none()
    if prefix:
        in_scope_account = Account.objects.filter(fund=OuterRef("pk"), region__code__startswith=prefix)
        qs = qs.filter(Q(region__code__startswith=prefix) | Exists(in_scope_account))
    if year:
        qs = qs.filter(fiscal_year=year)
    if source:
        qs = qs.filter(source=source)
    return qs.order_by("-fiscal_year", "code")


def fund_get(*, actor, pk: int) -> Fund:
    return get_object_or_404(fund_list(actor=actor), pk=pk)


def project_list(*, actor, search: str = "", county: str = "", kind: str = "") -> QuerySet[Project]:
    qs = scope(Project.objects.select_related("county", "village"), actor=actor, field="region_id")
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__iexact=search) | Q(winner__icontains=search))
    if county:
        qs = qs.filter(county_id=county)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("county_id", "code")


def project_get(*, actor, pk: int) -> Project:
    return get_object_or_404(project_list(actor=actor), pk=pk)


def account_list(*, actor, fund: Fund | None = None, kinds=None) -> QuerySet[Account]:
    qs = scope(Account.objects.select_related("fund", "region", "project"), actor=actor, field="region_id")
    if fund is not None:
        qs = qs.filter(fund=fund)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.order_by("fund_id", "kind", "id")


def account_get(*, actor, pk: int) -> Account:
    return get_object_or_404(account_list(actor=actor), pk=pk)


def payable_accounts(*, actor) -> QuerySet[Account]:
    """Accounts a disbursement may be paid from: county allocations and projects in scope."""
    return account_list(actor=actor, kinds=[AccountKind.COUNTY, AccountKind.PROJECT]).order_by(
        "-fund__fiscal_year", "name"
    )


# --- ledger ---------------------------------------------------------------------------------


def account_ledger(
    *,
    actor,
    account: Account,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    after_entry: int | None = None,
) -> tuple[Decimal, QuerySet[Line]]:
    """The account's opening balance and its lines in booking order, each with the running
    balance after it.

    Per account, entry ids grow with booking dates (a posting may not be booked before the
    account's last entry, and it holds the account's lock), so `after_entry` is a keyset cursor.
    """
    account = account_get(actor=actor, pk=account.pk)
    sign = -1 if account.kind == AccountKind.SOURCE else 1
    lines = Line.objects.filter(account=account)
    opening = ZERO
    cut = Q()
    if date_from:
        cut |= Q(entry__booked_on__lt=date_from)
    if after_entry:
        cut |= Q(entry_id__lte=after_entry)
    if cut:
        before = lines.filter(cut).aggregate(
            d=Coalesce(Sum("debit"), Value(ZERO), output_field=MONEY_FIELD),
            c=Coalesce(Sum("credit"), Value(ZERO), output_field=MONEY_FIELD),
        )
        opening = (before["d"] - before["c"]) * sign
        lines = lines.exclude(cut)
    if date_to:
        lines = lines.filter(entry__booked_on__lte=date_to)
    delta = (F("debit") - F("credit")) * Value(sign)
    running = Window(
        Sum(delta, output_field=MONEY_FIELD), order_by=[F("entry__booked_on").asc(), F("entry_id").asc()]
    )
    qs = (
        lines.select_related("entry", "entry__request", "entry__reverses", "entry__created_by")
        .annotate(delta=delta, running_balance=running + Value(opening, output_field=MONEY_FIELD))
        .order_by("entry__booked_on", "entry_id")
    )
    return opening, qs


def entry_list(*, actor, fund: Fund | None = None, kind: str = "") -> QuerySet[Entry]:
    prefix = scope_prefix(actor)
    qs = Entry.objects.select_related("fund", "created_by", "reverses", "request")
    if prefix is None:
        return qs.none()
    if prefix:
        qs = qs.filter(
            Exists(Line.objects.filter(entry=OuterRef("pk"), account__region__code__startswith=prefix))
        )
    if fund is not None:
        qs = qs.filter(fund=fund)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-booked_on", "-id")


def entry_get(*, actor, pk: int) -> Entry:
    return get_object_or_404(entry_list(actor=actor), pk=pk)


def request_list(*, actor, status: str = "", project: Project | None = None) -> QuerySet[DisbursementRequest]:
    qs = scope(
        DisbursementRequest.objects.select_related(
            "from_account", "from_account__fund", "project", "household", "maker", "checker", "entry"
        ),
        actor=actor,
        field="region_id",
    )
    if status:
        qs = qs.filter(status=status)
    if project is not None:
        qs = qs.filter(project=project)
    return qs.order_by("-created_at", "-id")


def request_get(*, actor, pk: int) -> DisbursementRequest:
    return get_object_or_404(request_list(actor=actor), pk=pk)


# --- reconciliation -------------------------------------------------------------------------


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
    balance: Decimal = ZERO
    accounts: list[dict] = field(default_factory=list)

    @property
    def expected_balance(self) -> Decimal:
        return self.budget + self.allocated_in - self.allocated_out - self.disbursed + self.reversed

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
    accounts = account_list(actor=actor, kinds=HOLDING_KINDS)
    if fund is not None:
        accounts = accounts.filter(fund=fund)
        label = str(fund)
    elif county is not None:
        accounts = accounts.filter(region__code__startswith=county.prefix)
        label = county.name
    elif project is not None:
        accounts = accounts.filter(project=project)
        label = project.name
    else:
        label = _("All funds in scope")
    account_ids = set(accounts.values_list("pk", flat=True))
    result = Reconciliation(label=label, as_of=as_of)
    if not account_ids:
        return result

    lines = Line.objects.filter(entry__booked_on__lte=as_of)
    mine = lines.filter(account_id__in=account_ids).values(
        "entry_id", "entry__kind", "account_id", "debit", "credit"
    )
    entry_ids = {row["entry_id"] for row in mine}
    # The other side of each entry: is the counterpart inside the set (an internal move)?
    counterparts: dict[int, list[tuple[int, Decimal, Decimal, str]]] = defaultdict(list)
    for row in lines.filter(entry_id__in=entry_ids).values(
        "entry_id", "account_id", "debit", "credit", "account__kind"
    ):
        counterparts[row["entry_id"]].append(
            (row["account_id"], row["debit"], row["credit"], row["account__kind"])
        )

    pool_ids = set(accounts.filter(kind=AccountKind.FUND).values_list("pk", flat=True))
    per_account: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in mine:
        kind, debit, credit = row["entry__kind"], row["debit"], row["credit"]
        net = debit - credit
        per_account[row["account_id"]] += net
        others = [c for c in counterparts[row["entry_id"]] if c[0] != row["account_id"]]
        external = all(c[0] not in account_ids for c in others)
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
    if fund is None:
        result.allocated += result.allocated_in
    result.balance = sum(per_account.values(), ZERO)
    result.accounts = [
        {"account": a, "balance": per_account.get(a.pk, ZERO)} for a in accounts.order_by("kind", "name")
    ]
    return result


# --- flags ----------------------------------------------------------------------------------


@dataclass
class Flag:
    code: str
    message: str
    amount: Decimal
    booked_on: dt.date | None = None
    entry_id: int | None = None
    request_id: int | None = None
    project_id: int | None = None


FLAG_LABELS = {
    "household_not_registered": gettext_lazy("payment to a household that is not registered (在册)"),
    "above_measure_plan": gettext_lazy("payments above the measure's planned amount"),
    "over_contract": gettext_lazy("project paid beyond its contract amount"),
    "duplicate_payment": gettext_lazy("same payee paid the same amount twice within 30 days"),
}

DUPLICATE_WINDOW_DAYS = 30


def _live_disbursements(actor, as_of: dt.date | None):
    """Disbursement entries in scope that have not been reversed."""
    # NOT EXISTS, not `reversed_by__isnull=True`: PostgreSQL estimates that LEFT JOIN … IS NULL at one
    # row and loops over every disbursement of the province (reconciliation of a county at 1M
    # households: 0.8 s → 0.07 s; see README "Performance").
    not_reversed = ~Exists(Entry.objects.filter(reverses=OuterRef("pk")))
    qs = entry_list(actor=actor, kind=EntryKind.DISBURSEMENT).filter(not_reversed)
    if as_of:
        qs = qs.filter(booked_on__lte=as_of)
    return qs.select_related("request", "request__household", "request__project")


def fund_flags(*, actor, as_of: dt.date | None = None) -> list[Flag]:
    """Everything reconciliation should draw an auditor's eye to, in the actor's scope."""
    from households.models import HouseholdStatus

    flags: list[Flag] = []
    payments = list(_live_disbursements(actor, as_of).order_by("booked_on", "id"))

    for entry in payments:
        request = entry.request
        if (
            request
            and request.payee_kind == PayeeKind.HOUSEHOLD
            and request.household.status != HouseholdStatus.REGISTERED
        ):
            flags.append(
                Flag(
                    "household_not_registered",
                    _("%(payee)s (%(file)s) was paid but the household is %(status)s, not registered.")
                    % {
                        "payee": request.payee_name,
                        "file": request.household.file_number,
                        "status": request.household.get_status_display(),
                    },
                    entry.amount,
                    entry.booked_on,
                    entry.pk,
                    request.pk,
                    request.project_id,
                )
            )

    paid_by_project: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for entry in payments:
        if entry.request and entry.request.project_id:
            paid_by_project[entry.request.project_id] += entry.amount
    contracted = Project.objects.filter(pk__in=paid_by_project, contract_amount__isnull=False)
    for project in contracted:
        paid = paid_by_project[project.pk]
        if paid > project.contract_amount:
            flags.append(
                Flag(
                    "over_contract",
                    _(
                        "%(project)s has been paid %(paid)s yuan, more than its contract amount of %(contract)s yuan."
                    )
                    % {
                        "project": project.name,
                        "paid": f"{paid:,.2f}",
                        "contract": f"{project.contract_amount:,.2f}",
                    },
                    paid - project.contract_amount,
                    None,
                    None,
                    None,
                    project.pk,
                )
            )

    flags += _measure_flags(payments)

    last_by_payee: dict[tuple, list[Entry]] = defaultdict(list)
    for entry in payments:
        request = entry.request
        if request is None:
            continue
        payee = (request.payee_kind, request.household_id or request.payee_name)
        key = (*payee, entry.amount)
        for earlier in last_by_payee[key]:
            if (entry.booked_on - earlier.booked_on).days <= DUPLICATE_WINDOW_DAYS:
                flags.append(
                    Flag(
                        "duplicate_payment",
                        _("%(payee)s was paid %(amount)s yuan on %(first)s and again on %(second)s.")
                        % {
                            "payee": request.payee_name,
                            "amount": f"{entry.amount:,.2f}",
                            "first": earlier.booked_on.isoformat(),
                            "second": entry.booked_on.isoformat(),
                        },
                        entry.amount,
                        entry.booked_on,
                        entry.pk,
                        request.pk,
                        request.project_id,
                    )
                )
                break
        last_by_payee[key].append(entry)
    return flags


def _measure_flags(payments: list[Entry]) -> list[Flag]:
    """Payments above the assistance measure's planned amount (`Measure.funds_needed`)."""
    if not hasattr(DisbursementRequest, "measure"):
        return []  # the link to assistance.Measure is not in place yet
    paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for entry in payments:
        measure_id = getattr(entry.request, "measure_id", None) if entry.request else None
        if measure_id:
            paid[measure_id] += entry.amount
    if not paid:
        return []
    from assistance.models import Measure

    flags = []
    for measure in Measure.objects.filter(pk__in=paid):
        if paid[measure.pk] > measure.funds_needed:
            flags.append(
                Flag(
                    "above_measure_plan",
                    _("Measure “%(measure)s” planned %(planned)s yuan and has been paid %(paid)s yuan.")
                    % {
                        "measure": measure.title,
                        "planned": f"{measure.funds_needed:,.2f}",
                        "paid": f"{paid[measure.pk]:,.2f}",
                    },
                    paid[measure.pk] - measure.funds_needed,
                )
            )
    return flags


# --- public disclosure ----------------------------------------------------------------------


def _mask_name(name: str) -> str:
    """王秀英 → 王*英, 王英 → 王*: personal names are not published in full."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def village_fund_disclosure(*, village_code: str) -> list[dict]:
    """公告公示 of fund use in one village, for the public notice board. Public: no actor.

    Paid disbursements (not reversed) to the village's projects and households: project,
    amount, payee kind, date. Household payees are masked; enterprises are named.
    """
    payments = (
        Entry.objects.filter(kind=EntryKind.DISBURSEMENT, reversed_by__isnull=True, request__isnull=False)
        .filter(Q(request__project__village_id=village_code) | Q(request__household__village_id=village_code))
        .select_related("request", "request__project", "fund")
        .order_by("-booked_on", "-id")
    )
    rows = []
    for entry in payments:
        request = entry.request
        household = request.payee_kind == PayeeKind.HOUSEHOLD
        rows.append(
            {
                "date": entry.booked_on,
                "project": request.project.name if request.project_id else "",
                "fund": entry.fund.name,
                "purpose": request.purpose,
                "amount": entry.amount,
                "payee_kind": request.payee_kind,
                "payee_kind_label": request.get_payee_kind_display(),
                "payee": _mask_name(request.payee_name) if household else request.payee_name,
            }
        )
    return rows


# --- figures for lists ----------------------------------------------------------------------


def project_paid_totals(project_ids) -> dict[int, Decimal]:
    """Net paid per project (disbursements minus their reversals), for list pages in one query."""
    rows = (
        Entry.objects.filter(kind=EntryKind.DISBURSEMENT, request__project_id__in=list(project_ids))
        .values("request__project_id")
        .annotate(
            paid=Coalesce(
                Sum(Case(When(reversed_by__isnull=True, then=F("amount")), default=Value(ZERO))),
                Value(ZERO),
                output_field=MONEY_FIELD,
            ),
            n=Count("id"),
        )
    )
    return {row["request__project_id"]: row["paid"] for row in rows}


def pending_count(*, actor) -> int:
    return request_list(actor=actor, status=RequestStatus.PENDING).count()
