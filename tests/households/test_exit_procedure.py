"""Exit (退出): 民主评议 → 核实认可 → 公告公示 (≥ 7 days, objection stops it) → 脱贫销号, nothing skipped."""

import pytest

from core.exceptions import DomainError, TransitionNotAllowed
from core.models import Role
from core.uploads import read_stored
from households.models import CaseState, HouseholdStatus, HouseholdStatusChange, ProcedureStep, Step
from households.services import procedure_step_record
from tests.factories.households import ready_to_exit

from .conftest import db_snapshot

pytestmark = pytest.mark.django_db
EXIT = "exit"


def review(household, actor, minutes, days_ago, **data):
    return procedure_step_record(
        household=household, kind=EXIT, step=Step.DEMOCRATIC_REVIEW, actor=actor,
        data={"date": days_ago(20), "attendance": 30, "votes_for": 25, "votes_against": 2, **data},
        files=[minutes()],
    )  # fmt: skip


def verify(household, actor, days_ago, **data):
    return procedure_step_record(
        household=household, kind=EXIT, step=Step.VERIFICATION, actor=actor,
        data={"date": days_ago(19), "year": 2016, "household_agrees": True, **data},
    )  # fmt: skip


def notice(household, actor, days_ago, start=18, end=10):
    return procedure_step_record(
        household=household, kind=EXIT, step=Step.EXIT_NOTICE, actor=actor,
        data={"date": days_ago(start), "notice_start": days_ago(start), "notice_end": days_ago(end)},
    )  # fmt: skip


def deregister(household, actor, days_ago, n=5):
    return procedure_step_record(
        household=household, kind=EXIT, step=Step.DEREGISTRATION, actor=actor, data={"date": days_ago(n)}
    )


def messages_of(excinfo, field):
    return " ".join(excinfo.value.as_dict()[field])


def test_exit_walks_all_four_steps_and_removes_the_household_from_the_register(clerk, minutes, days_ago):
    household = ready_to_exit()
    review(household, clerk, minutes, days_ago)
    verify(household, clerk, days_ago)
    notice(household, clerk, days_ago)
    deregister(household, clerk, days_ago)
    household.refresh_from_db()
    assert household.status == HouseholdStatus.EXITED
    case = household.procedures.get()
    assert case.state == CaseState.COMPLETED
    steps = list(case.steps.order_by("at").values_list("step", "actor_id"))
    assert steps == [
        (Step.DEMOCRATIC_REVIEW, clerk.pk), (Step.VERIFICATION, clerk.pk),
        (Step.EXIT_NOTICE, clerk.pk), (Step.DEREGISTRATION, clerk.pk),
    ]  # fmt: skip
    first = case.steps.get(step=Step.DEMOCRATIC_REVIEW)
    assert read_stored(first.evidence.get().file.name).startswith(b"%PDF")  # stored encrypted
    assert first.data == {"attendance": 30, "votes_for": 25, "votes_against": 2}
    assert case.steps.get(step=Step.VERIFICATION).data["poverty_line"] == "3146.00"
    change = HouseholdStatusChange.objects.filter(household=household).latest("at")
    assert (change.from_status, change.to_status, change.actor_id) == ("registered", "exited", clerk.pk)
    # Exited households stay "current" members: one person, one active household.
    assert all(m.is_current for m in household.members.all())


def test_exit_without_public_notice_is_refused(clerk, minutes, days_ago):
    household = ready_to_exit()
    review(household, clerk, minutes, days_ago)
    verify(household, clerk, days_ago)
    before = db_snapshot()
    with pytest.raises(TransitionNotAllowed) as exc:
        deregister(household, clerk, days_ago)
    assert str(exc.value.message) == "现在不能记录脱贫销号：下一步是公告公示。"
    assert db_snapshot() == before
    household.refresh_from_db()
    assert household.status == HouseholdStatus.REGISTERED


def test_skipping_democratic_review_is_refused(clerk, days_ago):
    household = ready_to_exit()
    before = db_snapshot()
    with pytest.raises(TransitionNotAllowed) as exc:
        verify(household, clerk, days_ago)
    assert "民主评议" in str(exc.value.message)
    assert db_snapshot() == before


