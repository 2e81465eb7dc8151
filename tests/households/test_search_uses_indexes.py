"""Exact ID search (keyed hash) and name search (prefix) are answered from indexes, not by scanning."""

import datetime as dt

import pytest
from django.db import connection

from core import pii
from core.idnumbers import check_digit
from households.models import Household, HouseholdStatus, Member
from households.selectors import HouseholdFilters, household_list
from tests.factories.households import first_village

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_households(regions):
    """5,000 households with one member each, then ANALYZE so the planner knows the table sizes."""
    village = first_village()
    households = Household.objects.bulk_create(
        [
            Household(
                file_number=f"IDX{i:06d}",
                village=village,
                head_name=f"姓{i:05d}",
                attribute="general",
                identified_year=2016,
                status=HouseholdStatus.REGISTERED,
                main_cause="illness",
            )
            for i in range(5000)
        ]
    )
    members = []
    for i, h in enumerate(households):
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=i)
        first17 = f"410821{birth:%Y%m%d}001"
        number = first17 + check_digit(first17)
        m = Member(household=h, name=h.head_name, sex="M", birth_date=birth, relation="head",
                   education="primary", labour_ability="ordinary")  # fmt: skip
        m.id_number_cipher = "x"
        m.id_number_hash = pii.keyed_hash(number)
        m.id_number_key_version = pii.key_version()
        m.id_number_masked = pii.mask_id(number)
        members.append(m)
    Member.objects.bulk_create(members)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE households_household")
        cursor.execute("ANALYZE households_member")
    return households


def plan(qs) -> str:
    return qs.explain()


def test_exact_id_number_search_uses_the_hash_index(clerk, many_households):
    first17 = "41082119600102001"
    qs = household_list(actor=clerk, filters=HouseholdFilters(q=first17 + check_digit(first17)))
    text = plan(qs)
    assert "households_member_id_number_hash" in text, text
    assert "Seq Scan on households_member" not in text, text
    assert qs.count() == 1


def test_name_search_uses_the_name_indexes(clerk, many_households):
    qs = household_list(actor=clerk, filters=HouseholdFilters(q="姓0012"))
    text = plan(qs)
    assert "member_name_idx" in text, text
    assert "Seq Scan on households_member" not in text, text
    assert qs.count() == 10


def test_file_number_search_uses_the_unique_index(clerk, many_households):
    qs = household_list(actor=clerk, filters=HouseholdFilters(q="IDX000123"))
    text = plan(qs)
    assert "Seq Scan on households_household" not in text, text
    assert qs.count() == 1
