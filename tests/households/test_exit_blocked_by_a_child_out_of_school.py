"""精准退出 on facts (issue 17.1): a county clerk cannot pass verification or 销号 while a guarantee is
unmet — a 12-year-old marked 辍学 blocks the exit whatever the tick boxes say, and the refusal names
the guarantee and the child."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import DomainError
from core.models import User
from households.models import HouseholdStatus, MedicalInsurance, Member, Relation, Schooling, Step
from households.selectors.guarantees import guarantees_met
from households.services import procedure_step_record
from households.services.guarantees import schooling_exemption_record
from tests.factories.households import MemberFactory, ready_to_exit, valid_id_number

from .conftest import db_snapshot

pytestmark = pytest.mark.django_db
EXIT = "exit"


def _child(household, schooling=Schooling.DROPPED_OUT) -> Member:
    """A 12-year-old, insured (only the schooling is in question)."""
    birth = timezone.localdate().replace(month=1, day=1) - dt.timedelta(days=12 * 365 + 200)
    child = MemberFactory(
        household=household, relation=Relation.SON, name="小明", schooling=schooling,
        id_number=valid_id_number(birth=birth),
    )  # fmt: skip
    for year in {timezone.localdate().year - 1, timezone.localdate().year}:
        MedicalInsurance.objects.create(
            member=child, year=year, insured=True, recorded_by=User.objects.first()
        )
    return child


def _review(household, clerk, minutes, days_ago):
    procedure_step_record(
        household=household, kind=EXIT, step=Step.DEMOCRATIC_REVIEW, actor=clerk,
        data={"date": days_ago(20), "attendance": 30, "votes_for": 25, "votes_against": 2}, files=[minutes()],
    )  # fmt: skip


def _verify(household, clerk, days_ago):
    return procedure_step_record(
        household=household, kind=EXIT, step=Step.VERIFICATION, actor=clerk,
        data={"date": days_ago(19), "year": 2016, "household_agrees": True},
    )  # fmt: skip


def test_a_child_out_of_school_blocks_verification_whatever_is_ticked(clerk, minutes, days_ago):
    household = ready_to_exit()
    _child(household)
    household.education_secured = True  # the old tick box says yes
    household.save(update_fields=["education_secured"])
    assert not guarantees_met(household)
    _review(household, clerk, minutes, days_ago)
    before = db_snapshot()
    with pytest.raises(DomainError) as exc:
        _verify(household, clerk, days_ago)
    message = " ".join(exc.value.as_dict()["guarantees"])
    assert "义务教育" in message
    assert "小明" in message
    assert "辍学" in message
    assert db_snapshot() == before


def test_a_recorded_exemption_lets_the_exit_go_on(clerk, minutes, days_ago):
    household = ready_to_exit()
    child = _child(household, schooling=Schooling.NOT_IN_SCHOOL)
    schooling_exemption_record(
        household=household, member_id=child.pk, actor=clerk, reason="重度残疾，送教上门", date=days_ago(60)
    )
    _review(household, clerk, minutes, days_ago)
    step = _verify(household, clerk, days_ago)
    assert step.data["guarantees"]["education"] == "met"


def test_deregistration_checks_the_guarantees_again_on_its_day(clerk, minutes, days_ago):
    household = ready_to_exit()
    _review(household, clerk, minutes, days_ago)
    _verify(household, clerk, days_ago)
    procedure_step_record(
        household=household, kind=EXIT, step=Step.EXIT_NOTICE, actor=clerk,
        data={"date": days_ago(18), "notice_start": days_ago(18), "notice_end": days_ago(10)},
    )  # fmt: skip
    _child(household)  # dropped out after the verification
    with pytest.raises(DomainError) as exc:
        procedure_step_record(
            household=household, kind=EXIT, step=Step.DEREGISTRATION, actor=clerk, data={"date": days_ago(5)}
        )
    assert "义务教育" in " ".join(exc.value.as_dict()["guarantees"])
    household.refresh_from_db()
    assert household.status == HouseholdStatus.REGISTERED


def test_the_household_page_shows_why_the_guarantee_is_unmet(client, clerk):
    household = ready_to_exit()
    _child(household)
    client.force_login(clerk)
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert 'data-guarantee="education"' in page
    assert "小明" in page
    assert "辍学" in page
    assert reverse("households:guarantee_record", args=[household.pk, "exemption"]) in page
