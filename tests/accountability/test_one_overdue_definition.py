"""One overdue definition (issue 19.9): the monthly bulletin's overdue count and the daily job agree — an item
due on the last day of the month is overdue on the 1st of the next (both count it); an item submitted with its
evidence before then is awaiting verification (neither does); one sent back open is overdue again."""

import datetime as dt

import pytest

from accountability.services.bulletin import rectifications_section
from core.models import Region
from inspections.models import ItemStatus, RectificationItem
from inspections.selectors import overdue_on
from inspections.services import rectification_flag_overdue
from tests.factories.inspections import RectificationItemFactory

pytestmark = pytest.mark.django_db
MAY = dt.date(2017, 5, 1)
JUNE_1 = dt.date(2017, 6, 1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def items(regions):
    due_last_day = RectificationItemFactory(deadline=dt.date(2017, 5, 31))
    due_mid_month = RectificationItemFactory(deadline=dt.date(2017, 5, 15))
    due_june_1 = RectificationItemFactory(deadline=JUNE_1)
    submitted = RectificationItemFactory(deadline=dt.date(2017, 5, 20))
    # Made in April (the bulletin counts the items that existed by the end of its month).
    RectificationItem.objects.filter(
        pk__in=[due_last_day.pk, due_mid_month.pk, due_june_1.pk, submitted.pk]
    ).update(created_at=at(dt.date(2017, 4, 1)))
    RectificationItem.objects.filter(pk=submitted.pk).update(
        status=ItemStatus.SUBMITTED, evidence_note="已整改", submitted_at=at(dt.date(2017, 5, 18))
    )
    return {"last_day": due_last_day, "mid": due_mid_month, "june_1": due_june_1, "submitted": submitted}


def test_the_selector_on_fixed_dates(items):
    on_31 = set(
        RectificationItem.objects.filter(overdue_on(dt.date(2017, 5, 31))).values_list("pk", flat=True)
    )
    assert on_31 == {items["mid"].pk}
    on_1 = set(RectificationItem.objects.filter(overdue_on(JUNE_1)).values_list("pk", flat=True))
    assert on_1 == {items["mid"].pk, items["last_day"].pk}


def test_the_bulletin_and_the_daily_job_count_the_same_items(items):
    county = Region.objects.get(code=items["mid"].region_id[:6].ljust(12, "0"))
    section = rectifications_section(Region.objects.get(code="410800000000"), MAY, [county])
    in_bulletin = {i["id"] for i in section["overdue_items"]}
    flagged = set(rectification_flag_overdue(today=JUNE_1))
    assert in_bulletin == flagged == {items["mid"].pk, items["last_day"].pk}
    assert section["totals"]["overdue"] == 2


def test_an_item_sent_back_is_overdue_again(items):
    RectificationItem.objects.filter(pk=items["submitted"].pk).update(status=ItemStatus.OPEN)
    assert items["submitted"].pk in set(rectification_flag_overdue(today=JUNE_1))
    on_1 = set(RectificationItem.objects.filter(overdue_on(JUNE_1)).values_list("pk", flat=True))
    assert items["submitted"].pk in on_1


def test_the_monthly_score_counts_the_same_items(items):
    """The 考评办法's overdue-rectification indicator reads the same definition, one subject or many at once."""
    from accountability.inputs import collect, collect_all, scope_of_unit

    scope = scope_of_unit(items["mid"].responsible_unit)
    expected = {items["mid"].pk, items["last_day"].pk}
    one = collect(scope, MAY).sources["inspections.rectifications"]["item_ids"]
    many = collect_all([scope], MAY)[0].sources["inspections.rectifications"]["item_ids"]
    assert set(one) == set(many) == expected
