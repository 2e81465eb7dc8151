"""Scoring a whole month at once (one grouped query per indicator, bulk writes) stores exactly what scoring
each unit and officer one by one stores: the same score, grade, veto, inputs (counts and evidence ids) and
deductions, for counties in different situations."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pghistory.models import Events

from accountability.models import (
    AssessmentIndicator,
    CaseRule,
    CaseType,
    IndicatorCode,
    MonthlyScore,
    ResponsibilityKind,
)
from accountability.services import case_open, monthly_score_compute, monthly_scores_compute_all
from accountability.services.scoring import subjects_for
from assistance.models import TeamVillage
from core.models import Region, Role, UnitKind
from funds import services as funds
from households.models import Household, HouseholdStatus
from inspections.models import Finding, RectificationItem, TeamCheck
from tests.conftest import make_user
from tests.factories.accountability import ResponsibilityFactory, standard_scheme
from tests.factories.assistance import MeasureFactory, PlanFactory, VillageTeamFactory
from tests.factories.core import OfficerFactory, UnitFactory, UserFactory
from tests.factories.funds import FundFactory, ProjectFactory
from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db
FIELDS = ("score", "grade", "vetoed", "veto_reasons", "inputs", "breakdown", "region_id", "scheme_id")


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def finding(region, severity, category="files", *, unit=None, officers=(), source="audit", when=None):
    f = Finding.objects.create(source=source, category=category, severity=severity, description="测试问题",
                               region=region, status="confirmed", confirmed_at=when or timezone.now(),
                               responsible_unit=unit)  # fmt: skip
    if officers:
        f.responsible_officers.set(officers)
    return f


def item(f, unit, deadline, *, region=None, closed_at=None):
    return RectificationItem.objects.create(
        finding=f, description="整改", responsible_unit=unit, region=region or unit.region, deadline=deadline,
        status="closed" if closed_at else "open", evidence_note="已整改" if closed_at else "",
        closed_at=closed_at, closed_by=UserFactory() if closed_at else None,
        created_at=timezone.now() - dt.timedelta(days=40),
    )  # fmt: skip


def county_org(code: str) -> dict:
    """A county's party committee (主体责任), a department, a township unit and its contact leader."""
    county = Region.objects.get(code=code)
    township = Region.objects.filter(parent=county, level="township").order_by("code").first()
    village = Region.objects.filter(parent=township, level="village").order_by("code").first()
    committee = UnitFactory(region=county, name=f"中共{county.name}委员会", kind=UnitKind.PARTY_COMMITTEE)
    department = UnitFactory(region=county, name=f"{county.name}民政局", kind=UnitKind.DEPARTMENT)
    township_unit = UnitFactory(region=township, name=f"{township.name}党委政府", kind=UnitKind.TOWNSHIP)
    secretary = OfficerFactory(unit=committee, name=f"{county.name}书记", position="县委书记")
    start = dt.date(2017, 1, 1)
    ResponsibilityFactory(kind=ResponsibilityKind.MAIN, officer=None, unit=committee, region=county,
                          valid_from=start)  # fmt: skip
    ResponsibilityFactory(kind=ResponsibilityKind.DEPARTMENT, officer=None, unit=department, region=county,
                          valid_from=start)  # fmt: skip
    ResponsibilityFactory(kind=ResponsibilityKind.TOWNSHIP_VILLAGE, officer=None, unit=township_unit,
                          region=township, valid_from=start)  # fmt: skip
    ResponsibilityFactory(kind=ResponsibilityKind.FIRST, officer=secretary, region=county, valid_from=start)
    return {"county": county, "township": township, "village": village, "committee": committee,
            "department": department, "township_unit": township_unit, "secretary": secretary}  # fmt: skip


