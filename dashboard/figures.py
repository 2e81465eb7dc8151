"""The dashboard's figures, each defined once as SQL over the source tables.

Each metric's SQL returns rows `(code, key, value)` where `code` is a 12-digit region code
(usually a village) — the refresh rolls them up to every level above. Keys are a status, a
cause, a year ('2017') or a month ('2017-05') for trends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

TZ = "Asia/Shanghai"


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    # SQL returning (code, key, value), or a callable returning (sql, params) — used where the
    # owning app already defines the figure as a queryset, so the definition lives in one place.
    sql: str | Callable[[], tuple[str, tuple]]
    unit: str = "count"  # count, people, yuan, score
    tables: tuple[str, ...] = ()
    # Monthly trends stop at the township: 60 months × 128,000 villages would dwarf the rest.
    max_depth: int = 12
    # Figures that cannot be added up (averages) live at one level only.
    only_depth: int | None = None


def month_key(column: str) -> str:
    return f"to_char({column} AT TIME ZONE '{TZ}', 'YYYY-MM')"


def year_key(column: str) -> str:
    return f"to_char({column} AT TIME ZONE '{TZ}', 'YYYY')"


HOUSEHOLD = "households_household"
MEMBER = "households_member"
CHANGE = "households_householdstatuschange"
POOR_VILLAGE = "households_poorvillage"

METRICS: list[Metric] = [
    Metric(
        "households",
        _("households by status"),
        f"SELECT village_id, status, count(*) FROM {HOUSEHOLD} GROUP BY 1, 2",
        tables=(HOUSEHOLD,),
    ),
    Metric(
        "people",
        _("people by household status"),
        f"""SELECT h.village_id, h.status, count(*) FROM {MEMBER} m JOIN {HOUSEHOLD} h ON h.id = m.household_id
            WHERE m.is_active GROUP BY 1, 2""",
        unit="people",
        tables=(HOUSEHOLD, MEMBER),
    ),
    Metric(
        "cause",
        _("registered households by main poverty cause"),
        f"SELECT village_id, main_cause, count(*) FROM {HOUSEHOLD} WHERE status IN ('registered', 'returned') GROUP BY 1, 2",
        tables=(HOUSEHOLD,),
    ),
    Metric(
        "attribute",
        _("registered households by attribute"),
        f"SELECT village_id, attribute, count(*) FROM {HOUSEHOLD} WHERE status IN ('registered', 'returned') GROUP BY 1, 2",
        tables=(HOUSEHOLD,),
    ),
    Metric(
        "exits_year",
        _("households exited, by year"),
        f"""SELECT h.village_id, {year_key("c.at")}, count(DISTINCT c.household_id) FROM {CHANGE} c
            JOIN {HOUSEHOLD} h ON h.id = c.household_id WHERE c.to_status = 'exited' GROUP BY 1, 2""",
        tables=(HOUSEHOLD, CHANGE),
    ),
    Metric(
        "exit_people_year",
        _("people exited, by year"),
        f"""SELECT h.village_id, e.year, count(*) FROM (
                SELECT DISTINCT household_id, {year_key("at")} AS year FROM {CHANGE} WHERE to_status = 'exited'
            ) e JOIN {HOUSEHOLD} h ON h.id = e.household_id
            JOIN {MEMBER} m ON m.household_id = e.household_id AND m.is_active GROUP BY 1, 2""",
        unit="people",
        tables=(HOUSEHOLD, MEMBER, CHANGE),
    ),
    Metric(
        "exits_month",
        _("households exited, by month"),
        f"""SELECT h.village_id, {month_key("c.at")}, count(DISTINCT c.household_id) FROM {CHANGE} c
            JOIN {HOUSEHOLD} h ON h.id = c.household_id WHERE c.to_status = 'exited' GROUP BY 1, 2""",
        tables=(HOUSEHOLD, CHANGE),
        max_depth=9,
    ),
    Metric(
        "returns_month",
        _("households returned to poverty, by month"),
        f"""SELECT h.village_id, {month_key("c.at")}, count(DISTINCT c.household_id) FROM {CHANGE} c
            JOIN {HOUSEHOLD} h ON h.id = c.household_id WHERE c.to_status = 'returned' GROUP BY 1, 2""",
        tables=(HOUSEHOLD, CHANGE),
        max_depth=9,
    ),
    Metric(
        "registrations_month",
        _("households registered, by month"),
        f"""SELECT h.village_id, {month_key("c.at")}, count(DISTINCT c.household_id) FROM {CHANGE} c
            JOIN {HOUSEHOLD} h ON h.id = c.household_id WHERE c.to_status = 'registered' GROUP BY 1, 2""",
        tables=(HOUSEHOLD, CHANGE),
        max_depth=9,
    ),
    Metric(
        "poor_villages",
        _("poor villages by status"),
        f"SELECT village_id, status, count(*) FROM {POOR_VILLAGE} GROUP BY 1, 2",
        tables=(POOR_VILLAGE,),
    ),
    Metric(
        "village_exits_year",
        _("poor villages exited, by year"),
        f"SELECT village_id, exit_year::text, count(*) FROM {POOR_VILLAGE} WHERE exit_year IS NOT NULL GROUP BY 1, 2",
        tables=(POOR_VILLAGE,),
    ),
]


# --- assistance: this year's plan coverage, as the assistance app defines it ----------------


class _System:
    """The refresh job's actor: sees everything, like a superuser without a region."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    region_id = None
    officer_id = None
    pk = None
    role_codes = frozenset()

    def has_role(self, *roles):
        return False


