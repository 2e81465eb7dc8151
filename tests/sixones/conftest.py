"""`world`: the 三个零差错 data set built by hand (修武县 and 博爱县, May 2017); what it holds and the
rates it must give are written in test_error_rates_by_hand.py."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest

from core.models import Region, Role
from funds import services as fund_services
from funds.models import DisbursementRequest
from households.models import (
    CaseState,
    CheckStatus,
    CrossCheckFlag,
    CrossCheckRule,
    CrossCheckRun,
    CrossCheckSource,
    FlagStatus,
    HouseholdStatus,
    HouseholdStatusChange,
    PovertyCause,
    ProcedureCase,
    ProcedureKind,
    VerificationCampaign,
    VerificationCheck,
)
from inspections.models import FindingCategory
from tests.conftest import XIUWU, make_user
from tests.factories.assistance import MeasureFactory, PlanFactory
from tests.factories.funds import FundFactory, ProjectFactory
from tests.factories.households import HouseholdFactory, MemberFactory
from tests.factories.inspections import FindingFactory

pytestmark = pytest.mark.django_db

MAY = dt.date(2017, 5, 1)
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=TZ)


def moved(household, to_status, day, from_status=""):
    HouseholdStatusChange.objects.create(
        household=household, from_status=from_status, to_status=to_status, at=at(day)
    )


@pytest.fixture
def world(regions, xiuwu_village, boai_village):
    clerk = make_user(Role.COUNTY_CLERK, XIUWU, username="clerk_rates")
    hh = {}

    def household(name, status, **kwargs):
        hh[name] = HouseholdFactory(village=xiuwu_village, status=status, head_name=name, **kwargs)
        return hh[name]

    for i in range(1, 30):
        moved(household(f"R{i}", HouseholdStatus.REGISTERED), HouseholdStatus.REGISTERED, dt.date(2016, 3, 1))
    for i in range(1, 7):
        h = household(f"E{i}", HouseholdStatus.EXITED)
        moved(h, HouseholdStatus.REGISTERED, dt.date(2016, 3, 1))
        moved(
            h, HouseholdStatus.EXITED, dt.date(2017, 5, 20) if i == 3 else dt.date(2017, 1, 10), "registered"
        )
    household("T1", HouseholdStatus.RETURNED, main_cause=PovertyCause.LACK_SKILLS,
              secondary_causes=[PovertyCause.ILLNESS])  # fmt: skip
    household("T2", HouseholdStatus.RETURNED, main_cause=PovertyCause.ILLNESS)
    household("T3", HouseholdStatus.RETURNED, main_cause=PovertyCause.ILLNESS)
    for name, exited_on, cause in (
        ("T1", dt.date(2017, 1, 10), PovertyCause.ILLNESS),
        ("T2", dt.date(2015, 3, 1), PovertyCause.ILLNESS),
        ("T3", dt.date(2017, 1, 10), PovertyCause.DISASTER),
    ):
        moved(hh[name], HouseholdStatus.EXITED, exited_on, "registered")
        case = ProcedureCase.objects.create(
            household=hh[name],
            kind=ProcedureKind.RETURN,
            state=CaseState.COMPLETED,
            cause=cause,
            started_by=clerk,
        )
        ProcedureCase.objects.filter(pk=case.pk).update(created_at=at(dt.date(2017, 4, 3)))
        moved(hh[name], HouseholdStatus.RETURNED, dt.date(2017, 5, 5), "exited")
    for name, day in (("X1", dt.date(2017, 5, 10)), ("X2", dt.date(2017, 4, 20))):
        moved(household(name, HouseholdStatus.REMOVED), HouseholdStatus.REMOVED, day, "registered")
    household("A1", HouseholdStatus.APPLYING)
    household("A2", HouseholdStatus.APPLYING)
    household("J1", HouseholdStatus.REJECTED)
    # 博爱县: one registered household removed in May (its own county's 1 of 1).
    boai_removed = HouseholdFactory(village=boai_village, status=HouseholdStatus.REMOVED)
    moved(boai_removed, HouseholdStatus.REMOVED, dt.date(2017, 5, 8), "registered")

    # Re-verification: R1 corrected, R2 confirmed as it is.
    campaign = VerificationCampaign.objects.create(name="2017年再核实", region_id=XIUWU, created_by=clerk)
    for name, status in (("R1", CheckStatus.CORRECTED), ("R2", CheckStatus.CONFIRMED)):
        VerificationCheck.objects.create(
            campaign=campaign, household=hh[name], village=xiuwu_village, status=status, checked_by=clerk,
            checked_at=at(dt.date(2017, 5, 15)), corrections={"member_count": 3} if status == "corrected" else {},
        )  # fmt: skip

    # Registry cross-checks: X1 confirmed (vehicle), R3 dismissed, R4 open, R5 paid after death confirmed.
    run = CrossCheckRun.objects.create(
        source=CrossCheckSource.VEHICLES, file_name="车管.xlsx", region_id=XIUWU, created_by=clerk
    )
    for n, (name, rule, status) in enumerate((
        ("X1", CrossCheckRule.OWNS_VEHICLE, FlagStatus.CONFIRMED),
        ("R3", CrossCheckRule.OWNS_VEHICLE, FlagStatus.DISMISSED),
        ("R4", CrossCheckRule.OWNS_VEHICLE, FlagStatus.OPEN),
        ("R5", CrossCheckRule.PAID_AFTER_DEATH, FlagStatus.CONFIRMED),
    )):  # fmt: skip
        decided = status != FlagStatus.OPEN
        CrossCheckFlag.objects.create(
            run=run, rule=rule, household=hh[name], member=MemberFactory(household=hh[name]), row_number=n + 1,
            status=status, decision_note="核实无误" if decided else "", decided_by=clerk if decided else None,
            decided_at=at(dt.date(2017, 5, 9)) if decided else None,
        )  # fmt: skip

    # Findings.
    xiuwu = Region.objects.get(code=XIUWU)
    for category, household_name, day in (
        (FindingCategory.IDENTIFICATION, "R2", dt.date(2017, 5, 20)),
        (FindingCategory.IDENTIFICATION, "X2", dt.date(2017, 5, 21)),
        (FindingCategory.EXIT, "T1", dt.date(2017, 5, 22)),
        (FindingCategory.EXIT, None, dt.date(2017, 5, 23)),
        (FindingCategory.FUNDS, "E2", dt.date(2017, 5, 24)),
        (FindingCategory.IDENTIFICATION, "R8", dt.date(2017, 6, 2)),  # June: not May's
    ):
        FindingFactory(
            category=category, region=xiuwu_village if household_name else xiuwu,
            household=hh.get(household_name), confirmed_at=at(day),
        )  # fmt: skip

    # Payments, approved in May.
    finance = make_user(Role.FINANCE_OFFICER, XIUWU, username="finance_rates")
    checker = make_user(Role.FINANCE_OFFICER, XIUWU, username="finance2_rates")
    fund, project = FundFactory(), ProjectFactory()
    fund_services.budget_arrange(
        actor=finance, fund=fund, amount=Decimal("100000.00"), booked_on=dt.date(2017, 1, 5)
    )
    fund_services.allocate_to_project(
        actor=finance, from_account=fund_services.pool_account(fund), project=project, amount="50000.00",
        booked_on=dt.date(2017, 1, 5),
    )  # fmt: skip
    account = fund_services.project_account(fund, project)
    e1_measure = MeasureFactory(plan=PlanFactory(household=hh["E1"], year=2017))
    counter = iter(range(100))

    def pay(amount, household=None, day=dt.date(2017, 5, 3), measure=None):
        request, _ = fund_services.disbursement_request_create(
            actor=finance, idempotency_key=f"rates-{next(counter)}", from_account=account, amount=amount,
            purpose="补贴", payee_kind="household" if household else "organisation", household=household,
            payee_name=household.head_name if household else "甲建设公司", measure=measure, confirmed_different=True,
        )  # fmt: skip
        request = fund_services.disbursement_approve(actor=checker, request=request, booked_on=day)
        DisbursementRequest.objects.filter(pk=request.pk).update(decided_at=at(day))
        return request

    pay("300.00", hh["R8"], day=dt.date(2017, 4, 28))  # April: not in May's denominator
    pay("1000.00", hh["R6"])
    pay("800.00", hh["E1"], measure=e1_measure)  # 脱贫不脱政策
    pay("500.00", hh["E2"])
    reversed_ = pay("700.00", hh["R7"])
    pay("900.00", hh["E3"])  # 3 May: E3 still registered
    pay("2000.00")
    pay("600.00", hh["E2"], day=dt.date(2017, 5, 4))
    fund_services.disbursement_reverse(
        actor=finance, request=reversed_, reason="重复录入", booked_on=dt.date(2017, 5, 6)
    )
    return {"hh": hh, "finance": finance}
