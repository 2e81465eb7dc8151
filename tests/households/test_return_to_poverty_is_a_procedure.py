"""返贫 as a procedure (issue 17.4): the county clerk starts it with its cause, the entry's steps and
public notice follow with who/when/evidence, and the county's approval moves the household to
RETURNED through core.transitions — after which it needs a plan again."""

import datetime as dt

import pytest

from assistance.selectors import NEEDS_PLAN_STATUSES
from core.exceptions import DomainError, TransitionNotAllowed
from households.models import CaseState, HouseholdStatus, HouseholdStatusChange, ProcedureKind, Step
from households.services import household_mark_returned, procedure_step_record
from tests.factories.households import household_with_members

pytestmark = pytest.mark.django_db
RETURN = ProcedureKind.RETURN


def _start(api_as, clerk, household, **extra):
    return api_as(clerk).post(
        f"/api/v1/households/{household.pk}/status/",
        {"action": "return", "reason": "户主突发脑梗，医疗支出大", "cause": "illness", **extra},
        format="json",
    )


def test_a_return_walks_the_entry_steps_and_ends_returned(api_as, clerk, minutes, days_ago):
    household = household_with_members(status=HouseholdStatus.EXITED)
    response = _start(api_as, clerk, household, date=days_ago(30).isoformat())
    assert response.status_code == 201, response.content
    assert (response.json()["kind"], response.json()["cause"], response.json()["next_step"]) == (
        "return",
        "illness",
        Step.VILLAGE_REVIEW,
    )
    household.refresh_from_db()
    assert household.status == HouseholdStatus.EXITED  # nothing moves before the county decides

    client = api_as(clerk)
    url = f"/api/v1/households/{household.pk}/procedures/return/"
    review = client.post(
        url,
        {"step": Step.VILLAGE_REVIEW, "date": days_ago(25).isoformat(), "attendance": "31", "votes_for": "28",
         "votes_against": "1", "files": minutes()},
        format="multipart",
    )  # fmt: skip
    assert review.status_code == 201, review.content
    for data in (
        {"step": Step.TOWNSHIP_REVIEW, "date": days_ago(20).isoformat(), "approved": True},
        {"step": Step.ENTRY_NOTICE, "date": days_ago(18).isoformat(), "notice_start": days_ago(18).isoformat(),
         "notice_end": days_ago(10).isoformat()},
        {"step": Step.COUNTY_APPROVAL, "date": days_ago(5).isoformat()},
    ):  # fmt: skip
        assert client.post(url, data, format="multipart").status_code == 201

    household.refresh_from_db()
    assert household.status == HouseholdStatus.RETURNED
    assert household.status in NEEDS_PLAN_STATUSES  # assistance's work list asks for a plan again
    case = household.procedures.get(kind=RETURN)
    assert case.state == CaseState.COMPLETED
    assert list(case.steps.order_by("date").values_list("step", "actor_id")) == [
        (Step.APPLICATION, clerk.pk), (Step.VILLAGE_REVIEW, clerk.pk), (Step.TOWNSHIP_REVIEW, clerk.pk),
        (Step.ENTRY_NOTICE, clerk.pk), (Step.COUNTY_APPROVAL, clerk.pk),
    ]  # fmt: skip
    assert case.steps.get(step=Step.VILLAGE_REVIEW).evidence.count() == 1
    change = HouseholdStatusChange.objects.filter(household=household).latest("at")
    assert (change.from_status, change.to_status, change.actor_id) == ("exited", "returned", clerk.pk)
    assert "因病" in change.note


def test_a_registered_household_cannot_return_and_the_cause_is_required(api_as, clerk):
    registered = household_with_members(status=HouseholdStatus.REGISTERED)
    response = _start(api_as, clerk, registered)
    assert response.status_code == 409
    assert "status" in response.json()["errors"]
    exited = household_with_members(status=HouseholdStatus.EXITED)
    with pytest.raises(DomainError) as exc:
        household_mark_returned(household=exited, actor=clerk, reason="家中受灾")
    assert "cause" in exc.value.as_dict()
    assert not exited.procedures.exists()


def test_an_objection_during_the_notice_stops_the_return_and_the_household_stays_exited(
    clerk, minutes, days_ago
):
    household = household_with_members(status=HouseholdStatus.EXITED)
    household_mark_returned(household=household, actor=clerk, reason="房屋倒塌", cause="disaster")
    procedure_step_record(
        household=household, kind=RETURN, step=Step.VILLAGE_REVIEW, actor=clerk,
        data={"attendance": 20, "votes_for": 15, "votes_against": 2}, files=[minutes()],
    )  # fmt: skip
    procedure_step_record(
        household=household, kind=RETURN, step=Step.TOWNSHIP_REVIEW, actor=clerk, data={"approved": True}
    )
    today = days_ago(0)
    procedure_step_record(
        household=household, kind=RETURN, step=Step.ENTRY_NOTICE, actor=clerk,
        data={"notice_start": today, "notice_end": today + dt.timedelta(days=6)},
    )  # fmt: skip
    procedure_step_record(
        household=household,
        kind=RETURN,
        step=Step.OBJECTION,
        actor=clerk,
        data={"note": "其子在外务工收入稳定"},
    )
    household.refresh_from_db()
    assert household.status == HouseholdStatus.EXITED
    assert household.procedures.get(kind=RETURN).state == CaseState.STOPPED
    with pytest.raises(TransitionNotAllowed):
        procedure_step_record(
            household=household, kind=RETURN, step=Step.COUNTY_APPROVAL, actor=clerk, data={}
        )


def test_the_page_starts_the_return_with_its_cause(client, clerk):
    household = household_with_members(status=HouseholdStatus.EXITED)
    client.force_login(clerk)
    url = f"/households/{household.pk}/status/return/"
    assert client.post(url, {"reason": "因病"}).status_code == 400  # the cause is required
    response = client.post(url, {"reason": "户主住院", "cause": "illness"})
    assert response.status_code == 302
    assert household.procedures.get(kind=RETURN).cause == "illness"
