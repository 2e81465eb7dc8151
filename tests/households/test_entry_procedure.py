"""Entry (识别): application → village democratic review → township review → public notice → county approval."""

import pytest

from core.exceptions import DomainError, TransitionNotAllowed
from households.models import CaseState, HouseholdStatus, Step
from households.services import household_register, procedure_step_record
from tests.factories.households import first_village, household_data, member_data

pytestmark = pytest.mark.django_db


def applied(clerk):
    return household_register(
        actor=clerk, village=first_village(), data=household_data(), members=[member_data()]
    )


def step(household, actor, name, **data):
    files = data.pop("files", [])
    return procedure_step_record(
        household=household, kind="entry", step=name, actor=actor, data=data, files=files
    )


def test_entry_walks_every_step_and_registers_the_household(clerk, minutes, days_ago):
    household = applied(clerk)
    with pytest.raises(TransitionNotAllowed, match="下一步是村民主评议"):
        step(household, clerk, Step.TOWNSHIP_REVIEW, approved=True)
    step(household, clerk, Step.VILLAGE_REVIEW, date=days_ago(0), attendance=40, votes_for=35, votes_against=2,
         files=[minutes()])  # fmt: skip
    step(household, clerk, Step.TOWNSHIP_REVIEW, date=days_ago(0), approved=True)
    with pytest.raises(TransitionNotAllowed, match="下一步是公告公示"):
        step(household, clerk, Step.COUNTY_APPROVAL)
    step(
        household,
        clerk,
        Step.ENTRY_NOTICE,
        date=days_ago(0),
        notice_start=days_ago(0),
        notice_end=days_ago(-6),
    )
    with pytest.raises(DomainError) as exc:
        step(household, clerk, Step.COUNTY_APPROVAL)  # the notice is still running
    assert "公示期至" in exc.value.as_dict()["date"][0]
    case = household.procedures.get()
    case.steps.update(date=days_ago(10))
    type(case).objects.filter(pk=case.pk).update(notice_start=days_ago(10), notice_end=days_ago(4))
    step(household, clerk, Step.COUNTY_APPROVAL)
    household.refresh_from_db()
    assert household.status == HouseholdStatus.REGISTERED
    case.refresh_from_db()
    assert case.state == CaseState.COMPLETED
    assert list(case.steps.order_by("at").values_list("step", flat=True)) == [
        Step.APPLICATION, Step.VILLAGE_REVIEW, Step.TOWNSHIP_REVIEW, Step.ENTRY_NOTICE, Step.COUNTY_APPROVAL,
    ]  # fmt: skip


def test_township_rejection_stops_entry_and_frees_the_members(clerk):
    household = applied(clerk)
    case = household.procedures.get()
    case.steps.all()  # application recorded at registration
    from tests.factories.households import minutes_file

    step(
        household,
        clerk,
        Step.VILLAGE_REVIEW,
        attendance=10,
        votes_for=6,
        votes_against=1,
        files=[minutes_file()],
    )
    with pytest.raises(DomainError) as exc:
        step(household, clerk, Step.TOWNSHIP_REVIEW, approved=False)
    assert exc.value.as_dict()["note"] == ["请说明乡镇不同意的理由。"]
    step(household, clerk, Step.TOWNSHIP_REVIEW, approved=False, note="家中有营运车辆，不符合识别标准")
    household.refresh_from_db()
    assert household.status == HouseholdStatus.REJECTED
    assert household.procedures.get().state == CaseState.STOPPED
    assert not household.members.filter(is_current=True).exists()
