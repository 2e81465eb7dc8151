"""应退未退 as the county clerk reads it, page and API: the guarantees of every row come from the facts
in a fixed number of queries (issue 17, N+1): a page of 30 rows costs what a page of one does."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.models import Income
from households.selectors.candidates import current_line
from households.selectors.guarantees import UNMET, guarantee_status_many
from tests.factories.households import ready_to_exit

pytestmark = pytest.mark.django_db


def _due(village, n: int) -> list:
    line = current_line()
    out = []
    for _i in range(n):
        h = ready_to_exit(village=village)
        Income.objects.create(household=h, year=line.year, per_capita_net_income=line.amount + Decimal(1000))
        out.append(h)
    return out


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


def test_guarantees_of_thirty_households_cost_what_one_costs(xiuwu_village):
    unsafe = ready_to_exit(village=xiuwu_village, housing_secured=False)  # grade D: the measures query runs
    others = _due(xiuwu_village, 29)
    one = _queries(lambda: guarantee_status_many([unsafe]))
    thirty = _queries(lambda: guarantee_status_many([unsafe, *others]))
    assert one == thirty <= 7
    states = guarantee_status_many([unsafe, *others])
    assert states[unsafe.pk]["housing"].state == UNMET
    assert all(all(s.met for s in states[h.pk].values()) for h in others)


def test_the_should_have_exited_page_and_api_cost_the_same_for_one_row_and_thirty(
    client, api_as, clerk, xiuwu_village
):
    first = _due(xiuwu_village, 1)
    client.force_login(clerk)
    api = api_as(clerk)
    page_url, api_url = reverse("households:exit_due"), "/api/v1/households/exit-due/"

    def page():
        response = client.get(page_url)
        assert response.status_code == 200
        return response

    def rows():
        response = api.get(api_url)
        assert response.status_code == 200
        return response.json()["results"]

    page(), rows()  # warm the session, permission and line caches
    page_one, api_one = _queries(page), _queries(rows)
    _due(xiuwu_village, 29)
    page_thirty, api_thirty = _queries(page), _queries(rows)
    assert (page_thirty, api_thirty) == (page_one, api_one)
    body = page().content.decode()
    assert body.count("badge-ok") == 25  # a full page, every row all met by its facts
    listed = rows()
    assert len(listed) == 30
    assert all(r["guarantees_met_today"] for r in listed)
    assert first[0].file_number in {r["file_number"] for r in listed}
