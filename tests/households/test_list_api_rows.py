"""The household list API at scale: plain rows written exactly as the serializer writes them,
three queries a request (session, user, rows) whatever the page size, and a county's rows in
keyset order through the county expression index."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.api.rows import ValuesRows
from core.models import Region
from households.api.serializers import HOUSEHOLD_LIST_ROWS, HouseholdDetailSerializer, HouseholdListSerializer
from households.models import Household, HouseholdStatus, PovertyCause
from households.selectors import household_base, household_list
from tests.conftest import BOAI, XIUWU
from tests.factories.households import household_with_members

pytestmark = pytest.mark.django_db
BASE = "/api/v1/households/"


def _village(county: str) -> Region:
    return Region.objects.filter(code__startswith=county[:6], level="village").order_by("code").first()


def test_rows_are_written_exactly_as_the_serializer_writes_instances(regions):
    household_with_members(
        members=3,
        main_cause=PovertyCause.ILLNESS,
        secondary_causes=[PovertyCause.LACK_FUNDS, PovertyCause.LACK_SKILLS],
    )
    household_with_members(members=1, secondary_causes=[], status=HouseholdStatus.EXITED)
    household_with_members(village=_village(BOAI), members=2)
    qs = Household.objects.select_related("village").order_by("id")
    expected = HouseholdListSerializer(qs, many=True).data
    got = HOUSEHOLD_LIST_ROWS.represent(HOUSEHOLD_LIST_ROWS.values(qs))
    assert [dict(row) for row in expected] == got
    # Time zones and ISO format are the serializer's own, not str(datetime).
    assert got[0]["updated_at"] == HouseholdListSerializer().fields["updated_at"].to_representation(
        qs[0].updated_at
    )
    assert got[0]["updated_at"] == timezone.localtime(qs[0].updated_at).isoformat()


def test_rows_refuse_fields_that_are_not_columns():
    with pytest.raises(TypeError, match=r"HouseholdDetailSerializer\.(guarantees|members): not a column"):
        ValuesRows(HouseholdDetailSerializer).plan()


def test_a_list_request_is_three_queries_whatever_the_page_size(clerk):
    for _ in range(25):
        household_with_members(members=1)
    client = Client()
    client.force_login(clerk)
    client.get(BASE)  # the first request of a process reads the roles
    counts = []
    for size in (5, 20):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(BASE, {"page_size": size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == size
        counts.append([q["sql"].split(" FROM ")[1].split()[0] for q in ctx.captured_queries])
    assert counts[0] == counts[1] == ['"django_session"', '"core_user"', '"households_household"']


def test_a_county_clerk_pages_through_exactly_the_county_in_keyset_order(clerk, regions):
    mine = [household_with_members(members=1).pk for _ in range(7)]
    household_with_members(village=_village(BOAI), members=1)
    client = Client()
    client.force_login(clerk)
    seen, url = [], f"{BASE}?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [(r["updated_at"], r["id"]) for r in page["results"]]
        url = page["next"]
    expected = Household.objects.filter(village__code__startswith=XIUWU[:6]).order_by("updated_at", "id")
    assert [pk for _, pk in seen] == list(expected.values_list("id", flat=True))
    assert set(mine) <= {pk for _, pk in seen}


def test_the_county_expression_selects_what_the_prefix_selects(clerk, leader, regions):
    household_with_members(members=1)
    household_with_members(village=_village(BOAI), members=1)
    by_like = set(Household.objects.filter(village__code__startswith=XIUWU[:6]).values_list("id", flat=True))
    assert set(household_base(actor=clerk, keyset=True).values_list("id", flat=True)) == by_like
    assert set(household_base(actor=clerk).values_list("id", flat=True)) == by_like
    assert "LEFT(" not in str(household_base(actor=clerk).query)  # page orders keep the LIKE
    sql = str(household_base(actor=clerk, keyset=True).query)
    assert 'LEFT("households_household"."village_id", 6)' in sql
    assert "LIKE" not in sql
    # A leader filtering on a county gets the same rows, said the same way (not twice).
    from households.selectors import HouseholdFilters

    rows = household_list(actor=leader, filters=HouseholdFilters(region=XIUWU), keyset=True)
    assert set(rows.values_list("id", flat=True)) == by_like
    sql = str(rows.query)
    assert sql.count("LEFT(") == 1
    assert "LIKE 410821%" not in sql


@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "America/New_York"])
def test_times_follow_the_active_time_zone_like_the_serializer(regions, zone):
    household_with_members(members=1)
    qs = Household.objects.select_related("village").order_by("id")
    with timezone.override(zone):
        expected = [dict(row) for row in HouseholdListSerializer(qs, many=True).data]
        got = HOUSEHOLD_LIST_ROWS.represent(HOUSEHOLD_LIST_ROWS.values(qs))
    assert got == expected
    if zone == "UTC":
        assert got[0]["updated_at"].endswith("Z")
