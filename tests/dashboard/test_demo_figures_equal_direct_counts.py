"""On the demo data, every dashboard figure equals a direct count over the source tables."""

import pytest

from core.models import Region
from dashboard import selectors
from dashboard.figures import METRICS
from dashboard.services import figures_refresh
from tests.dashboard.direct import all_figures, expected, shown

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(demo_database):
    """The demo data of every app: the run's demo (tests/demo_db.py), copied for this module."""


def test_demo_figures_equal_direct_counts_at_every_level(demo, leader):
    figures_refresh()
    village = Region.objects.filter(
        level="village", code__startswith="410821", households__isnull=False
    ).first()
    regions = ["410800000000", "410821000000"]
    if village is not None:
        regions += [village.parent_id, village.code]
    checked = 0
    for code in regions:
        region = Region.objects.get(code=code)
        figures = selectors.overview(actor=leader, region_code=code, with_children=False).figures
        direct = all_figures(region.prefix)
        for metric in METRICS:
            if metric.only_depth or (len(region.prefix) > metric.max_depth):
                continue
            assert shown(figures, metric.name) == expected(direct[metric.name]), (code, metric.name)
            checked += 1
    assert checked >= 2 * len(METRICS) - 2


def test_demo_drill_down_rows_add_up_to_every_figure(demo, leader, client):
    """From any figure of a county to the rows behind it: their count (or sum) is the figure."""
    from django.urls import reverse

    figures_refresh()
    county = "410821000000"
    figures = selectors.overview(actor=leader, region_code=county, with_children=False).figures
    client.force_login(leader)
    checked = set()
    for metric, values in figures.items():
        if metric not in selectors.ROW_METRICS:
            continue
        for key, value in values.items():
            rows = selectors.figure_rows(actor=leader, region_code=county, metric=metric, key=key)
            if selectors.ROW_METRICS[metric] == "line":
                total = sum((line.debit - line.credit) for line in rows)
            else:
                total = rows.count()
            assert total == value, (metric, key)
            page = client.get(reverse("dashboard:rows", args=[county, metric]), {"key": key})
            assert page.status_code == 200, (metric, key)
            checked.add(selectors.ROW_METRICS[metric])
    assert {"household", "member", "line", "finding", "item"} <= checked


def _inbox_item(page: str, key: str) -> str:
    """The inbox line `key` on a home page (core.inbox), or "" when the page has none."""
    inbox = page.split('id="inbox"', 1)[1].split("</section>", 1)[0]
    if f'id="w-{key}"' not in inbox:
        return ""
    return inbox.split(f'id="w-{key}"', 1)[1].split("</li>", 1)[0]


def test_the_clerk_and_the_finance_officers_find_their_work_on_the_home_page(demo, client):
    """What waits for each is on the home page, counted and linked (issue 21): a finance officer's
    requests to check never include their own; the clerk's households meeting the exit conditions;
    the read-only auditor is shown nothing to do."""
    from django.urls import reverse

    from core.models import User
    from funds.models import DisbursementRequest, RequestStatus
    from households.selectors.candidates import exit_due_count

    pending = DisbursementRequest.objects.filter(
        status=RequestStatus.PENDING, region__code__startswith="410821"
    )
    shown = {}
    for username in ("finance", "finance2"):
        client.force_login(User.objects.get(username=username))
        line = _inbox_item(client.get(reverse("home")).content.decode(), "funds-check")
        waiting = pending.exclude(maker__username=username).count()
        shown[username] = waiting
        if waiting:
            assert "待您审核的拨付申请" in line
            assert f">{waiting}</span>" in line
            assert f'href="{reverse("funds:request_list")}?status=pending"' in line
        else:
            assert line == ""
    # The demo makes this show: someone has requests to check, and someone's own were left out (the
    # demo's five pending requests are finance's: finance2 checks them, finance sees none).
    assert max(shown.values()) > 0, shown
    assert min(shown.values()) < pending.count(), shown

    clerk = User.objects.get(username="clerk")
    due = exit_due_count(actor=clerk)
    client.force_login(clerk)
    page = client.get(reverse("home")).content.decode()
    line = _inbox_item(page, "households-exit-due")
    if due:  # how many the demo holds depends on the day it is seeded (a clean clone had none)
        assert f">{due}</span>" in line
        assert f'href="{reverse("households:exit_due")}"' in line
    else:
        assert line == ""
    assert not _inbox_item(page, "funds-check")

    client.force_login(User.objects.get(username="auditor"))
    page = client.get(reverse("home")).content.decode()
    assert "目前没有待办事项。" in page.split('id="inbox"', 1)[1].split("</section>", 1)[0]
