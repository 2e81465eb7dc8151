"""dashboard: the overview of figures, by region, and the rows behind each figure.

Permissions (dashboard/apps.py): leaders, administrators, inspectors, auditors and county clerks
see the dashboard; the other roles do not. A region outside the actor's is 404.
"""

from __future__ import annotations

from tests.security.authz_matrix import Case, row
from tests.security.rows._common import answers

VIEWERS = ("leader", "admin", "inspector", "auditor", "county_clerk")


def county(world, side):
    return Case(kwargs={"code": world.place(side).county.code, "metric": "households"})


county.sided = True

ROWS = [
    row("dashboard:overview", GET=answers(VIEWERS, sided=False)),
    row("dashboard:region", case=county, GET=answers(VIEWERS)),
    row("dashboard:rows", case=county, GET=answers(VIEWERS)),
    row(
        "dashboard:rows_export",
        case=county,
        GET=answers(VIEWERS),
        note="the rows of dashboard:rows, every page",
    ),
    row("api:dashboard_overview", GET=answers(VIEWERS, api=True, sided=False)),
]
