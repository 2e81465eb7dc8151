"""Demo data for funds: 2017 funds of 焦作市 and its counties, projects with review, procurement
and tender records, and a year of ledger entries posted through the services (so every rule and
trigger applies). Idempotent: a second run finds the demo funds and changes nothing. Without
household demo data, payments go to projects' contractors only."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from core.exceptions import DomainError
from core.models import Region, User

from . import services
from .models import Fund, FundSource, ProcurementMethod, ProjectKind

CITY = "410800000000"
XIUWU = "410821000000"
BOAI = "410822000000"
YEAR = 2017
MARKER = "JZ-2017-CENTRAL"

FUNDS = [
    # code, name, source, region, budget
    (MARKER, "2017年中央财政专项扶贫资金", FundSource.CENTRAL, CITY, Decimal("38000000.00")),
    ("JZ-2017-PROVINCE", "2017年省级财政专项扶贫资金", FundSource.PROVINCIAL, CITY, Decimal("16500000.00")),
    ("XW-2017-COUNTY", "2017年修武县本级扶贫资金", FundSource.COUNTY, XIUWU, Decimal("4200000.00")),
    ("XW-2017-SOCIAL", "2017年修武县社会帮扶资金", FundSource.SOCIAL, XIUWU, Decimal("650000.00")),
]

PROJECTS = [
    # kind, name, method, budget
    (ProjectKind.INDUSTRY, "食用菌种植大棚", ProcurementMethod.OPEN_TENDER, Decimal("1200000.00")),
    (ProjectKind.INFRASTRUCTURE, "村组道路硬化", ProcurementMethod.OPEN_TENDER, Decimal("2600000.00")),
    (ProjectKind.INFRASTRUCTURE, "安全饮水巩固提升", ProcurementMethod.INVITED_TENDER, Decimal("800000.00")),
    (ProjectKind.RELOCATION, "易地扶贫搬迁安置点配套", ProcurementMethod.OPEN_TENDER, Decimal("3500000.00")),
    (ProjectKind.INDUSTRY, "光伏扶贫电站", ProcurementMethod.NEGOTIATION, Decimal("900000.00")),
    (ProjectKind.EMPLOYMENT, "扶贫车间建设", ProcurementMethod.QUOTATION, Decimal("450000.00")),
    (ProjectKind.HOUSING, "危房改造", ProcurementMethod.SINGLE_SOURCE, Decimal("300000.00")),
]

COMPANIES = [
    "焦作市建工集团",
    "修武县宏达建筑公司",
    "河南豫北路桥公司",
    "焦作市绿源农业公司",
    "博爱县永安建设公司",
    "河南中原光伏科技公司",
]


def seed(*, stdout) -> None:
    if Fund.objects.filter(code=MARKER).exists():
        stdout.write("funds: demo funds already there, nothing changed")
        return
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "finance", "finance2"])}
    if len(users) < 3:
        stdout.write("funds: demo users (admin, finance, finance2) missing; run the core demo first")
        return
    with transaction.atomic():
        counts = _seed(users, random.Random(410821))
    stdout.write(
        "funds: {funds} funds, {projects} projects, {entries} ledger entries, {requests} disbursement requests".format(
            **counts
        )
    )


def _seed(users, rng: random.Random) -> dict:
    admin, maker, checker = users["admin"], users["finance"], users["finance2"]
    regions = {code: Region.objects.get(code=code) for code in (CITY, XIUWU, BOAI)}
    funds = []
    for code, name, source, region, budget in FUNDS:
        fund = services.fund_create(
            actor=admin, code=code, name=name, source=source, fiscal_year=YEAR, region=regions[region]
        )
        services.budget_arrange(
            actor=admin, fund=fund, amount=budget, booked_on=dt.date(YEAR, 1, 10), memo="年度预算安排"
        )
        funds.append(fund)
    central, provincial, county_fund, social = funds

    projects = []
    for county in (XIUWU, BOAI):
        villages = list(
            Region.objects.filter(code__startswith=county[:6], level="village").order_by("code")[:12]
        )
        for i, (kind, name, method, budget) in enumerate(PROJECTS):
            village = villages[(i * 3) % len(villages)] if villages else None
            approved = (budget * Decimal("0.96")).quantize(Decimal("0.01"))
            contract = (approved * Decimal(rng.randint(90, 99)) / 100).quantize(Decimal("0.01"))
            bidders = rng.sample(
                COMPANIES,
                3 if method in (ProcurementMethod.OPEN_TENDER, ProcurementMethod.INVITED_TENDER) else 1,
            )
            project = services.project_create(
                actor=admin,
                data={
                    "code": f"{county[:6]}-{YEAR}-{i + 1:03d}",
                    "name": f"{village.name if village else regions[county].name}{name}",
                    "kind": kind,
                    "county": regions[county],
                    "village": village,
                    "budget": budget,
                    "start_date": dt.date(YEAR, 3, 1),
                    "review_agency": f"{regions[county].name}财政投资评审中心",
                    "review_approved_amount": approved,
                    "review_date": dt.date(YEAR, 2, 15),
                    "procurement_method": method,
                    "bidders": bidders,
                    "winner": bidders[0],
                    "contract_amount": contract,
                    "bid_opening_date": dt.date(YEAR, 2, 25),
                    "contract_date": dt.date(YEAR, 3, 1),
                },
            )
            projects.append(project)

    blocked = _blocked_project(admin, regions[XIUWU], rng)

    # 资金下达: the city's funds down to the counties, then to projects (February–March).
    for fund, share in ((central, Decimal("0.30")), (provincial, Decimal("0.25"))):
        for county in (XIUWU, BOAI):
            pool_budget = {central: FUNDS[0][4], provincial: FUNDS[1][4]}[fund]
            services.allocate_to_county(
                actor=admin, fund=fund, county=regions[county], amount=(pool_budget * share).quantize(Decimal("0.01")),
                booked_on=dt.date(YEAR, 2, 10), memo="资金下达",
            )  # fmt: skip
    xiuwu_projects = [p for p in projects if p.county_id == XIUWU]
    boai_projects = [p for p in projects if p.county_id == BOAI]
    central_xiuwu = services.county_account(central, regions[XIUWU])
    central_boai = services.county_account(central, regions[BOAI])
    for project in xiuwu_projects:
        services.allocate_to_project(
            actor=maker, from_account=central_xiuwu, project=project,
            amount=(project.contract_amount * Decimal("0.7")).quantize(Decimal("0.01")), booked_on=dt.date(YEAR, 3, 5),
        )  # fmt: skip
        services.allocate_to_project(
            actor=maker, from_account=services.pool_account(county_fund), project=project,
            amount=(project.contract_amount * Decimal("0.3")).quantize(Decimal("0.01")), booked_on=dt.date(YEAR, 3, 6),
        )  # fmt: skip
    for project in boai_projects:
        services.allocate_to_project(
            actor=admin, from_account=central_boai, project=project,
            amount=(project.contract_amount * Decimal("0.6")).quantize(Decimal("0.01")), booked_on=dt.date(YEAR, 3, 5),
        )  # fmt: skip

    # 资金拨付 in 修武县, month by month (postings are booked in date order, as in real life):
    # progress payments to contractors, each requested by one officer and approved by another.
    requests = 0
    remaining = {}
    for project in xiuwu_projects:
        for fund in (central, county_fund):
            account = services.project_account(fund, project)
            account.refresh_from_db()
            remaining[(project.pk, fund.pk)] = (account, account.balance)
    for month in (4, 6, 8, 10, 12):
        for project in xiuwu_projects:
            for fund in (central, county_fund):
                account, left = remaining[(project.pk, fund.pk)]
                amount = (left * Decimal(rng.choice(["0.20", "0.25", "0.30"]))).quantize(Decimal("0.01"))
                if amount <= 0:
                    continue
                request, _ = services.disbursement_request_create(
                    actor=maker, idempotency_key=f"demo-{project.code}-{fund.code}-{month}", from_account=account,
                    amount=amount, purpose=f"{project.name}工程进度款（{month}月）", payee_kind="organisation",
                    payee_name=project.winner, confirmed_different=True,  # each month's own progress payment
                )  # fmt: skip
                services.disbursement_approve(
                    actor=checker, request=request, booked_on=dt.date(YEAR, month, 15)
                )
                remaining[(project.pk, fund.pk)] = (account, left - amount)
                requests += 1
    # One payment posted to the wrong payee and reversed; one left pending for the checker; one rejected.
    account = services.project_account(county_fund, xiuwu_projects[0])
    wrong, _ = services.disbursement_request_create(
        actor=maker, idempotency_key="demo-wrong-payee", from_account=account, amount=Decimal("12000.00"),
        purpose="材料款", payee_kind="organisation", payee_name="修武县宏达建筑公司",
    )  # fmt: skip
    services.disbursement_approve(actor=checker, request=wrong, booked_on=dt.date(YEAR, 12, 20))
    services.disbursement_reverse(
        actor=maker, request=wrong, reason="收款单位与合同不符", booked_on=dt.date(YEAR, 12, 28)
    )
    services.disbursement_request_create(
        actor=maker,
        idempotency_key="demo-pending-1",
        from_account=account,
        amount=Decimal("8800.00"),
        purpose="工程尾款",
        payee_kind="organisation",
        payee_name=xiuwu_projects[0].winner,
    )
    rejected, _ = services.disbursement_request_create(
        actor=maker, idempotency_key="demo-rejected-1", from_account=account, amount=Decimal("5600.00"),
        purpose="监理费", payee_kind="organisation", payee_name="焦作市监理公司",
    )  # fmt: skip
    services.disbursement_reject(actor=checker, request=rejected, reason="缺少监理合同")
    requests += 3

    # The blocked project has money but no contract: its payment is refused, naming the contract.
    services.allocate_to_project(
        actor=maker, from_account=central_xiuwu, project=blocked, amount=Decimal("300000.00"),
        booked_on=dt.date(YEAR, 5, 20),
    )  # fmt: skip
    try:
        services.disbursement_request_create(
            actor=maker, idempotency_key="demo-blocked-1", from_account=services.project_account(central, blocked),
            amount=Decimal("300000.00"), purpose="工程进度款", payee_kind="organisation", payee_name=blocked.winner,
        )  # fmt: skip
    except DomainError:
        pass  # as intended: the project page lists the missing contract
    else:  # pragma: no cover - the demo would no longer show the rule
        raise RuntimeError("the demo's project without a contract was paid")
    requests += _household_payments(social, regions[XIUWU], maker, checker, rng)
    from .models import Entry

    return {
        "funds": len(funds),
        "projects": len(projects),
        "entries": Entry.objects.count(),
        "requests": requests,
    }


def _blocked_project(admin, county, rng):
    """A tendered project whose winner is known but whose contract is not signed yet."""
    bidders = rng.sample(COMPANIES, 3)
    return services.project_create(
        actor=admin,
        data={
            "code": f"{county.code[:6]}-{YEAR}-900", "name": f"{county.name}扶贫产业园标准化厂房",
            "kind": ProjectKind.INDUSTRY, "county": county, "village": None, "budget": Decimal("1800000.00"),
            "start_date": dt.date(YEAR, 5, 1), "review_agency": f"{county.name}财政投资评审中心",
            "review_approved_amount": Decimal("1750000.00"), "review_date": dt.date(YEAR, 4, 10),
            "procurement_method": ProcurementMethod.OPEN_TENDER, "bidders": bidders, "winner": bidders[0],
            "bid_opening_date": dt.date(YEAR, 5, 12),
        },
    )  # fmt: skip


def _household_payments(fund, county, maker, checker, rng) -> int:
    """到户产业补贴 from the social fund to registered households, when the households demo is loaded."""
    from households.models import Household, HouseholdStatus

    households = list(
        Household.objects.filter(
            village__code__startswith=county.prefix, status=HouseholdStatus.REGISTERED
        ).order_by("file_number")[:40]
    )
    if not households:
        return 0
    services.allocate_to_county(
        actor=maker, fund=fund, county=county, amount=Decimal("400000.00"), booked_on=dt.date(YEAR, 2, 1)
    )
    account = services.county_account(fund, county)
    count = 0
    for i, household in enumerate(households):
        booked_on = dt.date(YEAR, 3, 1) + dt.timedelta(days=7 * i)  # weekly, in date order
        amount = Decimal(rng.choice([1000, 1500, 2000, 3000]))
        request, _ = services.disbursement_request_create(
            actor=maker, idempotency_key=f"demo-hh-{household.pk}", from_account=account, amount=amount,
            purpose="到户产业发展补贴", payee_kind="household", household=household,
        )  # fmt: skip
        services.disbursement_approve(actor=checker, request=request, booked_on=booked_on)
        count += 1
    # The month end: the bank's files (one payment returned) and a batch with a flagged row.
    from .demo_bank import bank_month_end

    month_end = bank_month_end(
        account=account, county=county, households=households, maker=maker, checker=checker,
        booked_on=dt.date(YEAR, 12, 28),
    )  # fmt: skip
    return count + month_end["pending"]