SYSTEM = _System()


def plan_coverage_query():
    from django.db.models import Case, CharField, Count, Value, When
    from django.utils import timezone

    from assistance.selectors import worklist_base

    qs = (
        worklist_base(actor=SYSTEM, year=timezone.localdate().year)
        .annotate(
            coverage=Case(
                When(plan_id__isnull=True, then=Value("no_plan")),
                When(uncovered_count__gt=0, then=Value("uncovered")),
                default=Value("covered"),
                output_field=CharField(),
            )
        )
        .order_by()
        .values("village_id", "coverage")
        .annotate(n=Count("id"))
        .values_list("village_id", "coverage", "n")
    )
    return qs.query.sql_with_params()


def late_plans_query():
    from django.db.models import Count, Value
    from django.utils import timezone

    from assistance.selectors import worklist_base

    qs = (
        worklist_base(actor=SYSTEM, year=timezone.localdate().year)
        .filter(late_measures__gt=0)
        .annotate(k=Value(""))
        .order_by()
        .values("village_id", "k")
        .annotate(n=Count("id"))
        .values_list("village_id", "k", "n")
    )
    return qs.query.sql_with_params()


PLAN = "assistance_assistanceplan"
MEASURE = "assistance_measure"
ACCOUNT = "funds_account"
LINE = "funds_line"
ENTRY = "funds_entry"
FINDING = "inspections_finding"
ITEM = "inspections_rectificationitem"
SCORE = "accountability_monthlyscore"
CASE = "accountability_accountabilitycase"
UNIT = "core_unit"

REQUEST = "funds_disbursementrequest"
# A household's payment counts as disbursed once the bank says it is paid (issue 20.4): not while
# it is approved or sent. (A failed one counts with its reversal, which nets it to zero.)
_NOT_AWAITING_BANK = f"""NOT EXISTS (SELECT 1 FROM {ENTRY} we JOIN {REQUEST} wr ON wr.id = we.request_id
    WHERE we.id = pl.entry_id AND wr.payee_kind = 'household' AND wr.status IN ('approved', 'sent'))"""

# Entries count under the kind of what they move; a reversal under the kind it reverses.
_EFFECTIVE_KIND = f"coalesce((SELECT o.kind FROM {ENTRY} o WHERE o.id = e.reverses_id), e.kind)"

