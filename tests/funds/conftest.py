"""Funds personas, a funded 修武县 project, and the ledger invariants checked after every test."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from core.models import Role
from funds import services
from tests.conftest import BOAI, CITY, XIUWU
from tests.factories.funds import FundFactory, ProjectFactory

FUNDED_ON = dt.date(2017, 1, 5)


def ledger_problems() -> list[str]:
    """What would break double entry: unbalanced totals or entries, balances not their lines, negatives."""
    problems = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(debit), 0), COALESCE(SUM(credit), 0) FROM funds_line")
        debits, credits = cursor.fetchone()
        if debits != credits:
            problems.append(f"total debits {debits} != total credits {credits}")
        cursor.execute(
            "SELECT e.id FROM funds_entry e LEFT JOIN funds_line l ON l.entry_id = e.id GROUP BY e.id "
            "HAVING COALESCE(SUM(l.debit), 0) <> e.amount OR COALESCE(SUM(l.credit), 0) <> e.amount"
        )
        problems += [f"entry {row[0]} unbalanced" for row in cursor.fetchall()]
        cursor.execute(
            "SELECT a.id, a.balance FROM funds_account a LEFT JOIN funds_line l ON l.account_id = a.id "
            "GROUP BY a.id HAVING a.balance < 0 OR a.balance <> COALESCE(SUM(CASE WHEN a.kind = 'source' "
            "THEN l.credit - l.debit ELSE l.debit - l.credit END), 0)"
        )
        problems += [f"account {row[0]} balance {row[1]} wrong" for row in cursor.fetchall()]
    return problems


@pytest.fixture(autouse=True)
def ledger_stays_balanced(request):
    """After every test: total debits = total credits, every balance = its lines and >= 0."""
    uses_db = any(f in request.fixturenames for f in ("db", "transactional_db", "live_server")) or (
        request.node.get_closest_marker("django_db") is not None
    )
    if not uses_db:
        yield
        return
    transactional = "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    request.getfixturevalue("transactional_db" if transactional else "db")
    yield
    assert ledger_problems() == []


@pytest.fixture
def finance(regions):
    """The maker: a finance officer of 修武县."""
    return _user(Role.FINANCE_OFFICER, XIUWU, "finance_xiuwu")


@pytest.fixture
def finance2(regions):
    """The checker: a second finance officer of 修武县."""
    return _user(Role.FINANCE_OFFICER, XIUWU, "finance2_xiuwu")


@pytest.fixture
def boai_finance(regions):
    return _user(Role.FINANCE_OFFICER, BOAI, "finance_boai")


@pytest.fixture
def city_finance(regions):
    return _user(Role.FINANCE_OFFICER, CITY, "finance_city")


@pytest.fixture
def auditor(regions):
    return _user(Role.AUDITOR, XIUWU, "auditor_xiuwu")


def _user(role, region, username):
    from tests.conftest import make_user

    return make_user(role, region, username=username)


@pytest.fixture
def fund(regions):
    return FundFactory()


@pytest.fixture
def project(regions):
    return ProjectFactory()


@pytest.fixture
def funded_project(fund, project, finance):
    """修武县 fund with 1,000,000.00 budget; 300,000.00 allocated to the project on 2017-01-05.

    Returns the project's account."""
    services.budget_arrange(actor=finance, fund=fund, amount=Decimal("1000000.00"), booked_on=FUNDED_ON)
    pool = services.pool_account(fund)
    services.allocate_to_project(
        actor=finance, from_account=pool, project=project, amount="300000.00", booked_on=FUNDED_ON
    )
    return services.project_account(fund, project)


@pytest.fixture
def household(regions):
    from tests.factories.households import HouseholdFactory

    return HouseholdFactory()
