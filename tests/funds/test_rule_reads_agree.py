"""A checker's batch page of project payments is read in a number of queries that does not grow with
its rows (issue 20.3: pages of up to 200), and the shared reads (`RuleReads`, primed with the page)
flag every request exactly as the request read alone does: the project chain, its caps with the
request itself taken out, the contract and its changes, the same payment twice within 7 days, a
measure paid twice this month, an exited household."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from core.models import Region
from funds import services
from funds.models import ContractChange, DisbursementRequest, Payee
from funds.selectors.batches import page_rows
from funds.selectors.rules import RuleReads, request_flags
from tests.factories.assistance import MeasureFactory
from tests.factories.funds import ProjectFactory
from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db

D = Decimal


def _project_account(fund, finance, project):
    services.budget_arrange(actor=finance, fund=fund, amount="1000000.00", booked_on=dt.date(2017, 1, 5))
    services.allocate_to_project(
        actor=finance, from_account=services.pool_account(fund), project=project, amount="300000.00",
        booked_on=dt.date(2017, 1, 5),
    )  # fmt: skip
    return services.project_account(fund, project)


def _queued(account, maker, key, amount, *, days_ago=0, **payee):
    """A request queued straight into the table (as before the rules started), made `days_ago` days ago."""
    payee.setdefault("payee_kind", "organisation")
    payee.setdefault("payee_name", (payee.get("payee") and payee["payee"].name) or "某合作社")
    request = DisbursementRequest.objects.create(
        idempotency_key=key, from_account=account, project=account.project, amount=D(amount), purpose="工程款",
        region_id=account.region_id, maker=maker, **payee,
    )  # fmt: skip
    if days_ago:
        DisbursementRequest.objects.filter(pk=request.pk).update(
            created_at=timezone.now() - dt.timedelta(days=days_ago)
        )
    return request


def _world(fund, finance, extra_rows: int = 0):
    """A project account whose pending requests meet every rule the checker is shown."""
    project = ProjectFactory(contract_amount=D("100000.00"))
    contractor = Payee.objects.create(county=project.county, name=project.winner)
    project.contractor = contractor
    project.save()
    ContractChange.objects.create(
        project=project, amount=D("20000.00"), reason="增加工程量", approved_by="县扶贫办",
        approval_document="修扶〔2017〕1号", signed_on=dt.date(2017, 2, 1), recorded_by=finance,
    )  # fmt: skip
    other = Payee.objects.create(county=project.county, name="监理公司")
    account = _project_account(fund, finance, project)
    made = [
        # Within the contract and its change, then beyond it (60k + 70k > 120k).
        _queued(account, finance, "c1", "60000.00", payee=contractor, kind="progress"),
        _queued(account, finance, "c2", "70000.00", payee=contractor, kind="progress", days_ago=3),
        # A progress payment to someone other than the contractor.
        _queued(account, finance, "o1", "5000.00", payee=other, kind="progress"),
        # The same payee, amount and project twice within 7 days, and once 9 days before.
        _queued(account, finance, "d1", "3000.00", payee=other, kind="other", days_ago=9),
        _queued(account, finance, "d2", "3000.00", payee=other, kind="other", days_ago=2),
        _queued(account, finance, "d3", "3000.00", payee=other, kind="other"),
        # Above the softer limit of an "other" payment, with and without the maker's reason.
        _queued(account, finance, "l1", "150000.00", payee=other, kind="other", limit_reason="一次性结算"),
    ]
    # Households: one exited (its own plan's measure keeps its policy; another's does not), one paid
    # twice for the same measure this month, one of another county.
    exited = HouseholdFactory(status="exited")
    own = MeasureFactory(plan__household=exited)
    foreign = MeasureFactory()
    twice = HouseholdFactory()
    measure = MeasureFactory(plan__household=twice)
    boai = HouseholdFactory(
        village=Region.objects.filter(code__startswith="410822", level="village").order_by("code").first()
    )
    for key, household, m in [
        ("h1", exited, own), ("h2", exited, foreign), ("h3", twice, measure), ("h4", twice, measure),
        ("h5", boai, None),
    ]:  # fmt: skip
        subsidy = {"payee_kind": "household", "household": household, "payee_name": household.head_name}
        made.append(_queued(account, finance, key, "800.00", measure=m, kind="subsidy", **subsidy))
    for i in range(extra_rows):
        made.append(_queued(account, finance, f"x{i}", "100.00", payee=other, kind="other"))
    return account, made


def test_a_page_shares_its_reads_and_flags_each_request_as_read_alone(fund, finance, finance2):
    _account, made = _world(fund, finance)
    with translation.override("zh-hans"):
        alone = {r.pk: request_flags(DisbursementRequest.objects.get(pk=r.pk)) for r in made}
        rows = {
            row.request.pk: row.rule_messages for row in page_rows(actor=finance2, ids=[r.pk for r in made])
        }
        fresh = list(
            DisbursementRequest.objects.filter(pk__in=[r.pk for r in made])
            .select_related("from_account__project", "household", "measure__plan", "payee")
            .order_by("pk")
        )
        reads = RuleReads()
        reads.prime(fresh)
        shared = {r.pk: request_flags(r, reads) for r in fresh}
    assert shared == alone
    assert rows == alone
    # The world meets what it was made for: the rules speak on most rows, and not the same words on all.
    assert sum(1 for flags in alone.values() if flags) >= 8
    assert len({tuple(flags) for flags in alone.values()}) >= 6
    words = " ".join(" ".join(flags) for flags in alone.values())
    for expected in (
        "超过合同金额",
        "只能支付给登记为承包单位",
        "同一金额",
        "不在册",
        "本月已就该帮扶措施",
        "其他县",
    ):
        assert expected in words, expected


@pytest.mark.parametrize("extra", [0, 40])
def test_a_batch_page_of_project_payments_takes_the_same_queries_however_many_rows(
    fund, finance, finance2, extra
):
    _account, made = _world(fund, finance, extra_rows=extra)
    ids = [r.pk for r in made]
    with CaptureQueriesContext(connection) as queries:
        rows = page_rows(actor=finance2, ids=ids)
    assert len(rows) == len(made)
    assert len(queries) <= 12, [q["sql"][:120] for q in queries]
