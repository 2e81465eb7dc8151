"""The reveal log has a screen (issue 15.11): administrators and auditors list reveals by user,
date and household — page and API, their region only — and see yesterday's on their home page."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Role, SensitiveAccess
from tests.conftest import XIUWU, make_user
from tests.factories.households import household_with_members

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(regions):
    return make_user(Role.AUDITOR, XIUWU, username="auditor_xiuwu", full_name="修武审计员")


def at(day_offset: int, hour: int = 10):
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def reveal(user, *, village, household_id, when, member_id=1):
    return SensitiveAccess.objects.create(
        user=user, object_type="households.member", object_id=str(member_id), field="id_number",
        channel="page", path="/households/", region_id=village, household_id=household_id, at=when,
    )  # fmt: skip


@pytest.fixture
def log(clerk, other_clerk, xiuwu_village, boai_village):
    """Reveals in 修武县 by the 修武 clerk (yesterday, two households; three days ago) and one in 博爱县."""
    other_xiuwu = make_user(Role.COUNTY_CLERK, XIUWU, username="clerk_xiuwu_2", full_name="修武科员乙")
    return {
        "y1": reveal(clerk, village=xiuwu_village.code, household_id=101, when=at(-1, 9)),
        "y2": reveal(clerk, village=xiuwu_village.code, household_id=102, when=at(-1, 15)),
        "y3": reveal(other_xiuwu, village=xiuwu_village.code, household_id=101, when=at(-1, 16)),
        "old": reveal(clerk, village=xiuwu_village.code, household_id=101, when=at(-3)),
        "boai": reveal(other_clerk, village=boai_village.code, household_id=201, when=at(-1)),
        # A search by full number has no record: it belongs to the region of the user who searched.
        "probe": SensitiveAccess.objects.create(
            user=other_clerk,
            object_type="id_number_probe",
            object_id="abc",
            field="search",
            channel="page",
            at=at(-1),
        ),
    }


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_an_auditor_lists_the_reveals_of_their_county_only(client, auditor, log):
    client.force_login(auditor)
    page = client.get(reverse("core:reveal_list"))
    assert page.status_code == 200
    shown = {r.pk for r in page.context["page"]}
    assert shown == {log[k].pk for k in ("y1", "y2", "y3", "old")}


def test_the_reveal_log_filters_by_user_date_and_household(client, auditor, clerk, log):
    client.force_login(auditor)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    by_user = client.get(reverse("core:reveal_list"), {"user": clerk.username})
    assert {r.pk for r in by_user.context["page"]} == {log["y1"].pk, log["y2"].pk, log["old"].pk}
    by_day = client.get(reverse("core:reveal_list"), {"date_from": yesterday, "date_to": yesterday})
    assert {r.pk for r in by_day.context["page"]} == {log["y1"].pk, log["y2"].pk, log["y3"].pk}
    by_household = client.get(reverse("core:reveal_list"), {"household": "101"})
    assert {r.pk for r in by_household.context["page"]} == {log["y1"].pk, log["y3"].pk, log["old"].pk}

    bad = client.get(reverse("core:reveal_list"), {"date_from": "2026-13-40"})
    assert bad.status_code == 400
    assert "date_from" in bad.context["form"].errors


def test_the_reveal_api_filters_and_pages_in_the_auditors_county(client, auditor, clerk, log):
    client.force_login(auditor)
    url = reverse("api:reveal_list")
    assert ids(client.get(url)) == {log[k].pk for k in ("y1", "y2", "y3", "old")}
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert ids(client.get(url, {"user": clerk.username, "date_from": yesterday})) == {
        log["y1"].pk,
        log["y2"].pk,
    }
    assert ids(client.get(url, {"household": 102})) == {log["y2"].pk}

    first = client.get(url, {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    assert [r["id"] for r in first["results"]] == [log["y3"].pk, log["y2"].pk]  # newest first
    assert [r["id"] for r in second["results"]] == [log["y1"].pk, log["old"].pk]
    assert first["results"][0]["username"] == "clerk_xiuwu_2"
    assert first["results"][0]["household"] == 101


def test_the_other_countys_reveals_are_seen_by_the_city_administrator(client, admin_user, log):
    client.force_login(admin_user)
    assert ids(client.get(reverse("api:reveal_list"))) == {r.pk for r in log.values()}


def test_roles_that_do_not_audit_reveals_are_refused(client, clerk, leader, log):
    for user in (clerk, leader):
        client.force_login(user)
        assert client.get(reverse("core:reveal_list")).status_code == 403
        assert client.get(reverse("api:reveal_list")).status_code == 403


def test_a_reveal_records_the_household_and_its_village(client, clerk, auditor):
    household = household_with_members()
    member = household.members.first()
    client.force_login(clerk)
    client.post(reverse("households:reveal", args=[household.pk, member.pk]))
    row = SensitiveAccess.objects.get()
    assert row.household_id == household.pk
    assert row.region_id == household.village_id
    client.force_login(auditor)
    by_household = client.get(reverse("core:reveal_list"), {"household": household.pk})
    assert [r.pk for r in by_household.context["page"]] == [row.pk]


def test_the_auditors_home_shows_yesterdays_reveals(client, auditor, clerk, log):
    client.force_login(auditor)
    response = client.get(reverse("home"))
    body = response.content.decode()
    # Yesterday in 修武县: three reveals by two users; the clerk first with two.
    summary = response.context["summary"]
    assert (summary["count"], summary["users"]) == (3, 2)
    assert [(r["user__username"], r["n"]) for r in summary["top"]] == [
        (clerk.username, 2),
        ("clerk_xiuwu_2", 1),
    ]
    assert clerk.full_name in body
    assert reverse("core:reveal_list") in body
    panel = body.split('id="reveal-summary-h"', 1)[1].split("</section>", 1)[0]
    assert panel.index(clerk.full_name) < panel.index("修武科员乙")
    assert "博爱" not in panel


def test_the_home_of_a_clerk_has_no_reveal_summary(client, clerk, log):
    client.force_login(clerk)
    assert 'id="reveal-summary-h"' not in client.get(reverse("home")).content.decode()


def test_an_empty_day_says_so(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("home"))
    assert 'id="reveal-summary-h"' in response.content.decode()
    assert response.context["summary"]["count"] == 0


def test_the_reveal_log_costs_the_same_for_more_rows(client, auditor, clerk, xiuwu_village):
    """Pinned: the page and the API read the rows with their users and regions in one query,
    whatever the number of rows (no query per row)."""
    client.force_login(auditor)
    urls = (reverse("core:reveal_list"), reverse("api:reveal_list"))
    for url in urls:  # warm the session and the roles cache
        client.get(url)
    counts = []
    for extra in (2, 12):
        for i in range(extra):
            reveal(clerk, village=xiuwu_village.code, household_id=300 + i, when=at(-1))
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:]
