"""A villager's objection on the public notice board stops the household's notice (公告公示:
any objection stops it) and is recorded as a step, without any login."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import TransitionNotAllowed
from households.models import CaseState, HouseholdStatus, ProcedureCase, ProcedureKind, Step
from households.services import public_notice_objection_raise
from tests.factories.households import household_with_members

pytestmark = pytest.mark.django_db


def _case(village, clerk, *, kind=ProcedureKind.EXIT, status=HouseholdStatus.REGISTERED, days_left=5):
    household = household_with_members(village=village, members=2, status=status)
    today = timezone.localdate()
    start = today - dt.timedelta(days=max(2, 7 - days_left))  # a notice always lasts at least 7 days
    step = Step.EXIT_NOTICE if kind == ProcedureKind.EXIT else Step.ENTRY_NOTICE
    return ProcedureCase.objects.create(
        household=household, kind=kind, state=CaseState.OPEN, last_step=step,
        notice_start=start, notice_end=today + dt.timedelta(days=days_left), started_by=clerk,
    )  # fmt: skip


def test_objection_on_the_board_stops_the_exit_notice(client, xiuwu_village, clerk):
    case = _case(xiuwu_village, clerk)
    response = client.post(
        reverse("inspections:board", args=[xiuwu_village.code]),
        {"content": "他家儿子在城里开店，收入不低", "case": case.pk},
        REMOTE_ADDR="127.0.0.9",
    )
    assert response.status_code in (200, 302)
    case.refresh_from_db()
    assert case.state == CaseState.STOPPED
    assert "收入不低" in case.stop_reason
    objection = case.steps.get(step=Step.OBJECTION)
    assert objection.actor.username == "public-board"
    assert not objection.actor.is_active  # the board's account can never log in
    case.household.refresh_from_db()
    assert case.household.status == HouseholdStatus.REGISTERED  # an exit stops; the household stays 在册


def test_objection_to_an_entry_notice_rejects_the_application(xiuwu_village, clerk):
    case = _case(xiuwu_village, clerk, kind=ProcedureKind.ENTRY, status=HouseholdStatus.APPLYING)
    public_notice_objection_raise(case=case, reason="不符合识别标准", contact="", source="public_board")
    case.household.refresh_from_db()
    assert case.household.status == HouseholdStatus.REJECTED
    assert case.household.status_changes.filter(to_status=HouseholdStatus.REJECTED).exists()


def test_no_objection_after_the_notice_or_outside_it(xiuwu_village, clerk):
    ended = _case(xiuwu_village, clerk, days_left=-1)
    with pytest.raises(TransitionNotAllowed):
        public_notice_objection_raise(case=ended, reason="太晚了", contact="")
    ended.refresh_from_db()
    assert ended.state == CaseState.OPEN
    assert not ended.steps.exists()
