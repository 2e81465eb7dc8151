"""The disbursement list sorts by its column headers (issue 21, core.web.sort): newest first by
default, by amount either way, keeping its status filter; an unknown key is the default order."""

import re

import pytest
from django.urls import reverse

from tests.funds.batch_world import county_allocation, household_requests

pytestmark = pytest.mark.django_db


def _amounts(page) -> list[str]:
    body = page.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<td class="num">([\d,.]+)</td>', body)


def test_the_requests_sort_by_amount_and_date_keeping_the_filter(client, fund, xiuwu, finance):
    account = county_allocation(fund, xiuwu, finance)
    for n, amount in enumerate(("300.00", "1,200.00", "50.00")):
        household_requests(account, finance, 1, amount=amount.replace(",", ""), prefix=f"s{n}")
    client.force_login(finance)
    url = reverse("funds:request_list")
    assert _amounts(client.get(url)) == ["50.00", "1,200.00", "300.00"]  # newest first
    assert _amounts(client.get(url, {"sort": "amount", "status": "pending"})) == [
        "50.00",
        "300.00",
        "1,200.00",
    ]
    page = client.get(url, {"sort": "-amount", "status": "pending"})
    assert _amounts(page) == ["1,200.00", "300.00", "50.00"]
    html = page.content.decode()
    assert 'aria-sort="descending"' in html
    assert "status=pending&amp;sort=amount" in html  # the header's next order keeps the filter
    assert _amounts(client.get(url, {"sort": "maker_id"})) == ["50.00", "1,200.00", "300.00"]  # not a column
