"""The work list's by-village table sorts by its column headers (issue 21, core.web.sort_rows): by
village code by default, by any count either way, keeping the year and problem chosen; the household
rows under it keep the village order their pages are counted in."""

import re

import pytest
from django.urls import reverse

from core.models import Region
from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def villages(regions):
    rows = Region.objects.filter(code__startswith="410821", level="village").order_by("code")
    first, second, third = rows[:3]
    for village, n in ((first, 1), (second, 3), (third, 2)):
        for _ in range(n):
            HouseholdFactory(village=village)  # registered, no plan this year
    return [first.code, second.code, third.code]


def _villages(response) -> list[str]:
    table = response.content.decode().split('id="by-village"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"village=(\d{12})", table)


def _households(response) -> list[str]:
    table = response.content.decode().split('id="worklist"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'data-household="(\d+)"', table)


def test_the_clerk_sorts_the_villages_by_what_is_missing(client, clerk, villages):
    client.force_login(clerk)
    url = reverse("assistance:worklist")
    first, second, third = villages
    default = client.get(url, {"flag": "no_plan"})
    assert _villages(default) == [first, second, third]
    by_most = client.get(url, {"flag": "no_plan", "sort": "-no_plan"})
    assert _villages(by_most) == [second, third, first]
    assert _villages(client.get(url, {"flag": "no_plan", "sort": "no_plan"})) == [first, third, second]
    assert _villages(client.get(url, {"flag": "no_plan", "sort": "-village"})) == [third, second, first]
    assert _villages(client.get(url, {"flag": "no_plan", "sort": "bogus"})) == [first, second, third]
    html = by_most.content.decode()
    assert 'aria-sort="descending"' in html
    assert "flag=no_plan&amp;sort=no_plan" in html  # the header's next order keeps the problem chosen
    assert 'name="sort" value="-no_plan"' in html  # and the filter form keeps the order
    assert _households(by_most) == _households(default)  # the rows below: still by village
