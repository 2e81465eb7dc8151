"""A leader opens the 六个一 board, drills into one line for one county and sees the rows behind it."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from core.models import Region
from policies import services as policy_services
from tests.factories.core import UnitFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_leader_drills_from_the_board_into_the_rows_of_one_county(page, live_server, leader, admin_user, login,
                                                                   screenshot):  # fmt: skip
    policy = policy_services.policy_create(
        system="1+16", number=5, title="健康扶贫实施方案", issued_on=dt.date(2016, 3, 1),
        region=Region.objects.get(code="410800000000"), actor=admin_user,
    )  # fmt: skip
    xiuwu = Region.objects.get(code="410821000000")
    deadline = timezone.localdate().replace(month=12, day=31)
    tasks = []
    for name in ("修武县人民政府", "修武县卫生和计划生育委员会"):
        unit = UnitFactory(region=xiuwu, kind="government", name=name)
        tasks.append(
            policy_services.policy_task_assign(
                policy=policy,
                recipient=unit,
                requirement="出台县级健康扶贫实施办法",
                deadline=deadline,
                actor=admin_user,
            )
        )
    policy_services.policy_task_add_evidence(task=tasks[0], actor=admin_user, title="修武县健康扶贫办法",
                                             url="https://www.xiuwu.gov.cn/doc/5")  # fmt: skip

    login(page, leader.username, "Pass-word-123")
    page.goto(f"{live_server.url}/dashboard/six-ones/")
    line = page.locator('#board tr[data-line="policies"]')
    cell = line.locator('td[data-county="410821000000"]')
    assert "1/2" in cell.inner_text()
    screenshot(page, "sixones_board")

    cell.locator("a").click()
    page.wait_for_url(re.compile(r".*/dashboard/six-ones/410821000000/lines/policies/.*"))
    rows = page.locator("#rows tbody tr")
    assert rows.count() == 2
    text = page.locator("#rows").inner_text()
    assert "修武县人民政府" in text
    assert "修武县卫生和计划生育委员会" in text
    assert "(1/2)" in page.locator("#figure").inner_text()
    screenshot(page, "sixones_board_rows")

    # From a row the leader reads the task, but is offered no way to change it (read-only role).
    page.goto(f"{live_server.url}/policies/tasks/{tasks[1].pk}/")
    assert "出台县级健康扶贫实施办法" in page.locator("main, body").first.inner_text()
    assert page.locator("input[name=title]").count() == 0
