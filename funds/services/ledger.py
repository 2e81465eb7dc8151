"""Posting to the ledger: accounts, budget arrangement, allocation, reversal.

Every posting locks the accounts it touches in id order (so two postings never deadlock),
checks the balance that would go down, and inserts one entry with its lines. The database
moves the balances (trigger) and refuses a negative one (CHECK) as the last line of defence.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import actor_context
from core.exceptions import ConflictError, DomainError
from core.scoping import ensure_can_write
from core.templatetags.core_tags import yuan
from core.transitions import transition

from ..models import (
    HOLDING_KINDS,
    Account,
    AccountKind,
    DisbursementRequest,
    Entry,
    EntryKind,
    Fund,
    PayeeKind,
    Project,
    RequestStatus,
)

MAX_AMOUNT = Decimal("99999999999999.99")


class InsufficientFunds(DomainError):
    status_code = 409
    default_code = "insufficient_funds"


def money(value, *, field: str = "amount") -> Decimal:
    """Exact yuan: a positive decimal with at most two places (fen). Floats are refused."""
    if isinstance(value, float):
        raise DomainError(_("Give amounts as exact decimals, not floating-point numbers."), field=field)
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, AttributeError):
        raise DomainError(_("Enter an amount in yuan, e.g. 1234.56."), field=field) from None
    if not amount.is_finite():
        raise DomainError(_("Enter an amount in yuan, e.g. 1234.56."), field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("Amounts are in yuan with at most two decimals (fen)."), field=field)
    if amount <= 0:
        raise DomainError(_("The amount must be greater than zero."), field=field)
    if amount > MAX_AMOUNT:
        raise DomainError(_("The amount is too large."), field=field)
    return amount.quantize(Decimal("0.01"))


# --- accounts -------------------------------------------------------------------------------


def _get_or_create_account(*, lookup: dict, defaults: dict) -> Account:
    # The partial unique constraints make this safe under concurrency: a losing INSERT
    # raises IntegrityError inside get_or_create's savepoint and the winner's row is read.
    account, _created = Account.objects.get_or_create(**lookup, defaults=defaults)
    return account


def source_account(fund: Fund) -> Account:
    return _get_or_create_account(
        lookup={"fund": fund, "kind": AccountKind.SOURCE},
        defaults={"region_id": fund.region_id, "name": _("%(fund)s · budget source") % {"fund": fund.name}},
    )


def pool_account(fund: Fund) -> Account:
    return _get_or_create_account(
        lookup={"fund": fund, "kind": AccountKind.FUND},
        defaults={"region_id": fund.region_id, "name": _("%(fund)s · fund pool") % {"fund": fund.name}},
    )


def county_account(fund: Fund, county) -> Account:
    if county.level != "county":
        raise DomainError(_("Allocate to a county (6-digit code)."), field="county")
    return _get_or_create_account(
        lookup={"fund": fund, "kind": AccountKind.COUNTY, "region": county},
        defaults={"name": _("%(fund)s · %(county)s") % {"fund": fund.name, "county": county.name}},
    )


def project_account(fund: Fund, project: Project) -> Account:
    return _get_or_create_account(
        lookup={"fund": fund, "kind": AccountKind.PROJECT, "project": project},
        defaults={
            "region_id": project.region_id,
            "name": _("%(fund)s · %(project)s") % {"fund": fund.name, "project": project.name},
        },
    )


def household_payee_account(fund: Fund, household) -> Account:
    return _get_or_create_account(
        lookup={
            "fund": fund,
            "kind": AccountKind.PAYEE,
            "payee_kind": PayeeKind.HOUSEHOLD,
            "household": household,
        },
        defaults={
            "region_id": household.village_id,
            "payee_name": household.head_name,
            "name": _("Household %(file)s") % {"file": household.file_number},
        },
    )


def organisation_payee_account(fund: Fund, name: str, region_id: str) -> Account:
    return _get_or_create_account(
        lookup={
            "fund": fund,
            "kind": AccountKind.PAYEE,
            "payee_kind": PayeeKind.ORGANISATION,
            "payee_name": name,
        },
        defaults={"region_id": region_id, "name": name},
    )


# --- posting --------------------------------------------------------------------------------


def _booking_date(booked_on: dt.date | None) -> dt.date:
    today = timezone.localdate()
    if booked_on is None:
        return today
    if booked_on > today:
        raise DomainError(_("An entry cannot be booked on a future date."), field="booked_on")
    return booked_on


def post_entry(
    *,
    actor,
    kind: str,
    amount: Decimal,
    debit: Account,
    credit: Account,
    booked_on: dt.date | None = None,
    memo: str = "",
    reverses: Entry | None = None,
    request: DisbursementRequest | None = None,
) -> Entry:
    """Move `amount` from `credit` to `debit` as one balanced entry. Call inside a transaction
    (`transaction.atomic`): a refusal raises and must roll it back."""
    amount = money(amount)
    booked_on = _booking_date(booked_on)
    if debit.pk == credit.pk:
        raise DomainError(_("An entry needs two different accounts."))
    if debit.fund_id != credit.fund_id:
        raise DomainError(_("Both accounts of an entry must belong to the same fund."))
    now = timezone.now()
    params = {
        "debit": debit.pk, "credit": credit.pk, "amount": amount, "booked_on": booked_on,
        "fund": debit.fund_id, "kind": str(kind), "memo": memo[:200], "actor": actor.pk, "now": now,
        "reverses": getattr(reverses, "pk", None), "request": getattr(request, "pk", None),
    }  # fmt: skip
    try:
        with connection.cursor() as cursor:
            cursor.execute(_POST_ENTRY, params)
            rows = cursor.fetchall()
    except IntegrityError as exc:
        # Only reachable if the locks were bypassed: the CHECK or UNIQUE constraints held.
        raise ConflictError(_("The ledger refused this entry: %(error)s") % {"error": exc}) from exc
    entry_id = rows[0][3] if rows else None
    if entry_id is None:
        _refuse(rows, debit=debit, credit=credit, amount=amount, booked_on=booked_on)
    entry = Entry(
        id=entry_id, fund_id=debit.fund_id, kind=kind, amount=amount, booked_on=booked_on, memo=memo[:200],
        reverses=reverses, request=request, created_by=actor, created_at=now,
    )  # fmt: skip
    entry._state.adding = False
    entry._state.db = connection.alias
    return entry


# One statement, so the accounts stay locked for one round trip and the COMMIT, not four:
# - lock both accounts in id order (concurrent postings queue here instead of deadlocking, and
#   each sees the balance the previous one left), FOR NO KEY UPDATE (what the balance trigger's
#   UPDATE takes anyway), so the FOR KEY SHARE of other transactions' foreign-key checks (a new
#   request or line pointing at an account) neither waits for it nor makes it wait;
# - only then (the aggregate reads every locked row first) the entry takes its id, so per account
#   entry ids follow booking order, and it is inserted with its two lines only if the money is
#   there and the date is not before the account's last entry (the trigger moves the balances;
#   the CHECK balance >= 0 stays the last line of defence);
# - returns what the lock saw, so a refusal can say why.
_POST_ENTRY = """
WITH locked AS (
    SELECT id, kind, balance, last_booked_on FROM funds_account
     WHERE id IN (%(debit)s, %(credit)s) ORDER BY id FOR NO KEY UPDATE
), allowed AS (
    SELECT COUNT(*) = 2 AND bool_and(
               (last_booked_on IS NULL OR last_booked_on <= %(booked_on)s)
               AND NOT (balance < %(amount)s AND ((id = %(credit)s AND kind <> 'source')
                                                  OR (id = %(debit)s AND kind = 'source')))
           ) AS ok
      FROM locked
), entry AS (
    INSERT INTO funds_entry (fund_id, kind, amount, booked_on, memo, reverses_id, request_id,
                             created_by_id, created_at)
    SELECT %(fund)s, %(kind)s, %(amount)s, %(booked_on)s, %(memo)s, %(reverses)s, %(request)s,
           %(actor)s, %(now)s
      FROM allowed WHERE ok
    RETURNING id
), lines AS (
    INSERT INTO funds_line (entry_id, account_id, debit, credit)
    SELECT entry.id, v.account_id, v.debit, v.credit
      FROM entry,
           (VALUES (%(debit)s::bigint, %(amount)s::numeric, 0::numeric),
                   (%(credit)s::bigint, 0::numeric, %(amount)s::numeric)) AS v (account_id, debit, credit)
    RETURNING entry_id
)
SELECT locked.id, locked.balance, locked.last_booked_on, (SELECT id FROM entry), (SELECT COUNT(*) FROM lines)
  FROM locked
