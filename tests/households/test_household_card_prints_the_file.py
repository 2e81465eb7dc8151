"""The printable 户卡 (issue 21): the household's file on A4 — members masked as the reader may see
them, income, 两不愁三保障, this year's plan and measures, the responsible officer's visits, the latest
changes in words — with the household page's scope (outside the reader's region: 404) and a fixed
number of queries whatever the household's size."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assistance.models import Visit
from households import services
from households.models import Income, Member
from tests.factories.assistance import MeasureFactory, PlanFactory
from tests.factories.households import household_with_members

pytestmark = pytest.mark.django_db

CARD_QUERIES = 20  # pinned: the same for 1 and for 20 members (test_the_card_reads_in_fixed_queries)


@pytest.fixture
def household(regions, xiuwu_officer, clerk):
    h = household_with_members(members=3, main_cause="illness", secondary_causes=["lack_funds"])
    h.assistance_officer = xiuwu_officer
    h.address = "一组12号"
    h.save(update_fields=["assistance_officer", "address", "updated_at"])
    Income.objects.create(
        household=h, year=2016, per_capita_net_income=Decimal("4321.50"), wage_income=Decimal("12000")
    )
    plan = PlanFactory(household=h)
    MeasureFactory(plan=plan, title="大病医疗救助", causes=["illness"])
    Visit.objects.create(
        client_uuid=uuid.uuid4(), household=h, officer=xiuwu_officer, activities="了解务工收入情况",
        visited_on=timezone.localdate() - dt.timedelta(days=3), satisfaction="satisfied", recorded_by=clerk,
    )  # fmt: skip
    return h


def _card(client, user, household):
    client.force_login(user)
    return client.get(reverse("households:card", args=[household.pk]))


def test_the_clerk_prints_the_file_with_id_numbers_masked(client, clerk, household):
    response = _card(client, clerk, household)
    assert response.status_code == 200
    body = response.content.decode()
    members = list(Member.objects.filter(household=household))
    for m in members:
        assert m.name in body
        assert m.id_number_masked in body
        # Never the full number on paper, even to a role that may reveal it; the full birth date
        # to the clerk, who may.
        assert m.reveal_id_number() not in body
        assert f"{m.birth_date.year}年{m.birth_date.month}月{m.birth_date.day}日" in body
    assert "户卡" in body
    assert "4,321.50" in body  # yuan in the house style
    assert "12,000.00" in body
    assert 'id="guarantee-states"' in body
    assert "大病医疗救助" in body  # the plan's measure
    assert "了解务工收入情况" in body  # the responsible officer's visit
    assert household.assistance_officer.name in body
    assert "mainnav" not in body  # a sheet, not a page of the application
    assert "quicksearch" not in body


def test_a_role_that_may_not_reveal_sees_the_birth_year_only(client, leader, household):
    m = Member.objects.filter(household=household).first()
    body = _card(client, leader, household).content.decode()
    assert m.id_number_masked in body
    assert m.reveal_id_number() not in body
    assert f"{m.birth_date.year}年{m.birth_date.month}月{m.birth_date.day}日" not in body
    assert f"{m.birth_date.year}年" in body


def test_the_latest_changes_read_in_words(client, clerk, household):
    services.household_update(household=household, data={"address": "二组8号"}, actor=clerk)
    body = _card(client, clerk, household).content.decode()
    history = body.split('id="card-history"', 1)[1]
    assert "二组8号" in history
    assert "住址" in history  # the field's verbose name, not `address`
    assert "address" not in history


def test_a_household_outside_the_readers_county_is_404(client, other_clerk, household):
    assert _card(client, other_clerk, household).status_code == 404


def test_the_household_page_links_to_its_card(client, clerk, household):
    client.force_login(clerk)
    body = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert reverse("households:card", args=[household.pk]) in body
    assert "打印户卡" in body


def _queries(client, user, household) -> int:
    client.force_login(user)
    url = reverse("households:card", args=[household.pk])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_card_reads_in_fixed_queries(client, clerk, regions, django_assert_max_num_queries):
    small = household_with_members(members=1)
    large = household_with_members(members=20)
    for h in (small, large):
        plan = PlanFactory(household=h)
        for i in range(3):
            MeasureFactory(plan=plan, title=f"措施{i}", causes=["illness"])
    _queries(client, clerk, small)  # warm the caches a first request fills (sessions, permissions)
    assert _queries(client, clerk, small) == _queries(client, clerk, large)
    with django_assert_max_num_queries(CARD_QUERIES):
        client.get(reverse("households:card", args=[large.pk]))
