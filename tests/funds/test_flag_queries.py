"""The flags and their counts come from SQL; here they are recomputed in Python from the rows.

The oracle below is the rule written the slow, obvious way (every disbursement loaded, scope and
reversal checked per entry, payees compared pairwise), so a wrong WHERE, window or join in the
SQL makes these tests fail.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import Region, Role
from funds import selectors, services
from funds.models import Entry, EntryKind, Line, Project
from households.models import HouseholdStatus
from tests.conftest import BOAI, make_user
from tests.factories.funds import FundFactory, ProjectFactory
from tests.factories.households import HouseholdFactory, first_village

pytestmark = pytest.mark.django_db

D = Decimal
DAY = dt.date(2017, 2, 1)


def on(days: int) -> dt.date:
    return DAY + dt.timedelta(days=days)


# --- the oracle -------------------------------------------------------------------------------


def oracle(prefix: str, as_of: dt.date | None = None) -> dict:
    """Flags of every kind computed in Python from all ledger rows, for a region prefix."""
    regions_of: dict[int, set[str]] = defaultdict(set)
    for entry_id, region in Line.objects.values_list("entry_id", "account__region_id"):
        regions_of[entry_id].add(region)
    reversed_ids = set(Entry.objects.exclude(reverses=None).values_list("reverses_id", flat=True))
    live = [
        e
        for e in Entry.objects.filter(kind=EntryKind.DISBURSEMENT).select_related("request__household")
        if e.request_id
        and e.pk not in reversed_ids
        and (as_of is None or e.booked_on <= as_of)
        and any(r.startswith(prefix) for r in regions_of[e.pk])
    ]
    live.sort(key=lambda e: (e.booked_on, e.pk))
    unregistered = [
        e.pk
        for e in live
        if e.request.payee_kind == "household" and e.request.household.status != HouseholdStatus.REGISTERED
    ]
    duplicates = []  # (entry id, date of the oldest earlier payment within 30 days)
    for i, e in enumerate(live):
        for earlier in live[:i]:
            same = (
                earlier.request.payee_kind == e.request.payee_kind
                and earlier.request.household_id == e.request.household_id
                and (e.request.household_id or earlier.request.payee_name == e.request.payee_name)
                and earlier.amount == e.amount
            )
            if same and (e.booked_on - earlier.booked_on).days <= 30:
                duplicates.append((e.pk, earlier.booked_on))
                break
    by_project, by_measure = defaultdict(D), defaultdict(D)
    for e in live:
        if e.request.project_id:
            by_project[e.request.project_id] += e.amount
        if e.request.measure_id:
            by_measure[e.request.measure_id] += e.amount
    from assistance.models import Measure

    projects = {p.pk: p for p in Project.objects.filter(pk__in=by_project)}
    # Beyond the contract: the payments to the project's contractor (its payee record, or an
    # organisation named as its winner), whatever their kind, above the contract plus its changes.
    to_contractor = defaultdict(D)
    for e in live:
        p, r = projects.get(e.request.project_id), e.request
        if p is not None and (
            (r.payee_id is not None and r.payee_id == p.contractor_id)
            or (
                r.payee_id is None
                and r.payee_kind == "organisation"
                and p.winner
                and r.payee_name == p.winner
            )
        ):
            to_contractor[p.pk] += e.amount
    contracts = {
        pk: p.contract_amount + sum((c.amount for c in p.contract_changes.all()), D(0))
        for pk, p in projects.items()
        if p.contract_amount is not None
    }
    over = {pk: to_contractor[pk] - cap for pk, cap in contracts.items() if to_contractor[pk] > cap}
    over_approved = {
        pk: by_project[pk] - p.review_approved_amount
        for pk, p in projects.items()
        if p.review_approved_amount is not None and by_project[pk] > p.review_approved_amount
    }
    before = defaultdict(D)  # paid while the project had no signed contract (issue 20.1)
    for e in live:
        p = projects.get(e.request.project_id)
        if p is not None and (p.contract_date is None or e.booked_on < p.contract_date):
            before[p.pk] += e.amount
    above = {
        m.pk: by_measure[m.pk] - m.funds_needed
        for m in Measure.objects.filter(pk__in=by_measure)
        if by_measure[m.pk] > m.funds_needed
    }
    amount = {e.pk: e.amount for e in live}
    return {
        "household_not_registered": (len(unregistered), sum((amount[i] for i in unregistered), D(0))),
        "above_measure_plan": (len(above), sum(above.values(), D(0))),
        "over_contract": (len(over), sum(over.values(), D(0))),
        "over_approved": (len(over_approved), sum(over_approved.values(), D(0))),
        "before_contract": (len(before), sum(before.values(), D(0))),
        "duplicate_payment": (len(duplicates), sum((amount[i] for i, _ in duplicates), D(0))),
        "unregistered_ids": unregistered,
        "duplicates": duplicates,
        "over": over,
        "above": above,
    }


# --- the ledger ---------------------------------------------------------------------------------


@pytest.fixture
def ledger(funded_project, finance, finance2, fund, regions):
    """Payments in 修武县 that raise every flag (and some that nearly do), and flagged payments
    in 博爱县 that a 修武县 officer must not see."""
    counter = iter(range(10_000))

    def pay(account, amount, booked_on, *, maker=finance, checker=finance2, household=None, payee="甲建设公司", measure=None):  # fmt: skip
        request, _ = services.disbursement_request_create(
            actor=maker, idempotency_key=f"q-{next(counter)}", from_account=account, amount=amount,
            purpose="补贴", payee_kind="household" if household else "organisation", household=household,
            payee_name=payee, measure=measure, confirmed_different=True,  # repeats on purpose (issue 20.2)
        )  # fmt: skip
        return services.disbursement_approve(actor=checker, request=request, booked_on=booked_on)

    from tests.factories.assistance import MeasureFactory

    ok, other_ok = HouseholdFactory(), HouseholdFactory()
    exited = HouseholdFactory(status=HouseholdStatus.EXITED)
    removed = HouseholdFactory(status=HouseholdStatus.REMOVED)
    measure = MeasureFactory(plan__household=ok, funds_needed=D("2500.00"))
    small = ProjectFactory(contract_amount=D("3500.00"), winner="丙合作社", bidders=["丙合作社", "丁合作社"])
    services.allocate_to_project(
        actor=finance, from_account=services.pool_account(fund), project=small, amount="10000.00",
        booked_on=DAY,
    )  # fmt: skip
    small_account = services.project_account(fund, small)

    pay(funded_project, "1000.00", on(0), household=ok, measure=measure)
    pay(funded_project, "1000.00", on(0), household=ok)  # same day: the second is a duplicate
    pay(funded_project, "1000.00", on(0), household=other_ok)  # another payee
    pay(funded_project, "1000.00", on(10), household=ok, measure=measure)  # oldest within 30: day 0
    pay(funded_project, "999.99", on(11), household=ok)  # another amount
    pay(funded_project, "1000.00", on(45), household=ok)  # day 10 is 35 days back: clean
    pay(funded_project, "1000.00", on(75), household=ok)  # exactly 30 days after day 45
    pay(funded_project, "800.00", on(76), household=exited)
    pay(funded_project, "500.00", on(77), household=removed)
    pay(funded_project, "500.00", on(80), household=removed)  # unregistered and paid twice
    undone = pay(funded_project, "700.00", on(81), household=exited)  # reversed below
    pay(funded_project, "2000.00", on(82))  # 甲建设公司
    pay(funded_project, "2000.00", on(83), payee="乙建设公司")  # another organisation
    twice = pay(funded_project, "2000.00", on(90))  # 甲 again within 30 days: reversed below
    pay(small_account, "2000.00", on(91), payee="丙合作社")  # its contractor
    pay(small_account, "1500.00", on(120), payee="丙合作社")
    pay(small_account, "400.00", on(121), payee="戊监理公司")  # not its contractor: not counted
    # The contract recorded lower afterwards (no payment rule lets one past it): over it by 500.
    Project.objects.filter(pk=small.pk).update(contract_amount=D("3000.00"))
    services.disbursement_reverse(actor=finance, request=undone, reason="错付", booked_on=on(121))
    services.disbursement_reverse(actor=finance, request=twice, reason="重复支付", booked_on=on(121))

    # 博爱县: its own fund, project, officers and a removed household paid twice.
    boai, boai2 = (make_user(Role.FINANCE_OFFICER, BOAI, username=f"fin_boai_{i}") for i in (1, 2))
    boai_fund = FundFactory(region=Region.objects.get(code=BOAI))
    boai_project = ProjectFactory(county=Region.objects.get(code=BOAI), contract_amount=D("100.00"))
    services.budget_arrange(actor=boai, fund=boai_fund, amount="50000.00", booked_on=DAY)
    services.allocate_to_project(
        actor=boai, from_account=services.pool_account(boai_fund), project=boai_project, amount="50000.00",
        booked_on=DAY,
    )  # fmt: skip
    boai_account = services.project_account(boai_fund, boai_project)
    gone = HouseholdFactory(status=HouseholdStatus.REMOVED, village=first_village("410822"))
    for days in (5, 6):
        pay(boai_account, "300.00", on(days), maker=boai, checker=boai2, household=gone)
    return {"exited": exited, "removed": removed, "measure": measure, "small": small}


def _summary(actor, as_of=None) -> dict:
    return {c.code: (c.count, c.amount) for c in selectors.flag_summary(actor=actor, as_of=as_of)}


def test_counts_match_the_rows_recomputed_in_python(ledger, finance):
    expected = oracle("410821")
    assert _summary(finance) == {code: expected[code] for code in selectors.FLAG_LABELS}
    # The case was built to have each kind: a count of 0 everywhere would prove nothing.
    assert expected["household_not_registered"] == (3, D("1800.00"))
    assert expected["duplicate_payment"] == (4, D("3500.00"))
    assert expected["over_contract"] == (1, D("500.00"))
    assert expected["above_measure_plan"] == (0, D("0"))


def test_flagged_payments_match_the_python_rule(ledger, finance):
    expected = oracle("410821")
    flags, cursor = selectors.payment_flags(actor=finance)
    assert cursor is None
    assert [f.entry_id for f in flags if f.code == "household_not_registered"] == expected["unregistered_ids"]
    duplicates = [(f.entry_id, f.message) for f in flags if f.code == "duplicate_payment"]
    assert [entry_id for entry_id, _ in duplicates] == [entry_id for entry_id, _ in expected["duplicates"]]
    for (_entry_id, message), (_same, first) in zip(duplicates, expected["duplicates"], strict=True):
        assert first.isoformat() in message  # the oldest earlier payment within the 30 days
    totals = selectors.total_flags(actor=finance)
    assert {f.project_id: f.amount for f in totals if f.code == "over_contract"} == expected["over"]


def test_keyset_pages_return_every_flag_once_in_order(ledger, finance):
    everything, _ = selectors.payment_flags(actor=finance)
    seen, after, pages = [], None, 0
    while True:
        page, after = selectors.payment_flags(actor=finance, after=after, limit=2)
        seen += page
        pages += 1
        if after is None:
            break
    assert [(f.code, f.entry_id) for f in seen] == [(f.code, f.entry_id) for f in everything]
    assert pages >= 3


def test_as_of_a_past_date(ledger, finance):
    as_of = on(78)  # before the second payment to the removed household and the reversals
    expected = oracle("410821", as_of=as_of)
    assert _summary(finance, as_of=as_of) == {code: expected[code] for code in selectors.FLAG_LABELS}
    assert expected["household_not_registered"][0] == 2


def test_measure_paid_above_its_plan(ledger, finance, finance2, funded_project):
    measure = ledger["measure"]
    request, _ = services.disbursement_request_create(
        actor=finance, idempotency_key="above", from_account=funded_project, amount="500.01", purpose="补贴",
        payee_kind="household", household=measure.plan.household, measure=measure,
    )  # fmt: skip
    services.disbursement_approve(actor=finance2, request=request, booked_on=on(130))
    expected = oracle("410821")
    assert expected["above_measure_plan"] == (1, D("0.01"))
    assert _summary(finance)["above_measure_plan"] == expected["above_measure_plan"]
    assert [f.amount for f in selectors.total_flags(actor=finance) if f.code == "above_measure_plan"] == [
        D("0.01")
    ]


def test_scope_other_county_and_the_city(ledger, finance, city_finance):
    boai = make_user(Role.FINANCE_OFFICER, BOAI, username="fin_boai_reader")
    assert _summary(boai) == {code: oracle("410822")[code] for code in selectors.FLAG_LABELS}
    assert _summary(boai)["household_not_registered"] == (2, D("600.00"))
    city = oracle("4108")
    assert _summary(city_finance) == {code: city[code] for code in selectors.FLAG_LABELS}
    assert city["household_not_registered"][0] == oracle("410821")["household_not_registered"][0] + 2


def test_fund_flags_keeps_every_flag_for_the_api_and_export(ledger, finance):
    expected = oracle("410821")
    flags = selectors.fund_flags(actor=finance)
    counts = defaultdict(int)
    for f in flags:
        counts[f.code] += 1
    assert dict(counts) == {code: expected[code][0] for code in selectors.FLAG_LABELS if expected[code][0]}


def test_reconciliation_page_shows_counts_and_pages_of_flags(ledger, finance, client, monkeypatch):
    from funds import views

    monkeypatch.setattr(views, "FLAG_PAGE", 2)
    client.force_login(finance)
    url = reverse("funds:reconciliation") + "?county=410821000000"
    first = client.get(url)
    assert first.status_code == 200
    counts = {c.code: c.count for c in first.context["flag_counts"]}
    assert counts["household_not_registered"] == 3
    codes = [f.code for f in first.context["flags"]]
    assert codes[0] == "over_contract"  # totals first, on the first page only
    shown = [(f.code, f.entry_id) for f in first.context["flags"] if f.entry_id]
    after = first.context["flags_after"]
    while after:
        page = client.get(url + f"&flags_after={after}")
        assert "over_contract" not in [f.code for f in page.context["flags"]]
        shown += [(f.code, f.entry_id) for f in page.context["flags"]]
        after = page.context["flags_after"]
    everything, _ = selectors.payment_flags(actor=finance)
    assert shown == [(f.code, f.entry_id) for f in everything]
