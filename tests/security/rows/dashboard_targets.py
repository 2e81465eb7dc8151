"""dashboard, the year's targets with progress (issue 18.5) and the 三个显著提升 trend (issue 19.11):
pages and API, read by the dashboard's readers (dashboard.view_dashboard). A county outside the
reader's region is 404; the city pages (no region in the URL) show the reader's own region."""

from __future__ import annotations

from tests.security.authz_matrix import Case, row
from tests.security.rows._common import answers

VIEWERS = ("leader", "admin", "inspector", "auditor", "county_clerk")


def county(world, side):
    return Case(kwargs={"code": world.place(side).county.code})


county.sided = True


def county_rows(world, side):
    return Case(kwargs={"code": world.place(side).county.code, "kind": "households"})


county_rows.sided = True


def county_query(world, side):
    return Case(query={"region": world.place(side).county.code})


county_query.sided = True

ROWS = [
    row("dashboard:targets", GET=answers(VIEWERS, sided=False)),
    row("dashboard:targets_region", case=county, GET=answers(VIEWERS)),
    row("dashboard:target_rows", case=county_rows, GET=answers(VIEWERS)),
    row("dashboard:target_rows_export", case=county_rows, GET=answers(VIEWERS)),
    row("dashboard:trend", GET=answers(VIEWERS, sided=False)),
    row("dashboard:trend_region", case=county, GET=answers(VIEWERS)),
    row("api:dashboard_targets", case=county_query, GET=answers(VIEWERS, api=True)),
    row("api:dashboard_trend", case=county_query, GET=answers(VIEWERS, api=True)),
]
