"""funds: funds, projects, the ledger, disbursements, reconciliation (pages and API).

Permissions (funds/apps.py): finance officers keep the books (funds, projects, entries, requests,
approve, reject); auditors read everything and may reject a request; leaders and administrators
read (the admin persona is a superuser, so it may do everything); inspectors see funds and
projects only; clerks, assistance officers and first secretaries
have no part in the money. Maker-checker: the persona approves a request someone else made.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from core.models import Role
from funds import services
from tests.factories.funds import FundFactory, ProjectFactory
from tests.security.authz_matrix import (
    BAD_REQUEST,
    CREATED,
    REDIRECT,
    Case,
    detail,
    fixed,
    listing,
    row,
    unique,
)
from tests.security.rows._common import answers, shown, sided_case

FINANCE = ("finance_officer",)
REJECTERS = ("finance_officer", "auditor")
READERS = ("finance_officer", "auditor", "leader", "admin")  # every funds.view_* permission
CATALOGUE = (*READERS, "inspector")  # funds.view_fund and funds.view_project
BOOKED_ON = dt.date(2017, 1, 5)
CONTRACT_CHANGE = {
    "amount": "5000.00", "reason": "增加工程量", "approved_by": "县财政局", "approval_document": "修财〔2017〕1号",
    "signed_on": "2017-06-01",
}  # fmt: skip


def _finance_user(place, label="maker"):
    from tests.conftest import make_user

    code = place.county.code
    return make_user(Role.FINANCE_OFFICER, code, username=f"matrix_{label}_{code}")


def books_in(place):
    """A fund of the county with a budget, and 300,000.00 allocated to a project of the village."""
    finance = _finance_user(place)
    fund = FundFactory(region=place.county, name=unique("资金"))
    project = ProjectFactory(county=place.county, village=place.village, name=unique("项目"))
    budget = services.budget_arrange(
        actor=finance, fund=fund, amount=Decimal("1000000.00"), booked_on=BOOKED_ON
    )
    pool = services.pool_account(fund)
    allocation = services.allocate_to_project(
        actor=finance, from_account=pool, project=project, amount="300000.00", booked_on=BOOKED_ON,
        memo=unique("拨付"),
    )  # fmt: skip
    account = services.project_account(fund, project)
    return SimpleNamespace(
        fund=fund, project=project, pool=pool, account=account, budget=budget, entry=allocation, maker=finance
    )


def fund_in(place):
    return FundFactory(region=place.county, name=unique("资金"))


def project_in(place):
    return ProjectFactory(county=place.county, village=place.village, name=unique("项目"))


def request_in(place, *, approved=False):
    books = books_in(place)
    request, _ = services.disbursement_request_create(
        actor=books.maker, idempotency_key=unique("key"), from_account=books.account, amount="1000.00",
        purpose=unique("到户产业补贴"), payee_kind="organisation", payee_name="甲建设公司",
    )  # fmt: skip
    if approved:
        services.disbursement_approve(
            actor=_finance_user(place, "checker"), request=request, booked_on=BOOKED_ON
        )
    return request


def approved_request_in(place):
    return request_in(place, approved=True)


REASON = {"reason": "录入错误"}


def household_payee_in(place):
    from tests.factories.households import HouseholdFactory

    return HouseholdFactory(village=place.village)


def payee_in(place):
    return services.payee_create(actor=_finance_user(place), county=place.county, name=unique("合作社"))


def payee_list_case(place):
    """The county's payee listed (narrowed by name); a new one recorded in the county (a 404 for the
    other county through the API, a form refusal on the page: its county is not offered)."""
    payee = payee_in(place)
    # Narrowed by the name's unique tail: the page echoes what was searched, never the whole name.
    return Case(
        query={"q": payee.name.rsplit("-", 1)[-1]},
        marker=payee.name,
        data={"county": place.county.code, "name": unique("合作社")},
    )


def preview_case(place):
    books = books_in(place)
    payee = services.payee_create(actor=books.maker, county=place.county, name=unique("甲建设公司"))
    data = {"from_account": books.account.pk, "amount": "100.00", "purpose": "x", "payee_kind": "organisation",
            "payee": payee.pk}  # fmt: skip
    return Case(data=data, format="json")


def fund_list_case(place):
    fund = fund_in(place)
    new = {"code": unique("F"), "name": unique("资金"), "source": "county", "fiscal_year": 2017,
           "region": place.county.code}  # fmt: skip
    return Case(query={"page_size": 500}, marker=fund.name, data=new)


def allocation_case(place):
    books = books_in(place)
    data = {"from_account": books.pool.pk, "project": books.project.pk, "amount": "100.00"}
    return Case(kwargs={"pk": books.fund.pk}, data=data)


ROWS = [
    # --- pages --------------------------------------------------------------------------------
    row("funds:home", case=listing(fund_in, marker=lambda f: f.name), GET=shown(CATALOGUE)),
    row(
        "funds:fund_detail",
        case=detail(fund_in, data={"budget-amount": "1000.00"}),
        GET=answers(CATALOGUE),
        POST=answers(FINANCE, ok=REDIRECT),
    ),
    row("funds:project_list", case=listing(project_in, marker=lambda p: p.name), GET=shown(CATALOGUE)),
    row(
        "funds:project_create",
        case=fixed(data={"name": ""}),
        GET=answers(FINANCE, sided=False),
        POST=answers(FINANCE, ok=BAD_REQUEST, sided=False),
        note="an invalid project: 400 once the permission is checked",
    ),
    row(
        "funds:project_detail",
        case=detail(project_in, data={"amount": ""}),
        GET=answers(CATALOGUE),
        POST=answers(FINANCE, ok=BAD_REQUEST),
        note="POST records a contract change; an invalid one is 400",
    ),
    row(
        "funds:project_edit",
        case=detail(project_in, data={"name": ""}),
        GET=answers(FINANCE),
        POST=answers(FINANCE, ok=BAD_REQUEST),
        note="an invalid project: 400 once the permission and the region are checked",
    ),
    row(
        "funds:request_list",
        case=listing(request_in, marker=lambda r: r.purpose),
        GET=shown(READERS),
    ),
    row(
        "funds:request_create",
        case=fixed(data={"purpose": ""}),
        GET=answers(FINANCE, sided=False),
        POST=answers(FINANCE, ok=BAD_REQUEST, sided=False),
        note="an invalid request: 400 once the permission is checked",
    ),
    row("funds:request_detail", case=detail(request_in), GET=answers(READERS)),
    row(
        "funds:request_approve",
        case=detail(request_in, data={"confirmed": "1"}),
        POST=answers(FINANCE, ok=REDIRECT),
        note="the confirmed second step; the first POST shows the confirmation (200)",
    ),
    row(
        "funds:request_withdraw",
        case=detail(request_in, data=REASON),
        POST=answers(FINANCE, ok=BAD_REQUEST),
        note="only its maker withdraws a request: another finance officer is refused (400)",
    ),
    row("funds:pick_households", case=fixed(query={"q": "户主"}), GET=answers(FINANCE, sided=False)),
    row("funds:pick_measures", case=fixed(query={"q": "户主"}), GET=answers(FINANCE, sided=False)),
    row("funds:pick_payees", case=fixed(query={"q": "建设"}), GET=answers(FINANCE, sided=False)),
    row(
        "funds:payment_settings",
        case=fixed(data={"s-region": ""}),
        GET=answers(FINANCE, sided=False),
        POST=answers(FINANCE, ok=BAD_REQUEST, sided=False),
        note="an invalid setting: 400 once the permission is checked",
    ),
    row("funds:request_reject", case=detail(request_in, data=REASON), POST=answers(REJECTERS, ok=REDIRECT)),
    row(
        "funds:request_reverse",
        case=detail(approved_request_in, data=REASON),
        POST=answers(FINANCE, ok=REDIRECT),
    ),
    row(
        "funds:account_ledger",
        case=detail(lambda place: books_in(place).account),
        GET=answers(READERS),
    ),
    row(
        "funds:entry_detail",
        case=detail(lambda place: books_in(place).entry, data=REASON),
        GET=answers(READERS),
        POST=answers(FINANCE, ok=REDIRECT),
    ),
    row("funds:reconciliation", GET=answers(READERS, sided=False)),
    # --- API ----------------------------------------------------------------------------------
    row(
        "api:funds_fund_list",
        case=sided_case(fund_list_case),
        GET=shown(CATALOGUE, api=True),
        POST=answers(FINANCE, ok=CREATED, api=True),
    ),
    row("api:funds_fund_detail", case=detail(fund_in), GET=answers(CATALOGUE, api=True)),
    row(
        "api:funds_fund_budget",
        case=detail(fund_in, data={"amount": "1000.00"}),
        POST=answers(FINANCE, ok=CREATED, api=True),
    ),
    row(
        "api:funds_fund_allocate",
        case=sided_case(allocation_case),
        POST=answers(FINANCE, ok=CREATED, api=True),
    ),
    row(
        "api:funds_project_list",
        case=listing(project_in, marker=lambda p: p.name, query={"page_size": 500}),
        GET=shown(CATALOGUE, api=True),
    ),
    row(
        "api:funds_project_detail",
        case=detail(project_in, data={"name": "改名后的项目"}),
        GET=answers(CATALOGUE, api=True),
        PATCH=answers(FINANCE, api=True),
    ),
    row(
        "api:funds_payment_rules",
        case=fixed(data={"region": ""}),
        GET=answers(FINANCE, api=True, sided=False),
        POST=answers(FINANCE, ok=BAD_REQUEST, api=True, sided=False),
        note="the rules as they apply in the reader's region; an invalid setting: 400 once the permission is checked",
    ),
    row(
        "api:funds_payment_limit",
        case=fixed(data={"region": ""}),
        POST=answers(FINANCE, ok=BAD_REQUEST, api=True, sided=False),
        note="an invalid limit: 400 once the permission is checked",
    ),
    row(
        "api:funds_project_contract_changes",
        case=detail(project_in, data=CONTRACT_CHANGE),
        GET=answers(CATALOGUE, api=True),
        POST=answers(FINANCE, ok=CREATED, api=True),
        note="补充协议: read with the project, recorded by a finance officer of its county",
    ),
    row(
        "api:funds_account_list",
        case=listing(
            lambda place: books_in(place).account, marker=lambda a: a.name, query={"page_size": 500}
        ),
        GET=shown(READERS, api=True),
    ),
    row(
        "api:funds_account_ledger",
        case=detail(lambda place: books_in(place).account),
        GET=answers(READERS, api=True),
    ),
    row(
        "api:funds_entry_list",
        case=listing(lambda place: books_in(place).entry, marker=lambda e: e.memo, query={"page_size": 500}),
        GET=shown(READERS, api=True),
    ),
    row(
        "api:funds_entry_detail",
        case=detail(lambda place: books_in(place).entry),
        GET=answers(READERS, api=True),
    ),
    row(
        "api:funds_entry_reverse",
        case=detail(lambda place: books_in(place).entry, data=REASON),
        POST=answers(FINANCE, ok=CREATED, api=True),
    ),
    row(
        "api:funds_request_list",
        case=listing(request_in, marker=lambda r: r.purpose, query={"page_size": 500}),
        GET=shown(READERS, api=True),
    ),
    row("api:funds_request_detail", case=detail(request_in), GET=answers(READERS, api=True)),
    row(
        "api:funds_request_preview",
        case=sided_case(preview_case),
        POST=answers(FINANCE, api=True),
    ),
    row(
        "api:funds_request_withdraw",
        case=detail(request_in, data=REASON),
        POST=answers(FINANCE, ok=BAD_REQUEST, api=True),
        note="only its maker withdraws a request: another finance officer is refused (400)",
    ),
    row("api:funds_request_approve", case=detail(request_in), POST=answers(FINANCE, api=True)),
    row("api:funds_request_reject", case=detail(request_in, data=REASON), POST=answers(REJECTERS, api=True)),
    row(
        "api:funds_request_reverse",
        case=detail(approved_request_in, data=REASON),
        POST=answers(FINANCE, ok=CREATED, api=True),
    ),
    row("api:funds_reconciliation", GET=answers(READERS, api=True, sided=False)),
    row("api:funds_flags", GET=answers(READERS, api=True, sided=False)),
    # A payee's page (issue 20): read by whoever reads requests, in the payee's county.
    row("funds:payee_household", case=detail(household_payee_in), GET=answers(READERS)),
    row("funds:payee_detail", case=detail(payee_in), GET=answers(READERS)),
    row(
        "funds:payee_list",
        case=sided_case(payee_list_case),
        GET=shown(READERS),
        POST=answers(FINANCE, ok=REDIRECT, other=BAD_REQUEST),
        note="recording a payee of another county: its county is not offered (400)",
    ),
    row(
        "api:funds_payee_list",
        case=sided_case(payee_list_case),
        GET=shown(READERS, api=True),
        POST=answers(FINANCE, ok=CREATED, api=True),
    ),
]
