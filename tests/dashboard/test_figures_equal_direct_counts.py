"""Every dashboard figure equals a direct count over the source tables, at every level."""

import pytest

from core.models import Region
from dashboard import selectors
from dashboard.figures import METRICS
from dashboard.services import figures_refresh
from households.models import Household
from tests.dashboard.direct import all_figures, expected, shown

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("level", ["city", "county", "township", "village"])
def test_every_figure_equals_direct_count(city_data, leader, level):
    figures_refresh()
    codes = {"city": "410800000000", "county": "410821000000"}
    if level in ("township", "village"):
        village = city_data[0]
        codes[level] = village.parent_id if level == "township" else village.code
    region = Region.objects.get(code=codes[level])
    ov = selectors.overview(actor=leader, region_code=region.code)
    direct = all_figures(region.prefix)
    assert sum(direct["households"].values()) > 0
    for metric in METRICS:
        if metric.only_depth or len(region.prefix) > metric.max_depth:
            continue  # monthly trends stop at the township; averages live at one level
        assert shown(ov.figures, metric.name) == expected(direct[metric.name]), metric.name


def test_children_figures_add_up_to_the_parent(city_data, leader):
    figures_refresh()
    ov = selectors.overview(actor=leader, region_code="410800000000")
    assert [r.code[:6] for r, _ in ov.children][:2] == ["410802", "410803"]
    total = sum(f.get("households", {}).get("registered", 0) for _, f in ov.children)
    assert total == ov.get("households", "registered")


@pytest.mark.parametrize(
    ("metric", "key"),
    [("households", "registered"), ("people", "exited"), ("cause", "illness"), ("exits_year", "2016"),
     ("exits_year", "2017"), ("returns_month", None), ("poor_villages", "poor"), ("exit_people_year", "2017")],
)  # fmt: skip
def test_drill_down_lists_exactly_the_rows_counted(city_data, leader, metric, key):
    figures_refresh()
    county = "410821000000"
    ov = selectors.overview(actor=leader, region_code=county)
    if key is None:  # the busiest month
        key = max(ov.figures[metric].items(), key=lambda kv: kv[1])[0]
    rows = selectors.figure_rows(actor=leader, region_code=county, metric=metric, key=key)
    assert rows.count() == ov.get(metric, key) > 0
    if metric == "households":
        expected = set(
            Household.objects.filter(village__code__startswith="410821", status=key).values_list(
                "pk", flat=True
            )
        )
        assert set(rows.values_list("pk", flat=True)) == expected


def test_refresh_twice_gives_the_same_figures(city_data, leader):
    figures_refresh()
    first = selectors.overview(actor=leader, region_code="410800000000").figures
    figures_refresh()
    assert selectors.overview(actor=leader, region_code="410800000000").figures == first


def test_dashboard_reads_no_registry_table(city_data, leader):
    figures_refresh()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        selectors.overview(actor=leader, region_code="410800000000")
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "households_household" not in sql
    assert "households_member" not in sql
    # the actor's roles (for the scoping rule's village restriction, once per user object), the
    # region, its figures, as-of, child regions, their figures: whatever the data size
    assert len(ctx.captured_queries) == 6
