"""The demo shows issue 17.1 and 17.4 (households.demo_guarantees): a child out of school blocking an
exit whose democratic review is done, and a 返贫 case waiting for its public notice."""

import io

import pytest

from core.exceptions import DomainError
from households.demo_guarantees import seed_guarantees_and_return
from households.models import CaseState, HouseholdStatus, ProcedureCase, ProcedureKind, Step
from households.selectors.guarantees import UNMET, guarantee_status
from households.services import procedure_step_record
from tests.factories.households import household_with_members

pytestmark = pytest.mark.django_db


def test_the_demo_blocks_an_exit_on_a_child_out_of_school_and_starts_a_return(clerk, minutes, days_ago):
    exiting = household_with_members(file_number="DEMO41082100001")
    case = ProcedureCase.objects.create(
        household=exiting, kind=ProcedureKind.EXIT, started_by=clerk, last_step=Step.DEMOCRATIC_REVIEW
    )
    case.steps.create(step=Step.DEMOCRATIC_REVIEW, actor=clerk, date=days_ago(30))
    exited = household_with_members(file_number="DEMO41082100002", status=HouseholdStatus.EXITED)

    seed_guarantees_and_return(actor=clerk, prefix="DEMO", stdout=io.StringIO())

    states = guarantee_status(exiting)
    assert [k for k, s in states.items() if not s.met] == ["education"]
    assert states["education"].state == UNMET
    with pytest.raises(DomainError) as exc:
        procedure_step_record(
            household=exiting, kind="exit", step=Step.VERIFICATION, actor=clerk,
            data={"year": 2016, "household_agrees": True},
        )  # fmt: skip
    assert "义务教育" in " ".join(exc.value.as_dict()["guarantees"])
    ret = exited.procedures.get(kind=ProcedureKind.RETURN)
    assert (ret.state, ret.cause, ret.next_step) == (CaseState.OPEN, "illness", Step.ENTRY_NOTICE)
