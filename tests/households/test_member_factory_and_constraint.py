import pytest
from django.db import IntegrityError, transaction

from core import pii
from tests.factories.households import (
    HouseholdFactory,
    MemberFactory,
    household_with_members,
    valid_id_number,
)

pytestmark = pytest.mark.django_db


def test_member_id_number_is_encrypted_hashed_and_masked(regions):
    number = valid_id_number()
    member = MemberFactory(id_number=number)
    member.refresh_from_db()
    assert number not in member.id_number_cipher
    assert member.reveal_id_number() == number
    assert member.id_number_hash == pii.keyed_hash(number)
    assert member.id_number_masked == f"{number[:6]}***********{number[-1]}"


def test_database_refuses_one_person_in_two_active_households(regions):
    number = valid_id_number()
    MemberFactory(id_number=number)
    with pytest.raises(IntegrityError, match="member_one_active_household"), transaction.atomic():
        MemberFactory(id_number=number, household=HouseholdFactory())


def test_person_may_reappear_once_the_old_membership_is_not_current(regions):
    number = valid_id_number()
    old = MemberFactory(id_number=number)
    old.is_current = False
    old.save()
    MemberFactory(id_number=number, household=HouseholdFactory())


def test_main_cause_cannot_also_be_secondary(regions):
    with pytest.raises(IntegrityError, match="household_main_cause_not_secondary"), transaction.atomic():
        HouseholdFactory(main_cause="illness", secondary_causes=["illness", "lack_funds"])


def test_household_with_members_helper(regions):
    household = household_with_members(members=3)
    assert household.members.count() == 3
