"""An integrator walks a list page by page: every row once, in order, and the walk ends — however
many rows share a timestamp (an import saves each batch of households with one `updated_at`).

With DRF's CursorPagination (position on `updated_at`, ties stepped over by an OFFSET capped at
1,000) a walk over 1,100 households saved at one instant never ended.
"""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.api.pagination import after
from core.models import SensitiveAccess
from households.models import Household
from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db


def walk(api, url: str, *, direction: str = "next", limit: int = 500) -> list[list[int]]:
    pages = []
    while url and len(pages) < limit:
        response = api.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append([row["id"] for row in body["results"]])
        url = body[direction]
    assert not url, "the walk did not end"
    return pages


@pytest.fixture
def imported_at_one_instant(clerk):
    HouseholdFactory.create_batch(1100)
    instant = timezone.now().replace(microsecond=0)
    Household.objects.update(updated_at=instant)
    return sorted(Household.objects.values_list("id", flat=True))


def test_a_walk_over_1100_households_saved_at_one_instant_delivers_each_once(
    api_as, clerk, imported_at_one_instant
):
    api = api_as(clerk)
    pages = walk(api, "/api/v1/households/")
    delivered = [i for page in pages for i in page]
    assert len(pages) == 22  # 1,100 / 50, no empty page at the end
    assert delivered == imported_at_one_instant  # all of them, once, in (updated_at, id) order


def test_the_same_walk_backwards_from_the_last_page(api_as, clerk, imported_at_one_instant):
    api = api_as(clerk)
    forward = walk(api, "/api/v1/households/?page_size=200")
    last_page = api.get("/api/v1/households/?page_size=200").json()
    while last_page["next"]:
        last_page = api.get(last_page["next"]).json()
    backward = walk(api, last_page["previous"], direction="previous")
    assert [row["id"] for row in last_page["results"]] == forward[-1]
    assert backward == list(reversed(forward[:-1]))  # the pages before the last, each as it was


def test_a_row_changed_during_the_walk_comes_again_at_the_end_not_in_its_old_place(api_as, clerk):
    HouseholdFactory.create_batch(6)
    api = api_as(clerk)
    first = api.get("/api/v1/households/?page_size=3").json()
    moved = first["results"][0]["id"]
    Household.objects.filter(pk=moved).update(updated_at=timezone.now() + dt.timedelta(seconds=5))
    rest = walk(api, first["next"])
    delivered = [row["id"] for row in first["results"]] + [i for page in rest for i in page]
    assert delivered[-1] == moved  # a change is delivered again, after everything older
    assert len(delivered) == 7
    assert len(set(delivered)) == 6


@pytest.mark.parametrize(
    ("value", "message"),
    [("abc", "page_size"), ("0", "page_size"), ("-5", "page_size")],
)
def test_a_bad_page_size_is_refused_naming_the_parameter(api_as, clerk, value, message):
    response = api_as(clerk).get(f"/api/v1/households/?page_size={value}")
    assert response.status_code == 400
    assert message in response.json()["errors"]


def test_a_mangled_cursor_is_refused_naming_the_parameter(api_as, clerk):
    response = api_as(clerk).get("/api/v1/households/?cursor=bm90LWpzb24")
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


# The row test itself, on a cheap table: any timestamps (many equal), any ordering direction,
# ascending, descending or mixed, any page size — each row once, in order.
@pytest.fixture
def reveal_rows(clerk):
    def make(stamps: list[int]) -> list[int]:
        SensitiveAccess.objects.all().delete()
        base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        rows = SensitiveAccess.objects.bulk_create(
            [
                SensitiveAccess(
                    user=clerk,
                    at=base + dt.timedelta(seconds=s),
                    object_type="x",
                    object_id=str(i),
                    field="f",
                    channel="api",
                )
                for i, s in enumerate(stamps)
            ]
        )
        return [r.pk for r in rows]

    return make


def key_walk(ordering: tuple[str, ...], page_size: int) -> list[int]:
    queryset = SensitiveAccess.objects.values("id", "at")
    position = None
    seen: list[int] = []
    for _ in range(1000):
        page = queryset.order_by(*ordering)
        if position is not None:
            page = page.filter(after(ordering, position))
        rows = list(page[:page_size])
        if not rows:
            return seen
        seen += [r["id"] for r in rows]
        position = [rows[-1][f.lstrip("-")] for f in ordering]
    raise AssertionError("the walk did not end")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    stamps=st.lists(st.integers(min_value=0, max_value=3), min_size=0, max_size=25),
    ordering=st.sampled_from([("at", "id"), ("-at", "-id"), ("-at", "id"), ("at", "-id"), ("id",)]),
    page_size=st.integers(min_value=1, max_value=7),
)
def test_any_ordering_and_page_size_delivers_each_row_once_in_order(reveal_rows, stamps, ordering, page_size):
    reveal_rows(stamps)
    expected = list(SensitiveAccess.objects.order_by(*ordering).values_list("id", flat=True))
    assert key_walk(ordering, page_size) == expected
