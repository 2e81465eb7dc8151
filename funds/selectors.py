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
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
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
from core.pii import mask_name
from core.scoping import scope, scope_depth, scope_q, scope_sql

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
    qs = Fund.objects.select_related("region")
    depth = scope_depth(actor)
    if depth is None:
        return qs.none()
    if depth:
        # IN over the region's accounts (account_region_prefix_idx), not an EXISTS per fund: that
        # read every account of each fund (at 1M households, 18 × 10,000 rows: 148 ms → 3 ms).
        funds_with_accounts = scope(Account.objects.all(), actor=actor, field="region_id").values("fund_id")
        qs = qs.filter(scope_q(actor, "region_id") | Q(pk__in=funds_with_accounts))
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


def account_list(
    *, actor, fund: Fund | None = None, kinds=None, within: str | None = None
) -> QuerySet[Account]:
    """`within`: a region (code) the list is narrowed to, inside the scope (core.scoping.scope)."""
    accounts = Account.objects.select_related("fund", "region", "project")
    qs = scope(accounts, actor=actor, field="region_id", within=within)
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
    # Booking order is entry id order (see above), so both the window and the page follow
    # line_account_entry_idx: a page reads its 100 lines, not every line of the account joined to
    # its entry and sorted by date (a county account at 1M households: 136 ms → 1 ms).
    running = Window(Sum(delta, output_field=MONEY_FIELD), order_by=[F("entry_id").asc()])
    # The entries are fetched for the page's lines only (one query): joined in the same query,
    # PostgreSQL walked the entry primary key from the account's first entry (a merge join).
    entries = Prefetch("entry", queryset=Entry.objects.select_related("request", "reverses", "created_by"))
    qs = (
        lines.prefetch_related(entries)
        .annotate(delta=delta, running_balance=running + Value(opening, output_field=MONEY_FIELD))
        .order_by("entry_id")
    )
    return opening, qs


def entry_list(*, actor, fund: Fund | None = None, kind: str = "") -> QuerySet[Entry]:
    qs = Entry.objects.select_related("fund", "created_by", "reverses", "request")
    depth = scope_depth(actor)
    if depth is None:
        return qs.none()
    if depth:
        lines = scope(Line.objects.filter(entry=OuterRef("pk")), actor=actor, field="account__region_id")
        qs = qs.filter(Exists(lines))
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
    if fund is None:
        result.allocated += result.allocated_in
    result.balance = sum(per_account.values(), ZERO)
    result.accounts = [{"account": a, "balance": per_account.get(a.pk, ZERO)} for a in holding]
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


def _live_payments(actor, as_of: dt.date | None) -> tuple[str, dict] | None:
    """The CTE `live`: disbursement entries in scope, not reversed, with their request.

    In scope = the entry has a line on an account of the actor's region (as `entry_list`).
    Only paid requests can raise a flag, so entries without a request are left out.
    None when the actor sees nothing.
    """
    depth = scope_depth(actor)
    if depth is None:
        return None
    where, params = ["e.kind = 'disbursement'"], {}
    if depth:
        # A semi-join from the region's accounts (account_region_prefix_idx, then
        # line_account_entry_idx), not a correlated EXISTS over every payment of the province.
        clause, params = scope_sql(actor, "a.region_id", name="scope")
        where.append(  # the clause comes from core.scoping, its values are parameters
            "e.id IN (SELECT l.entry_id FROM funds_line l JOIN funds_account a ON a.id = l.account_id"  # noqa: S608
            f" WHERE {clause})"
        )
    if as_of:
        where.append("e.booked_on <= %(as_of)s")
        params["as_of"] = as_of
    cte = f"""live AS (
        SELECT e.id AS entry_id, e.amount, e.booked_on, r.id AS request_id, r.payee_kind,
               r.household_id, r.payee_name, r.project_id, r.measure_id
          FROM funds_entry e JOIN funds_disbursementrequest r ON r.id = e.request_id
         WHERE {" AND ".join(where)}
           AND NOT EXISTS (SELECT 1 FROM funds_entry x WHERE x.reverses_id = e.id))"""  # noqa: S608 - constant SQL fragments, values are parameters
    return cte, params