METRICS += [
    Metric(
        "plan_coverage",
        _("households needing a plan this year, by coverage"),
        plan_coverage_query,
        tables=(HOUSEHOLD, PLAN, MEASURE),
    ),
    Metric(
        "late_plans",
        _("households with late measures this year"),
        late_plans_query,
        tables=(HOUSEHOLD, PLAN, MEASURE),
    ),
    # 帮扶责任人 (issue 18.1): every household to assist has a responsible officer.
    Metric(
        "without_officer",
        _("households to assist without a responsible officer"),
        f"""SELECT village_id, '', count(*) FROM {HOUSEHOLD}
            WHERE status IN ('registered', 'returned') AND assistance_officer_id IS NULL GROUP BY 1""",
        tables=(HOUSEHOLD,),
    ),
    Metric(
        "fund_budget",
        _("budget arranged (yuan)"),
        f"""SELECT a.region_id, '', sum(l.debit - l.credit) FROM {LINE} l
            JOIN {ACCOUNT} a ON a.id = l.account_id AND a.kind = 'fund'
            JOIN {ENTRY} e ON e.id = l.entry_id WHERE {_EFFECTIVE_KIND} = 'budget' GROUP BY 1""",
        unit="yuan",
        tables=(LINE, ACCOUNT, ENTRY),
    ),
    Metric(
        "fund_allocated",
        _("allocated from fund pools to counties and projects (yuan)"),
        f"""SELECT d.region_id, '', sum(dl.debit - dl.credit) FROM {LINE} sl
            JOIN {ACCOUNT} s ON s.id = sl.account_id AND s.kind = 'fund'
            JOIN {ENTRY} e ON e.id = sl.entry_id
            JOIN {LINE} dl ON dl.entry_id = sl.entry_id AND dl.id <> sl.id
            JOIN {ACCOUNT} d ON d.id = dl.account_id AND d.kind IN ('county', 'project')
            WHERE {_EFFECTIVE_KIND} = 'allocation' GROUP BY 1""",
        unit="yuan",
        tables=(LINE, ACCOUNT, ENTRY),
    ),
    Metric(
        "fund_disbursed",
        _("disbursed to payees, net of reversals (yuan)"),
        f"""SELECT h.region_id, '', sum(pl.debit - pl.credit) FROM {LINE} pl
            JOIN {ACCOUNT} p ON p.id = pl.account_id AND p.kind = 'payee'
            JOIN {LINE} hl ON hl.entry_id = pl.entry_id AND hl.id <> pl.id
            JOIN {ACCOUNT} h ON h.id = hl.account_id AND h.kind <> 'payee'
            WHERE {_NOT_AWAITING_BANK} GROUP BY 1""",
        unit="yuan",
        tables=(LINE, ACCOUNT, REQUEST),
    ),
    Metric(
        "fund_disbursed_month",
        _("disbursed to payees, by month (yuan)"),
        f"""SELECT h.region_id, to_char(e.booked_on, 'YYYY-MM'), sum(pl.debit - pl.credit) FROM {LINE} pl
            JOIN {ACCOUNT} p ON p.id = pl.account_id AND p.kind = 'payee'
            JOIN {ENTRY} e ON e.id = pl.entry_id
            JOIN {LINE} hl ON hl.entry_id = pl.entry_id AND hl.id <> pl.id
            JOIN {ACCOUNT} h ON h.id = hl.account_id AND h.kind <> 'payee'
            WHERE {_NOT_AWAITING_BANK} GROUP BY 1, 2""",
        unit="yuan",
        tables=(LINE, ACCOUNT, ENTRY, REQUEST),
        max_depth=9,
    ),
    # Only confirmed findings: a pending one may belong to a covert visit not yet filed (四不两直).
    Metric(
        "findings",
        _("confirmed findings by category"),
        f"SELECT region_id, category, count(*) FROM {FINDING} WHERE status = 'confirmed' GROUP BY 1, 2",
        tables=(FINDING,),
    ),
    Metric(
        "findings_month",
        _("findings confirmed, by month"),
        f"""SELECT region_id, {month_key("confirmed_at")}, count(*) FROM {FINDING}
            WHERE status = 'confirmed' AND confirmed_at IS NOT NULL GROUP BY 1, 2""",
        tables=(FINDING,),
        max_depth=9,
    ),
    Metric(
        "rectification",
        _("rectification items by status"),
        f"""SELECT i.region_id, CASE WHEN i.status <> 'closed' AND i.overdue_since IS NOT NULL THEN 'overdue'
                ELSE i.status END, count(*)
            FROM {ITEM} i JOIN {FINDING} f ON f.id = i.finding_id WHERE f.status = 'confirmed' GROUP BY 1, 2""",
        tables=(ITEM, FINDING),
    ),
    Metric(
        "county_score",
        _("monthly score of county-level units (average)"),
        f"""SELECT s.region_id, to_char(s.month, 'YYYY-MM'), avg(s.score) FROM {SCORE} s
            WHERE s.unit_id IS NOT NULL AND substr(s.region_id, 7) = '000000' AND substr(s.region_id, 5, 2) <> '00'
            GROUP BY 1, 2""",
        unit="score",
        tables=(SCORE,),
        only_depth=6,
    ),
    Metric(
        "cases",
        _("accountability cases by status"),
        f"SELECT region_id, status, count(*) FROM {CASE} GROUP BY 1, 2",
        tables=(CASE,),
    ),
    Metric(
        "cases_month",
        _("accountability cases opened, by month"),
        f"SELECT region_id, to_char(opened_on, 'YYYY-MM'), count(*) FROM {CASE} GROUP BY 1, 2",
        tables=(CASE,),
        max_depth=9,
    ),
]

BY_NAME = {m.name: m for m in METRICS}
