"""Flags for auditors: payments to households that are not registered (在册), payments made twice,
projects paid beyond their contract and measures beyond their plan — in one query per report.

"Not registered" is the fund error's definition (funds.selectors.errors): off the register when
paid, a payment a policy still grants after exit (脱贫不脱政策) excepted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.scoping import scope_depth, scope_sql

from ..models import ZERO
from .errors import paid_off_register_sql


@dataclass
class Flag:
    code: str
    message: str
    amount: Decimal
    booked_on: dt.date | None = None
    entry_id: int | None = None
    request_id: int | None = None
    project_id: int | None = None
    measure_id: int | None = None


FLAG_LABELS = {
    "household_not_registered": gettext_lazy("payment to a household that is not registered (在册)"),
    "above_measure_plan": gettext_lazy("payments above the measure's planned amount"),
    "over_contract": gettext_lazy("project paid beyond its contract amount"),
    "over_approved": gettext_lazy("project paid beyond its investment review's approved amount"),
    "before_contract": gettext_lazy("project paid before its contract was signed"),
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
               r.household_id, r.payee_name, r.project_id, r.measure_id, r.decided_at, r.payee_id
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
           (household_status NOT IN ('registered', 'returned') AND {OFF_REGISTER}) AS not_registered,
           (previous_on IS NOT NULL AND booked_on - previous_on <= %(days)s) AS duplicate
      FROM marked
)""".replace("{OFF_REGISTER}", paid_off_register_sql(request="marked", paid_at="marked.decided_at"))


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
# "Beyond the contract": the payments to the project's contractor, whatever their kind — to its
# payee record, or (made before payees were recorded) to an organisation named as its winner —
# above the contract amount plus its recorded changes (补充协议); other payees (a supervision fee)
# do not count. The same payments as the payment rule's cap (selectors.rules.to_contractor).
_TOTALS = """over_contract AS (
    SELECT p.id, p.name, t.paid, p.contract_amount + COALESCE(
               (SELECT SUM(c.amount) FROM funds_contractchange c WHERE c.project_id = p.id), 0) AS cap
      FROM (SELECT live.project_id, SUM(live.amount) AS paid
              FROM live JOIN funds_project q ON q.id = live.project_id
             WHERE live.payee_id = q.contractor_id
                OR (live.payee_id IS NULL AND live.payee_kind = 'organisation' AND q.winner <> ''
                    AND live.payee_name = q.winner)
             GROUP BY live.project_id) t
      JOIN funds_project p ON p.id = t.project_id
     WHERE p.contract_amount IS NOT NULL AND t.paid > p.contract_amount + COALESCE(
               (SELECT SUM(c.amount) FROM funds_contractchange c WHERE c.project_id = p.id), 0)
), over_approved AS (
    SELECT p.id, p.name, t.paid, p.review_approved_amount AS cap
      FROM (SELECT project_id, SUM(amount) AS paid FROM live
             WHERE project_id IS NOT NULL GROUP BY project_id) t
      JOIN funds_project p ON p.id = t.project_id
     WHERE p.review_approved_amount IS NOT NULL AND t.paid > p.review_approved_amount
), before_contract AS (
    -- paid while the project had no signed contract: booked before its date, or with none at all
    SELECT p.id, p.name, SUM(live.amount) AS paid, 0::numeric AS cap
      FROM live JOIN funds_project p ON p.id = live.project_id
     WHERE p.contract_date IS NULL OR live.booked_on < p.contract_date
     GROUP BY p.id, p.name
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
        SELECT 'over_approved', id, name, paid, cap, {_PAD} FROM over_approved
        UNION ALL
        SELECT 'before_contract', id, name, paid, cap, {_PAD} FROM before_contract
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
            raised_by_totals.append((code == "above_measure_plan", pk, code, name, value, cap))
    totals = [_total_flag(code, pk, *rest) for _first, pk, code, *rest in sorted(raised_by_totals)]
    for code in ("over_contract", "over_approved", "before_contract", "above_measure_plan"):
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
            "%(project)s has paid its contractor %(paid)s yuan, more than its contract amount plus its "
            "recorded changes (%(contract)s yuan)."
        ) % {"project": name, "paid": f"{paid:,.2f}", "contract": f"{cap:,.2f}"}
        return Flag(code, message, paid - cap, None, None, None, pk)
    if code == "over_approved":
        message = _(
            "%(project)s has been paid %(paid)s yuan, more than the %(approved)s yuan its investment review approved."
        ) % {"project": name, "paid": f"{paid:,.2f}", "approved": f"{cap:,.2f}"}
        return Flag(code, message, paid - cap, None, None, None, pk)
    if code == "before_contract":
        message = _("%(project)s was paid %(paid)s yuan before its contract was signed.") % {
            "project": name,
            "paid": f"{paid:,.2f}",
        }
        return Flag(code, message, paid, None, None, None, pk)
    message = _("Measure “%(measure)s” planned %(planned)s yuan and has been paid %(paid)s yuan.") % {
        "measure": name,
        "planned": f"{cap:,.2f}",
        "paid": f"{paid:,.2f}",
    }
    return Flag(code, message, paid - cap, measure_id=pk)


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