def plan_gaps(village, *, missing: int, uncovered: int, covered: int) -> None:
    year = timezone.localdate().year
    for _ in range(missing):
        HouseholdFactory(village=village, status=HouseholdStatus.REGISTERED)
    for _ in range(uncovered):  # a plan answering the main cause only; the secondary one is left open
        hh = HouseholdFactory(
            village=village, status=HouseholdStatus.RETURNED, secondary_causes=["lack_funds"]
        )
        MeasureFactory(plan=PlanFactory(household=hh, year=year))
    for _ in range(covered):
        hh = HouseholdFactory(village=village, status=HouseholdStatus.REGISTERED, secondary_causes=[])
        MeasureFactory(plan=PlanFactory(household=hh, year=year))
    # A cause answered only by a cancelled measure is uncovered; last year's plan does not count.
    hh = HouseholdFactory(village=village, status=HouseholdStatus.REGISTERED, secondary_causes=[])
    MeasureFactory(plan=PlanFactory(household=hh, year=year), status="cancelled", cancel_reason="户已搬迁")
    hh = HouseholdFactory(village=village, status=HouseholdStatus.REGISTERED, secondary_causes=[])
    MeasureFactory(plan=PlanFactory(household=hh, year=year - 1))
    HouseholdFactory(village=village, status=HouseholdStatus.EXITED)  # needs no plan: never counted


def fund_errors(org: dict, n_not_registered: int, n_reversed: int) -> None:
    """Payments to households of the county's village: some no longer 在册, some reversed."""
    code = org["county"].code
    maker = make_user(Role.FINANCE_OFFICER, code, username=f"maker_{code}")
    checker = make_user(Role.FINANCE_OFFICER, code, username=f"checker_{code}")
    fund = FundFactory(region=org["county"])
    project = ProjectFactory(county=org["county"])
    funds.budget_arrange(actor=maker, fund=fund, amount=Decimal("100000.00"))
    funds.allocate_to_project(
        actor=maker, from_account=funds.pool_account(fund), project=project, amount="50000.00"
    )
    account = funds.project_account(fund, project)
    for i in range(n_not_registered + n_reversed):
        hh = HouseholdFactory(village=org["village"], status=HouseholdStatus.REGISTERED)
        MeasureFactory(plan=PlanFactory(household=hh))
        request, _created = funds.disbursement_request_create(
            actor=maker, idempotency_key=f"{code}-{i}", from_account=account, amount="100.00", purpose="产业奖补",
            payee_kind="household", household=hh,
        )  # fmt: skip
        request = funds.disbursement_approve(actor=checker, request=request)
        if i < n_not_registered:
            Household.objects.filter(pk=hh.pk).update(status=HouseholdStatus.REMOVED)
        else:
            funds.disbursement_reverse(actor=maker, request=request, reason="重复拨付")


def absences(village, officer_unit, *, times: int) -> None:
    """Spot checks finding the first secretary absent `times` times (the second and later count)."""
    team = VillageTeamFactory(dispatching_unit=officer_unit)
    TeamVillage.objects.create(team=team, village=village)
    month, inspector = this_month(), UserFactory()
    days = [month - dt.timedelta(days=20)] + [month + dt.timedelta(days=i) for i in range(times - 1)]
    for day in days:
        TeamCheck.objects.create(team=team, first_secretary=team.first_secretary, village=village, checked_on=day,
                                 secretary_present=False, records_state="missing", checked_by=inspector)  # fmt: skip
    ResponsibilityFactory(kind=ResponsibilityKind.RESIDENT_ASSISTANCE, officer=None, unit=officer_unit,
                          region=village, valid_from=dt.date(2017, 1, 1))  # fmt: skip


