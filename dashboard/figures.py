"""The dashboard's figures, each defined once as SQL over the source tables.

Each metric's SQL returns rows `(code, key, value)` where `code` is a 12-digit region code
(usually a village) — the refresh rolls them up to every level above. Keys are a status, a
cause, a year ('2017') or a month ('2017-05') for trends.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

TZ = "Asia/Shanghai"


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    sql: str
    unit: str = "count"  # count, people, yuan, rate
    tables: tuple[str, ...] = ()
    # Monthly trends stop at the township: 60 months × 128,000 villages would dwarf the rest.
    max_depth: int = 12


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

BY_NAME = {m.name: m for m in METRICS}
