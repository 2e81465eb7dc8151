"""History in words (issue 21): one presenter (core.history) shows each change with the field's
verbose name, a choice's label, the related object's name, yes/no, dates as 2017年5月12日 and times in
local time — never a column name, an id or a stored enum value — on every page that shows history."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from core.history import history_for
from core.models import Region
from households.models import Household, HouseholdStatus
from tests.factories.core import OfficerFactory
from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed(xiuwu_village, clerk):
    """A household moved to the next village, exited, found food-secure, given an officer: each
    change written straight to the row, as an import or a job writes it (the triggers record it)."""
    household = HouseholdFactory(village=xiuwu_village, status=HouseholdStatus.REGISTERED)
    other = Region.objects.filter(parent=xiuwu_village.parent, level="village").exclude(pk=xiuwu_village.pk)
    other = other.order_by("code").first()
    officer = OfficerFactory()
    moment = dt.datetime(2026, 3, 5, 16, 30, tzinfo=dt.UTC)  # 00:30 in Shanghai
    Household.objects.filter(pk=household.pk).update(
        village=other, status=HouseholdStatus.EXITED, food_secure=True, assistance_officer=officer,
        status_changed_at=moment,
    )  # fmt: skip
    return household, other, officer


def test_each_change_reads_in_words(changed, clerk):
    household, other, officer = changed
    (update,) = [e for e in history_for(household, actor=clerk) if e.label == "update"]
    assert update.action == "修改"
    words = {c.label: (c.before, c.after) for c in update.words}
    assert words[str(Household._meta.get_field("status").verbose_name)] == (
        str(HouseholdStatus.REGISTERED.label),
        str(HouseholdStatus.EXITED.label),
    )
    assert words[str(Household._meta.get_field("village").verbose_name)] == (
        household.village.name,
        other.name,
    )
    assert words[str(Household._meta.get_field("food_secure").verbose_name)] == ("否", "是")
    assert words[str(Household._meta.get_field("assistance_officer").verbose_name)] == ("—", str(officer))
    # 16:30 UTC on 5 March is 00:30 on 6 March in Shanghai.
    assert words[str(Household._meta.get_field("status_changed_at").verbose_name)][1] == "2026年3月6日 00:30"
    # Raw names are kept for code that compares values, never shown.
    assert {"village_id", "status"} <= {c.field for c in update.words}


def test_the_household_page_shows_no_column_name_id_or_enum(client, changed, clerk):
    household, other, officer = changed
    client.force_login(clerk)
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    history = page.split('class="table history"', 1)[1].split("</table>", 1)[0]
    assert other.name in history
    assert str(officer) in history
    assert "2026年3月6日 00:30" in history
    for raw in ("village_id", "assistance_officer_id", "food_secure", "status_changed_at", "exited", "True",
                "<code>", "T16:30"):  # fmt: skip
        assert raw not in history, raw
    assert not re.search(r"\d{4}-\d{2}-\d{2}", history)


def test_money_reads_in_yuan(db):
    from core.history import _number

    assert _number(Decimal("12345.6"), money=True) == "12,345.60 元"
    assert _number("4000", money=True) == "4,000.00 元"
    assert _number(Decimal("1.5"), money=False) == "1.5"