@pytest.fixture
def province_month(regions):
    """Four counties of 焦作市, each in a different situation, and officers answering across counties."""
    scheme = standard_scheme()
    AssessmentIndicator.objects.create(scheme=scheme, code=IndicatorCode.REPEATED_ABSENCES, weight=Decimal(3),
                                       cap=Decimal(15))  # fmt: skip
    codes = list(
        Region.objects.filter(level="county", code__startswith="4108")
        .order_by("code")
        .values_list("code", flat=True)
    )[:4]
    a, b, c, d = (county_org(code) for code in codes)
    month = this_month()
    now, end = timezone.now(), (month + dt.timedelta(days=32)).replace(day=1)
    # A: findings of every severity in its village, township and county; overdue and timely rectifications.
    f1 = finding(a["village"], "minor", "identification")
    finding(a["township"], "minor")
    finding(a["village"], "serious", "exit")
    finding(a["county"], "grave")
    finding(a["village"], "grave", when=now - dt.timedelta(days=40))  # an earlier month: not counted
    Finding.objects.create(source="audit", category="files", severity="grave", description="待核实",
                           region=a["village"])  # not confirmed: not counted  # fmt: skip
    item(f1, a["township_unit"], month)  # overdue at the end of the month
    item(
        f1, a["township_unit"], month, closed_at=dt.datetime.combine(end, dt.time(12), tzinfo=dt.UTC)
    )  # closed later
    item(f1, a["township_unit"], month, closed_at=now)  # closed in time
    item(f1, a["township_unit"], end + dt.timedelta(days=5))  # not yet due
    item(f1, b["department"], month, region=a["village"])  # B's department answers for an item in A
    plan_gaps(a["village"], missing=3, uncovered=2, covered=1)
    # B: fund errors (a veto at three), and a finding naming its department (outside its region).
    fund_errors(b, n_not_registered=2, n_reversed=1)
    finding(c["village"], "serious", "funds", unit=b["department"])
    plan_gaps(b["village"], missing=1, uncovered=0, covered=2)
    # C: a 三个一律 case (a veto), a finding naming B's secretary, repeated absences of a first secretary.
    media = finding(c["township"], "grave", source="media_provincial", officers=[c["secretary"]])
    case_open(case_type=CaseType.CRITICISM, grounds="省媒曝光", officer=c["secretary"], rule=CaseRule.THREE_ALWAYS,
              mandatory=True, confirmed=True, opened_on=timezone.localdate(), finding_id=media.pk,
              dedupe_key="three_always:grouped:c")  # fmt: skip
    case_open(case_type=CaseType.CRITICISM, grounds="省媒曝光", unit=c["committee"], rule=CaseRule.THREE_ALWAYS,
              mandatory=True, confirmed=True, opened_on=timezone.localdate(), finding_id=media.pk,
              dedupe_key="three_always:grouped:c:unit")  # fmt: skip
    finding(c["village"], "minor", officers=[b["secretary"]])
    absences(c["village"], UnitFactory(region=c["county"], kind=UnitKind.DISPATCHING), times=3)
    plan_gaps(c["village"], missing=25, uncovered=0, covered=0)  # past the cap
    # D: nothing wrong. An officer of D is also contact leader of A's township and C's county (three regions,
    # two of them overlapping with A's village) and named on a finding in B.
    leader = OfficerFactory(unit=d["committee"], name="联系领导", position="副书记")
    for region in (a["township"], a["county"], c["county"]):
        ResponsibilityFactory(kind=ResponsibilityKind.CONTACT_LEADER, officer=leader, region=region,
                              valid_from=dt.date(2017, 1, 1))  # fmt: skip
    finding(b["township"], "serious", officers=[leader])
    # A responsibility that ended before the month: its holder is not scored.
    ResponsibilityFactory(kind=ResponsibilityKind.DIRECT, officer=OfficerFactory(unit=d["committee"]),
                          region=d["county"], valid_from=dt.date(2017, 1, 1), valid_to=month - dt.timedelta(days=1))  # fmt: skip
    return {"month": month, "orgs": (a, b, c, d), "leader": leader}


def stored(month) -> dict:
    return {
        (s.unit_id, s.officer_id): {f: getattr(s, f) for f in FIELDS}
        for s in MonthlyScore.objects.filter(month=month).order_by("id")
    }


def assert_same(grouped: dict, one_by_one: dict) -> None:
    assert list(grouped) == list(one_by_one)  # the same subjects, stored in the same order
    for key, expected in one_by_one.items():
        got = grouped[key]
        for name in FIELDS:
            if name == "inputs":
                assert got["inputs"]["scope"] == expected["inputs"]["scope"], key
                for indicator, count in expected["inputs"]["counts"].items():
                    assert got["inputs"]["counts"][indicator] == count, (key, indicator)
                assert got["inputs"]["counts"] == expected["inputs"]["counts"], key
                for source, evidence in expected["inputs"]["sources"].items():
                    assert got["inputs"]["sources"][source] == evidence, (key, source)
            assert got[name] == expected[name], (key, name)


