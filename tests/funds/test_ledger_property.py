"""Property: whatever sequence of allocations, disbursements and reversals is attempted, every
balance equals the sum of its entries and is never negative; refused operations change nothing."""

import uuid
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.exceptions import DomainError
from core.models import Region
from funds import services
from funds.models import Account, Entry, EntryKind
from tests.factories.funds import FundFactory, ProjectFactory

pytestmark = pytest.mark.django_db

amounts = st.integers(min_value=1, max_value=6_000_000).map(lambda fen: Decimal(fen) / 100)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("to_county"), amounts),
        st.tuples(st.just("to_project"), st.sampled_from(["pool", "county"]), amounts),
        st.tuples(st.just("disburse"), st.sampled_from(["county", "project"]), amounts),
        st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=40)),
    ),
    min_size=1,
    max_size=14,
)


def _sum_of_lines(account: Account) -> Decimal:
    total = Decimal("0.00")
    for line in account.lines.all():
        total += (line.credit - line.debit) if account.kind == "source" else (line.debit - line.credit)
    return total


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_random_sequences_keep_balances_equal_to_their_entries_and_never_negative(
    ops, finance, finance2, regions
):
    xiuwu = Region.objects.get(code="410821000000")
    fund = FundFactory()
    project = ProjectFactory()
    services.budget_arrange(actor=finance, fund=fund, amount="100000.00")
    pool = services.pool_account(fund)
    county = services.county_account(fund, xiuwu)
    project_account = services.project_account(fund, project)
    accounts = {"pool": pool, "county": county, "project": project_account}
    applied = 0

    for op in ops:
        before = {a.pk: a.balance for a in Account.objects.filter(fund=fund)}
        entries_before = Entry.objects.filter(fund=fund).count()
        try:
            if op[0] == "to_county":
                services.allocate_to_county(actor=finance, fund=fund, county=xiuwu, amount=op[1])
            elif op[0] == "to_project":
                services.allocate_to_project(
                    actor=finance, from_account=accounts[op[1]], project=project, amount=op[2]
                )
            elif op[0] == "disburse":
                request, _ = services.disbursement_request_create(
                    actor=finance, idempotency_key=uuid.uuid4().hex, from_account=accounts[op[1]],
                    amount=op[2], purpose="性质测试", payee_kind="organisation", payee_name="戊公司",
                )  # fmt: skip
                services.disbursement_approve(actor=finance2, request=request)
            else:
                candidates = list(
                    Entry.objects.filter(fund=fund).exclude(kind=EntryKind.BUDGET).order_by("id")
                )
                if not candidates:
                    continue
                target = candidates[op[1] % len(candidates)]
                services.entry_reverse(actor=finance, entry=target, reason="性质测试")
            applied += 1
        except DomainError:
            # A refusal (not enough money, already reversed, a reversal of a reversal) changes nothing.
            assert {a.pk: a.balance for a in Account.objects.filter(fund=fund)} == before
            assert Entry.objects.filter(fund=fund).count() == entries_before

        for account in Account.objects.filter(fund=fund):
            assert account.balance >= 0
            assert account.balance == _sum_of_lines(account)

    holding = Account.objects.filter(fund=fund, kind__in=["fund", "county", "project"])
    paid = Account.objects.filter(fund=fund, kind="payee")
    # Money is conserved: what the fund received is either still held or has been paid out.
    assert sum(a.balance for a in holding) + sum(a.balance for a in paid) == Decimal("100000.00")
    assert Entry.objects.filter(fund=fund).count() == 1 + applied
