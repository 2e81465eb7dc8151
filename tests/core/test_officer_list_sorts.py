"""The officer list sorts by its column headers (issue 21, core.web.sort) — by name (the upper(name)
index) or by region (the order it always had) — keeping the name search; an unknown key is the
default order, and the other county's officers are never listed."""

import re

import pytest
from django.db.models.functions import Upper
from django.urls import reverse

from core.models import Officer, Region
from tests.factories.core import OfficerFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(xiuwu, boai):
    townships = list(Region.objects.filter(parent=xiuwu).order_by("code")[:2])
    unit = UnitFactory(region=xiuwu, name="修武县扶贫办")
    made = [
        OfficerFactory(name="王测试", unit=unit, region=townships[0]),
        OfficerFactory(name="李测试", unit=unit, region=townships[1]),
        OfficerFactory(name="张测试", unit=unit, region=xiuwu),
    ]
    OfficerFactory(name="赵测试", unit=UnitFactory(region=boai, name="博爱县扶贫办"), region=boai)
    return made


def _names(response) -> list[str]:
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'/officers/\d+/">([^<]+)</a>', body)


def test_the_officers_sort_by_name_and_region_keeping_the_search(client, persona, officers):
    from core.models import Role

    admin = persona(Role.ADMIN, "410821000000")
    client.force_login(admin)
    url = reverse("core:officer_list")
    mine = Officer.objects.filter(region__code__startswith="410821", name__endswith="测试")
    by_region = list(mine.order_by("region_id", "name", "id").values_list("name", flat=True))
    by_name = list(mine.order_by(Upper("name"), "id").values_list("name", flat=True))
    assert by_region != by_name  # the fixture tells the orders apart
    assert _names(client.get(url, {"q": "测试"})) == by_region
    assert _names(client.get(url, {"q": "测试", "sort": "name"})) == by_name
    page = client.get(url, {"q": "测试", "sort": "-name"})
    assert _names(page) == by_name[::-1]
    html = page.content.decode()
    assert 'aria-sort="descending"' in html
    assert "q=%E6%B5%8B%E8%AF%95&amp;sort=name" in html  # the header's next order keeps the search
    assert 'name="sort" value="-name"' in html  # and the search form keeps the order
    assert _names(client.get(url, {"q": "测试", "sort": "position"})) == by_region  # not a sortable column
    assert "赵测试" not in _names(client.get(url, {"q": "测试", "sort": "name"}))