def test_grouped_month_equals_scoring_each_subject(province_month):
    month = province_month["month"]
    units, officers = subjects_for(month)
    for unit in units:
        monthly_score_compute(month=month, unit=unit)
    for officer in officers:
        monthly_score_compute(month=month, officer=officer)
    one_by_one = stored(month)

    # The scenario exercises every indicator, both vetoes and several grades.
    counts = [s["inputs"]["counts"] for s in one_by_one.values()]
    for indicator in counts[0]:
        assert any(c[indicator] for c in counts), indicator
    reasons = {r for s in one_by_one.values() for r in s["veto_reasons"]}
    assert len(reasons) == 2
    assert len({s["grade"] for s in one_by_one.values()}) >= 3
    assert len(units) == 4 * 3 + 1
    assert len(officers) == 4 + 1

    # New rows (bulk insert) …
    MonthlyScore.objects.filter(month=month).delete()
    assert monthly_scores_compute_all(month=month) == {"units": len(units), "officers": len(officers)}
    assert_same(stored(month), one_by_one)
    # … and a month scored again (bulk update in place: same rows, history kept).
    ids = list(MonthlyScore.objects.filter(month=month).order_by("id").values_list("id", flat=True))
    monthly_scores_compute_all(month=month)
    assert list(MonthlyScore.objects.filter(month=month).order_by("id").values_list("id", flat=True)) == ids
    assert_same(stored(month), one_by_one)
    rows = list(MonthlyScore.objects.filter(month=month))
    assert Events.objects.tracks(*rows).filter(pgh_label="update").count() == len(ids)


def test_a_month_is_scored_with_the_same_number_of_queries_whatever_the_number_of_units(province_month):
    month = province_month["month"]
    with CaptureQueriesContext(connection) as before:
        monthly_scores_compute_all(month=month)
    MonthlyScore.objects.filter(month=month).delete()  # both runs insert every score
    a = province_month["orgs"][0]
    for township in Region.objects.filter(parent=a["county"], level="township").order_by("code")[1:4]:
        unit = UnitFactory(region=township, kind=UnitKind.TOWNSHIP)
        ResponsibilityFactory(kind=ResponsibilityKind.TOWNSHIP_VILLAGE, officer=None, unit=unit, region=township,
                              valid_from=dt.date(2017, 1, 1))  # fmt: skip
        ResponsibilityFactory(
            kind=ResponsibilityKind.CONTACT_LEADER, region=township, valid_from=dt.date(2017, 1, 1)
        )
    with CaptureQueriesContext(connection) as after:
        scored = monthly_scores_compute_all(month=month)
    assert scored == {"units": 13 + 3, "officers": 5 + 3}
    assert len(after.captured_queries) == len(before.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_two_workers_scoring_the_same_month_take_turns(xiuwu_org):
    """A second run of the month waits for the first to commit, then updates the rows it inserted (no
    unique-index failure, one row per subject)."""
    import threading

    from django.db import connections, transaction

    standard_scheme()
    month = this_month()
    first_holds, release, errors = threading.Event(), threading.Event(), []

    def first() -> None:
        try:
            with transaction.atomic():
                monthly_score_compute(month=month, unit=xiuwu_org["committee"])  # inserts, holds the month
                first_holds.set()
                release.wait(30)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            monthly_scores_compute_all(month=month)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    a = threading.Thread(target=first)
    a.start()
    assert first_holds.wait(30)
    b = threading.Thread(target=second)
    b.start()
    with connection.cursor() as cursor:  # the second run is waiting on a lock held by the first
        for _ in range(300):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                break
            threading.Event().wait(0.1)
        else:
            pytest.fail("the second run never waited for the first")
    release.set()
    a.join(30)
    b.join(30)
    assert errors == []
    units, officers = subjects_for(month)
    assert MonthlyScore.objects.filter(month=month).count() == len(units) + len(officers)
    assert MonthlyScore.objects.filter(month=month, unit=xiuwu_org["committee"]).count() == 1