def test_a_step_cannot_be_repeated(clerk, minutes, days_ago):
    household = ready_to_exit()
    review(household, clerk, minutes, days_ago)
    with pytest.raises(TransitionNotAllowed, match="下一步是核实认可"):
        review(household, clerk, minutes, days_ago)


def test_notice_shorter_than_seven_days_is_refused(clerk, minutes, days_ago):
    household = ready_to_exit()
    review(household, clerk, minutes, days_ago)
    verify(household, clerk, days_ago)
    before = db_snapshot()
    with pytest.raises(DomainError) as exc:
        notice(household, clerk, days_ago, start=18, end=13)  # 6 days, first and last included
    assert messages_of(exc, "notice_end") == "公告公示至少7天；本次只有6天。"
    assert db_snapshot() == before
    notice(household, clerk, days_ago, start=18, end=12)  # exactly 7 days is enough


def test_removal_waits_until_the_notice_has_ended(clerk, minutes, days_ago):
    household = ready_to_exit()
    review(household, clerk, minutes, days_ago)
    verify(household, clerk, days_ago)
    notice(household, clerk, days_ago, start=3, end=-4)
    with pytest.raises(DomainError) as exc:
        deregister(household, clerk, days_ago, n=0)
    assert "公示期至" in messages_of(exc, "date")


def test_objection_during_notice_stops_the_exit_and_records_why(clerk, minutes, days_ago):
    household = ready_to_exit()
    review(household, clerk, minutes, days_ago)
    verify(household, clerk, days_ago)
    notice(household, clerk, days_ago, start=3, end=-4)
    procedure_step_record(
        household=household, kind=EXIT, step=Step.OBJECTION, actor=clerk,
        data={"note": "邻居反映其子女在外务工收入未计入"},
    )  # fmt: skip
    case = household.procedures.get()
    assert case.state == CaseState.STOPPED
    assert "邻居反映其子女在外务工收入未计入" in case.stop_reason
    household.refresh_from_db()
    assert household.status == HouseholdStatus.REGISTERED
    with pytest.raises(TransitionNotAllowed):
        deregister(household, clerk, days_ago, n=0)
    # A new exit starts again from the democratic review.
    review(household, clerk, minutes, days_ago, date=days_ago(0))
    assert household.procedures.filter(state=CaseState.OPEN).count() == 1


def test_objection_needs_a_reason_and_a_running_notice(clerk, minutes, days_ago):
    household = ready_to_exit()
    review(household, clerk, minutes, days_ago)
    with pytest.raises(TransitionNotAllowed, match="公示期间"):
        procedure_step_record(
            household=household, kind=EXIT, step=Step.OBJECTION, actor=clerk, data={"note": "x"}
        )
    verify(household, clerk, days_ago)
    notice(household, clerk, days_ago, start=3, end=-4)
    with pytest.raises(DomainError) as exc:
        procedure_step_record(
            household=household, kind=EXIT, step=Step.OBJECTION, actor=clerk, data={"note": ""}
        )
    assert messages_of(exc, "note") == "请记录异议的内容。"


def test_income_not_above_the_poverty_line_is_refused(clerk, minutes, days_ago):
    household = ready_to_exit(income="3146.00")  # equal to the 2016 line: not above it
    review(household, clerk, minutes, days_ago)
    before = db_snapshot()
    with pytest.raises(DomainError) as exc:
        verify(household, clerk, days_ago)
    assert messages_of(exc, "income") == "2016年人均纯收入3,146.00元，未高于当年扶贫标准3,146.00元。"
    assert db_snapshot() == before


def test_verification_needs_all_five_guarantees_and_the_households_agreement(clerk, minutes, days_ago):
    household = ready_to_exit(housing_secured=False)
    review(household, clerk, minutes, days_ago)
    with pytest.raises(DomainError) as exc:
        verify(household, clerk, days_ago, household_agrees=False)
    assert "住房安全" in messages_of(exc, "guarantees")
    assert messages_of(exc, "household_agrees") == "须经贫困户本人认可才能退出。"