"""


def _refuse(rows, *, debit: Account, credit: Account, amount: Decimal, booked_on: dt.date):
    """Why the posting was refused, from the balances and dates the lock saw."""
    seen = {row[0]: (row[1], row[2]) for row in rows}
    if set(seen) != {debit.pk, credit.pk}:
        raise Account.DoesNotExist
    for account, goes_down in ((credit, not credit.is_credit_normal), (debit, debit.is_credit_normal)):
        balance, last_booked_on = seen[account.pk]
        if goes_down and balance < amount:
            raise InsufficientFunds(
                _("%(account)s has %(balance)s yuan; %(amount)s yuan cannot be taken from it.")
                % {"account": account.name, "balance": yuan(balance), "amount": yuan(amount)},
                field="amount",
            )
        if last_booked_on and booked_on < last_booked_on:
            raise DomainError(
                _("%(account)s already has entries up to %(date)s; book on that date or later.")
                % {"account": account.name, "date": last_booked_on.isoformat()},
                field="booked_on",
            )
    raise RuntimeError("the posting was refused by a rule not mirrored here")  # the two agree


@transaction.atomic
def budget_arrange(*, actor, fund: Fund, amount, booked_on: dt.date | None = None, memo: str = "") -> Entry:
    """预算安排: the fund receives its budget (debit the fund pool, credit the budget source)."""
    ensure_can_write(actor, fund.region_id)
    amount = money(amount)
    with actor_context(actor):
        return post_entry(
            actor=actor, kind=EntryKind.BUDGET, amount=amount, debit=pool_account(fund),
            credit=source_account(fund), booked_on=booked_on, memo=memo or _("Budget arrangement"),
        )  # fmt: skip


@transaction.atomic
def allocate_to_county(
    *, actor, fund: Fund, county, amount, booked_on: dt.date | None = None, memo: str = ""
) -> Entry:
    """资金下达: from the fund pool down to a county."""
    ensure_can_write(actor, fund.region_id)
    amount = money(amount)
    if not county.code.startswith(fund.region.prefix):
        raise DomainError(_("The county is not within the region holding the fund."), field="county")
    pool = pool_account(fund)
    target = county_account(fund, county)
    return post_entry(
        actor=actor, kind=EntryKind.ALLOCATION, amount=amount, debit=target, credit=pool,
        booked_on=booked_on, memo=memo or _("Allocation to %(county)s") % {"county": county.name},
    )  # fmt: skip


@transaction.atomic
def allocate_to_project(
    *,
    actor,
    from_account: Account,
    project: Project,
    amount,
    booked_on: dt.date | None = None,
    memo: str = "",
) -> Entry:
    """资金下达: from the fund pool or a county allocation to a project."""
    ensure_can_write(actor, from_account.region_id)
    amount = money(amount)
    if from_account.kind not in (AccountKind.FUND, AccountKind.COUNTY):
        raise DomainError(
            _("Projects are funded from a fund pool or a county allocation."), field="from_account"
        )
    if from_account.kind == AccountKind.COUNTY and project.county_id != from_account.region_id:
        raise DomainError(_("A county allocation can fund only projects in that county."), field="project")
    if not project.region_id.startswith(from_account.region.prefix):
        raise DomainError(_("The project is not within the region of the account."), field="project")
    target = project_account(from_account.fund, project)
    return post_entry(
        actor=actor, kind=EntryKind.ALLOCATION, amount=amount, debit=target, credit=from_account,
        booked_on=booked_on, memo=memo or _("Allocation to project %(project)s") % {"project": project.name},
    )  # fmt: skip


def entry_owner_region(entry: Entry) -> str:
    """Whose entry it is: the region of the account the money left (the pool for a budget)."""
    lines = list(entry.lines.select_related("account"))
    giver = next(line.account for line in lines if line.credit > 0)
    if giver.kind == AccountKind.SOURCE:
        giver = next(line.account for line in lines if line.debit > 0)
    return giver.region_id


@transaction.atomic
def entry_reverse(*, actor, entry: Entry, reason: str, booked_on: dt.date | None = None) -> Entry:
    """冲销: a new entry with debits and credits swapped, pointing to the original. Both stay."""
    ensure_can_write(actor, entry_owner_region(entry))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the reversal."), field="reason")
    if entry.kind == EntryKind.REVERSAL:
        raise DomainError(_("A reversal cannot itself be reversed; post a new entry instead."), field="entry")
    request = None
    if entry.request_id:
        # Same lock order as approval: the request first, then the accounts.
        request = DisbursementRequest.objects.select_for_update().get(pk=entry.request_id)
    lines = list(entry.lines.select_related("account").order_by("id"))
    debit = next(line.account for line in lines if line.credit > 0)
    credit = next(line.account for line in lines if line.debit > 0)
    # Lock the accounts before looking for an earlier reversal: a concurrent reversal has
    # either committed (we see it) or waits behind us.
    list(Account.objects.select_for_update(no_key=True).filter(pk__in=[debit.pk, credit.pk]).order_by("pk"))
    if Entry.objects.filter(reverses=entry).exists():
        raise ConflictError(_("This entry has already been reversed."), field="entry")
    booked_on = _booking_date(booked_on)
    with actor_context(actor):
        reversal = post_entry(
            actor=actor, kind=EntryKind.REVERSAL, amount=entry.amount, debit=debit, credit=credit,
            booked_on=booked_on, memo=_("Reversal of #%(id)s: %(reason)s") % {"id": entry.pk, "reason": reason},
            reverses=entry,
        )  # fmt: skip
        if request is not None:
            # The request row is already locked above (request first, then the accounts):
            # `transition` re-reads it under that lock and writes the status-change row.
            transition(request, RequestStatus.REVERSED, actor=actor, note=reason)
    return reversal


def holding_kinds() -> tuple[str, ...]:
    return tuple(str(k) for k in HOLDING_KINDS)
