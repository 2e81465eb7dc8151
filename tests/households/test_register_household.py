"""Registering a household (建档立卡): ID rules, one head, one person in one active household."""

import pytest
from django.db import IntegrityError, transaction

from core import pii
from core.exceptions import DomainError
from households.models import CaseState, HouseholdStatus, Member, ProcedureCase, Step
from households.services import household_register, household_update
from tests.factories.households import (
    first_village,
    household_data,
    household_with_members,
    member_data,
    valid_id_number,
)

from .conftest import db_snapshot

pytestmark = pytest.mark.django_db


def register(actor, members, village=None, **data):
    return household_register(
        actor=actor, village=village or first_village(), data=household_data(**data), members=members
    )


def errors_of(excinfo) -> dict:
    return excinfo.value.as_dict()


def test_clerk_registers_a_household_and_its_entry_procedure_starts(clerk):
    head_id = valid_id_number()
    household = register(
        clerk, [member_data(name="张三", id_number=head_id), member_data(relation="spouse", name="李四")]
    )
    assert household.status == HouseholdStatus.APPLYING
    assert (household.head_name, household.member_count) == ("张三", 2)
    assert household.file_number.startswith(household.village_id)
    head = household.members.get(relation="head")
    assert head.id_number_hash == pii.keyed_hash(head_id)
    assert head.id_number_masked == f"{head_id[:6]}***********{head_id[-1]}"
    assert head_id not in head.id_number_cipher
    # Sex and birth date are taken from the ID number.
    assert head.birth_date.strftime("%Y%m%d") == head_id[6:14]
    assert all(m.is_current for m in household.members.all())
    case = ProcedureCase.objects.get(household=household)
    assert (case.kind, case.state, case.last_step) == ("entry", CaseState.OPEN, Step.APPLICATION)
    assert household.status_changes.get().to_status == HouseholdStatus.APPLYING


def test_bad_check_digit_is_refused_with_the_rule(clerk):
    number = valid_id_number()
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    before = db_snapshot()
    with pytest.raises(DomainError) as exc:
        register(clerk, [member_data(id_number=wrong)])
    assert errors_of(exc)["members.0.id_number"] == [
        f"身份证号校验码错误（GB 11643：应为 {number[17]}，实为 {wrong[17]}）。"
    ]
    assert db_snapshot() == before


def test_impossible_birth_date_is_refused(clerk):
    from core.idnumbers import check_digit

    first17 = "41082119900230123"  # 30 February
    with pytest.raises(DomainError) as exc:
        register(clerk, [member_data(id_number=first17 + check_digit(first17))])
    assert errors_of(exc)["members.0.id_number"] == ["身份证号中的出生日期（1990-02-30）不是真实日期。"]
    future17 = "41082120990101123"
    with pytest.raises(DomainError) as exc:
        register(clerk, [member_data(id_number=future17 + check_digit(future17))])
    assert errors_of(exc)["members.0.id_number"] == ["身份证号中的出生日期（2099-01-01）不可能。"]


def test_duplicate_person_is_refused_saying_where(clerk, other_clerk):
    existing = household_with_members()
    number = valid_id_number()
    from tests.factories.households import MemberFactory

    MemberFactory(household=existing, relation="son", id_number=number)
    before = db_snapshot()
    with pytest.raises(DomainError) as exc:
        register(clerk, [member_data(id_number=number)])
    village = existing.village.name
    assert errors_of(exc)["members.0.id_number"] == [
        f"此人已登记在户 {existing.file_number}（户主{existing.head_name}，{village}）。"
    ]
    assert db_snapshot() == before
    # Somebody of another county learns that the person is registered, not where.
    from tests.factories.households import first_village as fv

    with pytest.raises(DomainError) as exc:
        register(other_clerk, [member_data(id_number=number)], village=fv("410822"))
    assert errors_of(exc)["members.0.id_number"] == ["此人已登记在您管辖范围以外的一户中。"]


def test_the_database_itself_refuses_a_person_in_two_active_households(clerk):
    number = valid_id_number()
    register(clerk, [member_data(id_number=number)])
    other = household_with_members(members=1)
    member = Member(household=other, name="重复", sex="M", birth_date="1980-01-01", relation="son",
                    education="primary", labour_ability="ordinary")  # fmt: skip
    member.set_id_number(number)
    with pytest.raises(IntegrityError, match="member_one_active_household"), transaction.atomic():
        member.save()


def test_same_number_twice_in_one_household_is_refused(clerk):
    number = valid_id_number()
    with pytest.raises(DomainError) as exc:
        register(clerk, [member_data(id_number=number), member_data(relation="son", id_number=number)])
    assert "填写了两次" in errors_of(exc)["members.1.id_number"][0]


def test_exactly_one_head(clerk):
    with pytest.raises(DomainError) as exc:
        register(clerk, [member_data(), member_data()])
    assert errors_of(exc)["members"] == ["每户有且只有一名户主；现有 2 人标为户主。"]
    with pytest.raises(DomainError):
        register(clerk, [member_data(relation="spouse")])


def test_birth_date_and_sex_must_match_the_id_number(clerk):
    import datetime as dt

    number = valid_id_number(birth=dt.date(1970, 5, 1), female=True)
    with pytest.raises(DomainError) as exc:
        register(clerk, [member_data(id_number=number, birth_date=dt.date(1971, 5, 1), sex="M")])
    errors = errors_of(exc)
    assert errors["members.0.birth_date"] == ["出生日期 1971-05-01 与身份证号不符（应为 1970-05-01）。"]
    assert errors["members.0.sex"] == ["性别与身份证号（第17位）不符。"]


def test_household_fields_are_checked_with_chinese_errors(clerk):
    before = db_snapshot()
    with pytest.raises(DomainError) as exc:
        register(clerk, [member_data()], phone="12345", main_cause="illness", secondary_causes=["illness"])
    errors = errors_of(exc)
    assert errors["phone"] == ["请填写11位手机号或固定电话（如0391-1234567）。"]
    assert errors["secondary_causes"] == ["主要致贫原因不能同时作为其他致贫原因。"]
    assert db_snapshot() == before


def test_member_leaving_is_no_longer_current_and_can_join_another_household(clerk):
    household = register(clerk, [member_data(name="户主甲"), member_data(relation="son", name="儿子乙")])
    son = household.members.get(relation="son")
    number = son.reveal_id_number()
    household_update(household=household, actor=clerk, data={},
                     members=[{"id": son.pk, "is_active": False, "left_reason": "婚嫁迁出"}])  # fmt: skip
    son.refresh_from_db()
    assert (son.is_active, son.is_current) == (False, False)
    household.refresh_from_db()
    assert household.member_count == 1
    other = register(clerk, [member_data(id_number=number, name="儿子乙")])
    assert other.members.get().is_current


def test_head_can_be_handed_over_in_one_update(clerk):
    household = register(clerk, [member_data(name="老户主"), member_data(relation="son", name="新户主")])
    old = household.members.get(name="老户主")
    new = household.members.get(name="新户主")
    household_update(household=household, actor=clerk, data={}, members=[
        {"id": old.pk, "relation": "parent", "name": old.name, "education": "primary", "labour_ability": "weak"},
        {"id": new.pk, "relation": "head", "name": new.name, "education": "primary", "labour_ability": "ordinary"},
    ])  # fmt: skip
    household.refresh_from_db()
    assert household.head_name == "新户主"


def test_leader_cannot_register(leader):
    from core.exceptions import ReadOnlyActor

    with pytest.raises(ReadOnlyActor):
        register(leader, [member_data()])