# Each live payment with its two per-payment flags. A payee is a household (by id) or an
# organisation (by name). "Paid twice": the payment just before it (same payee and amount, in
# booking order) is at most DUPLICATE_WINDOW_DAYS older; `first_on` is the oldest such payment.
_MARKED = """marked AS (
    SELECT live.*, h.file_number, h.status AS household_status,
           LAG(live.booked_on) OVER (
               PARTITION BY live.payee_kind, live.household_id,
                            CASE WHEN live.household_id IS NULL THEN live.payee_name END, live.amount
               ORDER BY live.booked_on, live.entry_id) AS previous_on,
           MIN(live.booked_on) OVER (
               PARTITION BY live.payee_kind, live.household_id,
                            CASE WHEN live.household_id IS NULL THEN live.payee_name END, live.amount
               ORDER BY live.booked_on
               RANGE BETWEEN %(window)s::interval PRECEDING AND CURRENT ROW) AS first_on
      FROM live LEFT JOIN households_household h ON h.id = live.household_id
), flagged AS (
    SELECT marked.*,
           (payee_kind = 'household' AND household_status <> 'registered') AS not_registered,
           (previous_on IS NOT NULL AND booked_on - previous_on <= %(days)s) AS duplicate
      FROM marked
)"""


def _run(sql: str, params: dict) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _window_params() -> dict:
    return {"window": f"{DUPLICATE_WINDOW_DAYS} days", "days": DUPLICATE_WINDOW_DAYS}


@dataclass
class FlagCount:
    code: str
    label: str
    count: int
    amount: Decimal


# Projects paid beyond their contract and measures beyond their plan: (id, name, paid, limit).
_TOTALS = """over_contract AS (
    SELECT p.id, p.name, t.paid, p.contract_amount AS cap
      FROM (SELECT project_id, SUM(amount) AS paid FROM live
             WHERE project_id IS NOT NULL GROUP BY project_id) t
      JOIN funds_project p ON p.id = t.project_id
     WHERE p.contract_amount IS NOT NULL AND t.paid > p.contract_amount
), above_plan AS (
    SELECT m.id, m.title AS name, t.paid, m.funds_needed AS cap
      FROM (SELECT measure_id, SUM(amount) AS paid FROM live
             WHERE measure_id IS NOT NULL GROUP BY measure_id) t
      JOIN assistance_measure m ON m.id = t.measure_id
     WHERE t.paid > m.funds_needed
)"""


@dataclass
class FlagReport:
    counts: list[FlagCount]
    totals: list[Flag]  # raised by totals: projects over contract, measures above plan
    flags: list[Flag]  # raised by single payments, one page of them in booking order
    next_after: tuple[dt.date, int] | None  # keyset cursor of the next page, None on the last


_PAD = "NULL::bigint, NULL::numeric, NULL::date, NULL::bigint, NULL::bigint, NULL::varchar, NULL::varchar, NULL::varchar, NULL::boolean, NULL::boolean, NULL::date"


def flag_report(
    *,
    actor,
    as_of: dt.date | None = None,
    after: tuple[dt.date, int] | None = None,
    limit: int | None = None,
) -> FlagReport:
    """Flags in the actor's scope, in one query (the payments in scope are found once): how many
    of each kind and their amounts, the flags raised by totals, and the flags raised by single
    payments (household not registered, paid twice) in booking order, keyset-paginated over the
    flagged payments: `after` = (booked_on, entry id) of the last payment already shown."""
    counts = dict.fromkeys(FLAG_LABELS, (0, ZERO))
    live = _live_payments(actor, as_of)
    if live is None:
        return FlagReport([FlagCount(c, str(FLAG_LABELS[c]), 0, ZERO) for c in FLAG_LABELS], [], [], None)
    cte, params = live
    params = {**params, **_window_params()}
    where = "not_registered OR duplicate"
    if after:
        where = f"({where}) AND (booked_on, entry_id) > (%(after_on)s, %(after_id)s)"
        params.update(after_on=after[0], after_id=after[1])
    tail = ""
    if limit:
        tail = "LIMIT %(limit)s"
        params["limit"] = limit + 1
    rows = _run(
        f"""WITH {cte}, {_MARKED}, {_TOTALS},
        page AS (SELECT * FROM flagged WHERE {where} ORDER BY booked_on, entry_id {tail})
        SELECT 'household_not_registered', NULL::bigint, NULL::varchar, COUNT(*)::numeric,
               COALESCE(SUM(amount), 0), {_PAD}
          FROM flagged WHERE not_registered
        UNION ALL
        SELECT 'duplicate_payment', NULL, NULL, COUNT(*)::numeric, COALESCE(SUM(amount), 0), {_PAD}
          FROM flagged WHERE duplicate
        UNION ALL
        SELECT 'over_contract', id, name, paid, cap, {_PAD} FROM over_contract
        UNION ALL
        SELECT 'above_measure_plan', id, name, paid, cap, {_PAD} FROM above_plan
        UNION ALL
        SELECT 'page', NULL, NULL, NULL, NULL, entry_id, amount, booked_on, request_id, project_id,
               payee_name, file_number, household_status, not_registered, duplicate, first_on
          FROM page""",  # noqa: S608 - constant SQL fragments, values are parameters
        params,
    )
    raised_by_totals, page = [], []
    for row in rows:
        code, pk, name, value, cap = row[:5]
        if code == "page":
            page.append(row[5:])
        elif pk is None:
            counts[code] = (int(value), cap)
        else:
            raised_by_totals.append((code != "over_contract", pk, code, name, value, cap))
    totals = [_total_flag(code, pk, *rest) for _first, pk, code, *rest in sorted(raised_by_totals)]
    for code in ("over_contract", "above_measure_plan"):
        mine = [f.amount for f in totals if f.code == code]
        counts[code] = (len(mine), sum(mine, ZERO))
    page.sort(key=lambda r: (r[2], r[0]))  # booked_on, entry id
    more = bool(limit) and len(page) > limit
    page = page[:limit] if limit else page
    return FlagReport(
        [FlagCount(code, str(FLAG_LABELS[code]), *counts[code]) for code in FLAG_LABELS],
        totals,
        _payment_flag_objects(page),
        (page[-1][2], page[-1][0]) if more else None,
    )