def test_income_missing_for_the_year_is_refused(clerk, minutes, days_ago):
    household = ready_to_exit()
    review(household, clerk, minutes, days_ago)
    with pytest.raises(DomainError) as exc:
        verify(household, clerk, days_ago, year=2017)
    assert messages_of(exc, "income") == "没有2017年的人均纯收入记录。"


def test_democratic_review_needs_minutes_and_consistent_votes(clerk, days_ago):
    household = ready_to_exit()
    with pytest.raises(DomainError) as exc:
        procedure_step_record(
            household=household, kind=EXIT, step=Step.DEMOCRATIC_REVIEW, actor=clerk,
            data={"attendance": 10, "votes_for": 9, "votes_against": 3},
        )  # fmt: skip
    assert "files" in exc.value.as_dict()
    assert "votes_for" in exc.value.as_dict()
    assert not ProcedureStep.objects.exists()


def test_a_failed_vote_stops_the_exit(clerk, minutes, days_ago):
    household = ready_to_exit()
    review(household, clerk, minutes, days_ago, votes_for=5, votes_against=20)
    assert household.procedures.get().state == CaseState.STOPPED


def test_township_clerk_cannot_record_the_county_removal(clerk, persona, minutes, days_ago):
    household = ready_to_exit()
    township_clerk = persona(Role.COUNTY_CLERK, household.village_id[:9] + "000")
    review(household, township_clerk, minutes, days_ago)
    verify(household, township_clerk, days_ago)
    notice(household, township_clerk, days_ago)
    with pytest.raises(DomainError, match="只有县级"):
        deregister(household, township_clerk, days_ago)
    deregister(household, clerk, days_ago)


def test_leader_cannot_run_the_exit(leader, minutes, days_ago):
    household = ready_to_exit()
    with pytest.raises(DomainError, match="只能查看"):
        review(household, leader, minutes, days_ago)
    assert not ProcedureStep.objects.exists()


def test_outsider_cannot_touch_another_countys_household(other_clerk, minutes, days_ago):
    from django.http import Http404

    household = ready_to_exit()
    with pytest.raises(Http404):
        review(household, other_clerk, minutes, days_ago)


def test_the_verification_page_offers_the_latest_poverty_line_and_says_where_lines_are_set(
    client, clerk, minutes, days_ago, django_user_model
):
    """Issue 21: the income year starts at the latest year whose line is recorded (not last year,
    which may have none), and the page and the refusal say who records a new year's line, and where;
    once the administrator records it there, the page offers it."""
    from decimal import Decimal

    from django.urls import reverse

    from households.models import PovertyLine

    household = ready_to_exit()
    review(household, clerk, minutes, days_ago)
    latest = PovertyLine.objects.order_by("-year").first().year
    url = reverse("households:step", args=[household.pk, EXIT, Step.VERIFICATION])
    client.force_login(clerk)
    page = client.get(url).content.decode()
    assert f'name="year" value="{latest}"' in page
    assert f"扶贫标准已录入至{latest}年" in page
    assert "系统管理员在管理后台“扶贫标准”中录入" in page

    missing = latest + 1
    with pytest.raises(DomainError) as excinfo:
        verify(household, clerk, days_ago, year=missing)
    assert (
        f"尚未录入{missing}年的扶贫标准：每年的扶贫标准由系统管理员在管理后台“扶贫标准”中录入。"
        in messages_of(excinfo, "year")
    )

    admin = django_user_model.objects.create_superuser(
        "sysadmin", password="Pass-word-123", region_id="410800000000"
    )
    client.force_login(admin)
    response = client.post(
        reverse("admin:households_povertyline_add"), {"year": missing, "amount": "4100.00"}
    )
    assert response.status_code == 302
    assert PovertyLine.objects.get(year=missing).amount == Decimal("4100.00")
    client.force_login(clerk)
    assert f'name="year" value="{missing}"' in client.get(url).content.decode()
