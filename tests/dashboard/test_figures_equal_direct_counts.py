"""Every dashboard figure equals a direct count over the source tables, at every level."""

from collections import Counter

import pytest
from django.utils import timezone

from core.models import Region
from dashboard import selectors
from dashboard.services import figures_refresh
from households.models import Household, HouseholdStatusChange, Member, PoorVillage

pytestmark = pytest.mark.django_db


def direct_figures(prefix: str) -> dict[str, Counter]:
    """Counted in Python from the rows, independently of the SQL the dashboard uses."""
    out: dict[str, Counter] = {m: Counter() for m in selectors.ROW_METRICS}
    households = {h.pk: h for h in Household.objects.filter(village__code__startswith=prefix)}
    active_members = Counter(
        m.household_id for m in Member.objects.filter(household_id__in=households, is_active=True)
    )
    for h in households.values():
        out["households"][h.status] += 1
        out["people"][h.status] += active_members[h.pk]
        if h.status in ("registered", "returned"):
            out["cause"][h.main_cause] += 1
            out["attribute"][h.attribute] += 1
    seen: dict[str, set] = {m: set() for m in out}
    for c in HouseholdStatusChange.objects.filter(household_id__in=households):
        local = timezone.localtime(c.at)
        year, month = f"{local.year}", f"{local.year}-{local.month:02d}"
        pairs = {"exited": [("exits_year", year), ("exits_month", month)], "returned": [("returns_month", month)],
                 "registered": [("registrations_month", month)]}.get(c.to_status, [])  # fmt: skip
        for metric, key in pairs:
            if (c.household_id, key) not in seen[metric]:
                seen[metric].add((c.household_id, key))
                out[metric][key] += 1
        if c.to_status == "exited" and (c.household_id, year) not in seen["exit_people_year"]:
            seen["exit_people_year"].add((c.household_id, year))
            out["exit_people_year"][year] += active_members[c.household_id]
    for v in PoorVillage.objects.filter(village__code__startswith=prefix):
        out["poor_villages"][v.status] += 1
        if v.exit_year:
            out["village_exits_year"][str(v.exit_year)] += 1
    return out


def shown(ov, metric) -> Counter:
    return Counter({k: int(v) for k, v in ov.figures.get(metric, {}).items() if v})


@pytest.mark.parametrize("level", ["city", "county", "township", "village"])
def test_every_figure_equals_direct_count(city_data, leader, level):
    figures_refresh()
    codes = {"city": "410800000000", "county": "410821000000"}
    if level in ("township", "village"):
        village = city_data[0]
        codes[level] = village.parent_id if level == "township" else village.code
    region = Region.objects.get(code=codes[level])
    ov = selectors.overview(actor=leader, region_code=region.code)
    expected = direct_figures(region.prefix)
    assert sum(expected["households"].values()) > 0
    for metric, counts in expected.items():
        if metric.endswith("_month") and level == "village":
            continue  # monthly trends stop at the township
        assert shown(ov, metric) == +counts, metric


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
    # region, its figures, as-of, child regions, their figures: whatever the data size
    assert len(ctx.captured_queries) == 5