def flag_overview(*, actor, as_of: dt.date | None = None) -> tuple[list[FlagCount], list[Flag]]:
    report = flag_report(actor=actor, as_of=as_of, limit=1)
    return report.counts, report.totals


def flag_summary(*, actor, as_of: dt.date | None = None) -> list[FlagCount]:
    return flag_overview(actor=actor, as_of=as_of)[0]


def total_flags(*, actor, as_of: dt.date | None = None) -> list[Flag]:
    """Flags raised by totals: a project paid beyond its contract, a measure beyond its plan."""
    return flag_overview(actor=actor, as_of=as_of)[1]


def _total_flag(code: str, pk: int, name: str, paid: Decimal, cap: Decimal) -> Flag:
    if code == "over_contract":
        message = _(
            "%(project)s has been paid %(paid)s yuan, more than its contract amount of %(contract)s yuan."
        ) % {"project": name, "paid": f"{paid:,.2f}", "contract": f"{cap:,.2f}"}
        return Flag(code, message, paid - cap, None, None, None, pk)
    message = _("Measure “%(measure)s” planned %(planned)s yuan and has been paid %(paid)s yuan.") % {
        "measure": name,
        "planned": f"{cap:,.2f}",
        "paid": f"{paid:,.2f}",
    }
    return Flag(code, message, paid - cap)


def payment_flags(
    *,
    actor,
    as_of: dt.date | None = None,
    after: tuple[dt.date, int] | None = None,
    limit: int | None = None,
) -> tuple[list[Flag], tuple[dt.date, int] | None]:
    """Flags raised by single payments, in booking order, and the cursor of the next page."""
    report = flag_report(actor=actor, as_of=as_of, after=after, limit=limit)
    return report.flags, report.next_after


def _payment_flag_objects(rows) -> list[Flag]:
    from households.models import HouseholdStatus

    status_label = dict(HouseholdStatus.choices)
    flags = []
    for row in rows:
        entry_id, amount, booked_on, request_id, project_id, payee, file_number, status = row[:8]
        unregistered, twice, first_on = row[8:]
        common = {
            "amount": amount,
            "booked_on": booked_on,
            "entry_id": entry_id,
            "request_id": request_id,
            "project_id": project_id,
        }
        if unregistered:
            message = _("%(payee)s (%(file)s) was paid but the household is %(status)s, not registered.") % {
                "payee": payee,
                "file": file_number,
                "status": status_label.get(status, status),
            }
            flags.append(Flag("household_not_registered", message, **common))
        if twice:
            message = _("%(payee)s was paid %(amount)s yuan on %(first)s and again on %(second)s.") % {
                "payee": payee,
                "amount": f"{amount:,.2f}",
                "first": first_on.isoformat(),
                "second": booked_on.isoformat(),
            }
            flags.append(Flag("duplicate_payment", message, **common))
    return flags


def fund_flags(*, actor, as_of: dt.date | None = None) -> list[Flag]:
    """Everything reconciliation should draw an auditor's eye to, in the actor's scope (all of it:
    the API and the Excel export; the page shows a `flag_report` a page at a time).

    Order: payments to households not registered, projects over contract, measures above plan,
    payments made twice."""
    report = flag_report(actor=actor, as_of=as_of)
    return (
        [f for f in report.flags if f.code == "household_not_registered"]
        + report.totals
        + [f for f in report.flags if f.code == "duplicate_payment"]
    )


# --- public disclosure ----------------------------------------------------------------------


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
                "payee": mask_name(request.payee_name) if household else request.payee_name,
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
