"""Issue 20.1: a payment from a project account waits for the steps that apply (investment review
above the county's threshold, procurement method, bid opening, winner, signed contract); contractor
payments go to the winner only, within the contract and its recorded changes; the refusal names the
missing step and saves nothing. The finance officer of 修武县 makes, a second one checks, an auditor
reads the trail."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from core.exceptions import DomainError
from core.models import Region
from funds import selectors, services
from funds.models import DisbursementRequest, PaymentSettings, RequestStatus
from funds.selectors.rules import project_committed
from tests.factories.funds import ProjectFactory

pytestmark = pytest.mark.django_db

D = Decimal


def _funded(project, fund, finance, amount="400000.00"):
    services.budget_arrange(actor=finance, fund=fund, amount="1000000.00", booked_on=dt.date(2017, 1, 5))
    services.allocate_to_project(
        actor=finance, from_account=services.pool_account(fund), project=project, amount=amount,
        booked_on=dt.date(2017, 1, 5),
    )  # fmt: skip
    return services.project_account(fund, project)


def _ask(finance, account, amount="300000.00", key="k1", **kwargs):
    kwargs.setdefault("payee_kind", "organisation")
    kwargs.setdefault("payee_name", account.project.winner or "甲建设公司")
    with translation.override("zh-hans"):
        return services.disbursement_request_create(
            actor=finance,
            idempotency_key=key,
            from_account=account,
            amount=amount,
            purpose="工程进度款",
            **kwargs,
        )


def test_a_project_without_a_contract_cannot_pay_and_the_refusal_names_the_contract(fund, finance):
    project = ProjectFactory(contract_amount=None, contract_date=None)
    account = _funded(project, fund, finance)
    with pytest.raises(DomainError) as refused:
        _ask(finance, account)
    assert refused.value.field == "contract_date"
    assert "合同" in str(refused.value)  # names the missing step, in Chinese
    assert DisbursementRequest.objects.count() == 0  # nothing saved


@pytest.mark.parametrize(
    ("missing", "field", "words"),
    [
        ({"procurement_method": "", "bidders": [], "winner": "", "contract_amount": None, "contract_date": None},
         "procurement_method", "采购方式"),
        ({"bid_opening_date": None}, "bid_opening_date", "开标"),
        ({"winner": "", "contract_amount": None}, "winner", "中标人"),
    ],
)  # fmt: skip
def test_each_missing_step_of_a_tender_is_named(fund, finance, missing, field, words):
    project = ProjectFactory(**missing)
    account = _funded(project, fund, finance)
    with pytest.raises(DomainError) as refused:
        _ask(finance, account, payee_name="甲建设公司")
    assert field in refused.value.as_dict()
    assert words in refused.value.as_dict()[field][0]
    assert DisbursementRequest.objects.count() == 0


def test_the_investment_review_is_needed_above_the_countys_threshold_set_by_the_city(
    fund, finance, city_finance, xiuwu
):
    project = ProjectFactory(
        budget=D("800000.00"), review_approved_amount=None, review_date=None, review_agency=""
    )
    account = _funded(project, fund, finance)
    with pytest.raises(DomainError) as refused:
        _ask(finance, account)
    assert refused.value.field == "review_approved_amount"
    assert "投资评审" in str(refused.value)
    # The county cannot lower its own bar; the city finance office sets it.
    with pytest.raises(DomainError):
        services.payment_settings_set(actor=finance, region=xiuwu, review_threshold="900000.00")
    services.payment_settings_set(actor=city_finance, region=xiuwu, review_threshold="900000.00")
    assert selectors.review_threshold(xiuwu.code) == D("900000.00")
    request, created = _ask(finance, account)  # the budget is now under the threshold; budget caps
    assert created
    assert request.kind == "progress"


def test_the_city_finance_office_sets_a_countys_rules_over_the_api_and_the_county_reads_them(
    api_as, finance, city_finance, xiuwu
):
    """Issue 20.1/20.2: the threshold and each kind's limits per county, set by the city finance
    office through the API as on its page; the county's finance officer reads them, cannot set them,
    and its requests meet them."""
    city = api_as(city_finance)
    rules = reverse("api:funds_payment_rules")
    answer = city.post(rules, {"region": xiuwu.code, "review_threshold": "900000.00"}, format="json")
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["review_threshold"], answer.json()["own"]) == ("900000.00", True)
    answer = city.post(
        reverse("api:funds_payment_limit"),
        {"region": xiuwu.code, "kind": "subsidy", "ceiling": "20000.00", "soft_limit": "5000.00"},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    limits = {row["kind"]: (row["ceiling"], row["soft_limit"]) for row in answer.json()["limits"]}
    assert limits["subsidy"] == ("20000.00", "5000.00")
    assert selectors.payment_limits(xiuwu.code, "subsidy") == (D("20000.00"), D("5000.00"))

    county = api_as(finance)
    (row,) = [r for r in county.get(rules).json()["results"] if r["region"] == xiuwu.code]
    assert row["review_threshold"] == "900000.00"
    refused = county.post(rules, {"region": xiuwu.code, "review_threshold": "1.00"}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (400, "permission_denied")
    assert selectors.review_threshold(xiuwu.code) == D("900000.00")
    bad = api_as(city_finance).post(
        reverse("api:funds_payment_limit"),
        {"region": xiuwu.code, "kind": "subsidy", "ceiling": "100.00", "soft_limit": "500.00"},
        format="json",
    )
    assert bad.status_code == 400
    assert "soft_limit" in bad.json()["errors"]


def test_without_a_county_row_the_provinces_default_applies(regions):
    province, _ = Region.objects.get_or_create(
        code="410000000000", defaults={"name": "河南省", "level": "province"}
    )
    assert selectors.review_threshold("410821000000") == D("500000.00")  # built in
    PaymentSettings.objects.create(region=province, review_threshold=D("300000.00"))
    assert selectors.review_threshold("410821000000") == D("300000.00")
    PaymentSettings.objects.create(region_id="410821000000", review_threshold=D("700000.00"))
    assert selectors.review_threshold("410821000000") == D("700000.00")
    assert selectors.review_threshold("410822000000") == D("300000.00")


def test_contractor_payments_go_to_the_winner_within_the_contract_and_its_changes(
    api_as, fund, finance, finance2, auditor
):
    project = ProjectFactory(contract_amount=D("300000.00"))  # approved 480,000
    account = _funded(project, fund, finance)
    winner = services.contractor_record(project)
    other = services.payee_create(actor=finance, county=project.county, name="乙建设公司")
    with pytest.raises(DomainError) as refused:
        _ask(finance, account, amount="1000.00", payee=other, kind="progress")
    assert refused.value.field == "payee"
    _first, _ = _ask(finance, account, amount="280000.00", payee=winner, kind="progress")
    with pytest.raises(DomainError) as refused:
        _ask(finance, account, amount="30000.00", key="k2", payee=winner, kind="retention")
    assert refused.value.field == "amount"
    assert "合同" in str(refused.value)
    # A contract change (补充协议) needs its reason and approval; then the retention money fits.
    with pytest.raises(DomainError) as refused:
        services.contract_change_record(
            actor=finance, project=project, amount="20000.00", reason=" ", approved_by="", approval_document="",
            signed_on=dt.date(2017, 6, 1),
        )  # fmt: skip
    assert set(refused.value.as_dict()) == {"reason", "approved_by", "approval_document"}
    # Recorded over the API as over the page (the county's finance office keeps the project's books).
    url = reverse("api:funds_project_contract_changes", args=[project.pk])
    answer = api_as(finance).post(url, {
        "amount": "20000.00", "reason": "增加排水沟", "approved_by": "修武县财政局",
        "approval_document": "修财〔2017〕12号", "signed_on": "2017-06-01",
    }, format="json")  # fmt: skip
    assert answer.status_code == 201, answer.json()
    assert (answer.json()["amount"], answer.json()["recorded_by"]) == ("20000.00", finance.pk)
    listed = api_as(auditor).get(url).json()["results"]
    assert [(c["reason"], c["approval_document"]) for c in listed] == [("增加排水沟", "修财〔2017〕12号")]
    retention, created = _ask(finance, account, amount="15000.00", key="k3", payee=winner, kind="retention")
    assert created
    assert retention.payee_id == winner.pk
    assert retention.payee_name == project.winner
    assert selectors.contract_total(project) == D("320000.00")


def test_the_approved_amount_caps_every_payment_of_the_project(fund, finance):
    project = ProjectFactory(review_approved_amount=D("100000.00"), contract_amount=D("90000.00"))
    account = _funded(project, fund, finance)
    _ask(finance, account, amount="90000.00")
    with pytest.raises(DomainError) as refused:
        _ask(finance, account, amount="10000.01", key="k2", payee_name="监理公司", kind="other")
    assert refused.value.field == "amount"
    assert "100,000.00" in str(refused.value)
    assert DisbursementRequest.objects.count() == 1


def test_a_request_queued_before_the_rule_is_flagged_to_its_checker_not_rejected(
    client, api_as, fund, finance, finance2, auditor
):
    project = ProjectFactory(contract_amount=None, contract_date=None)
    account = _funded(project, fund, finance)
    # Queued before the rule started (made the old way, straight into the table).
    queued = DisbursementRequest.objects.create(
        idempotency_key="old", from_account=account, project=project, payee_kind="organisation",
        payee_name="甲建设公司", amount=D("300000.00"), purpose="进度款", region_id=account.region_id, maker=finance,
    )  # fmt: skip
    with translation.override("zh-hans"):
        flags = selectors.request_flags(queued)
    assert any("合同" in f for f in flags)
    client.force_login(finance2)
    page = client.get(reverse("funds:request_detail", args=[queued.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "合同" in page.content.decode()
    queued.refresh_from_db()
    assert queued.status == RequestStatus.PENDING  # not silently rejected
    # Its checker reads the same over the API, and the project says which step it waits for.
    api = api_as(finance2)
    detail = api.get(
        reverse("api:funds_request_detail", args=[queued.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).json()
    assert detail["checker_flags"] == flags
    assert detail["batch"] is None
    steps = api.get(
        reverse("api:funds_project_detail", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).json()
    assert [step["field"] for step in steps["missing_steps"]] == ["contract_date"]
    assert "合同" in steps["missing_steps"][0]["message"]


def test_reconciliation_flags_projects_paid_before_their_contract_or_beyond_the_approved_amount(
    fund, finance, finance2, auditor
):
    project = ProjectFactory(contract_date=dt.date(2017, 6, 1), review_approved_amount=D("50000.00"))
    account = _funded(project, fund, finance)
    for key, amount, booked_on in (
        ("a", "30000.00", dt.date(2017, 5, 1)),
        ("b", "30000.00", dt.date(2017, 7, 1)),
    ):
        # Paid the old way (before the rule): straight in, then approved by the checker.
        request = DisbursementRequest.objects.create(
            idempotency_key=key, from_account=account, project=project, payee_kind="organisation",
            payee_name="甲建设公司", amount=D(amount), purpose="进度款", region_id=account.region_id, maker=finance,
        )  # fmt: skip
        services.disbursement_approve(actor=finance2, request=request, booked_on=booked_on)
    codes = {f.code: f for f in selectors.total_flags(actor=auditor)}
    assert codes["before_contract"].amount == D("30000.00")
    assert codes["over_approved"].amount == D("10000.00")
    assert codes["before_contract"].project_id == project.pk


def test_the_project_page_lists_the_missing_steps(client, fund, finance):
    project = ProjectFactory(contract_amount=None, contract_date=None)
    client.force_login(finance)
    body = client.get(reverse("funds:project_detail", args=[project.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert 'data-field="contract_date"' in body.content.decode()


def test_any_payment_to_the_contractor_counts_against_the_contract_whatever_its_kind(fund, finance):
    project = ProjectFactory(contract_amount=D("300000.00"))  # approved 480,000
    account = _funded(project, fund, finance)
    winner = services.contractor_record(project)
    _ask(finance, account, amount="290000.00", payee=winner, kind="progress")
    # Called "other", a payment to the contractor beyond the contract is still refused, the rule named.
    with pytest.raises(DomainError) as refused:
        _ask(finance, account, amount="20000.00", key="k2", payee=winner, kind="other")
    assert refused.value.field == "amount"
    assert "合同金额加已登记的补充协议" in str(refused.value)
    assert "310,000.00" in str(refused.value)  # the 290,000 before it counted
    assert DisbursementRequest.objects.count() == 1
    # Within the contract it is paid, and it counts: the retention money after it no longer fits.
    _other, created = _ask(finance, account, amount="10000.00", key="k3", payee=winner, kind="other")
    assert created
    with pytest.raises(DomainError) as refused:
        _ask(finance, account, amount="0.01", key="k4", payee=winner, kind="retention")
    assert refused.value.field == "amount"
    assert project_committed(project)[1] == D("300000.00")


def test_a_supervision_fee_to_another_payee_does_not_count_toward_the_contract(fund, finance):
    project = ProjectFactory(contract_amount=D("300000.00"))  # approved 480,000
    account = _funded(project, fund, finance)
    winner = services.contractor_record(project)
    supervisor = services.payee_create(actor=finance, county=project.county, name="丙监理公司")
    _fee, created = _ask(finance, account, amount="60000.00", payee=supervisor, kind="other")
    assert created
    # The contractor may still be paid its whole contract: 60,000 + 300,000 within the 480,000 approved.
    _progress, created = _ask(finance, account, amount="300000.00", key="k2", payee=winner, kind="progress")
    assert created
    assert project_committed(project) == (D("360000.00"), D("300000.00"))


def test_reconciliation_compares_the_contractors_payments_with_the_contract_and_its_changes(
    fund, finance, finance2, auditor
):
    project = ProjectFactory(contract_amount=D("300000.00"))
    account = _funded(project, fund, finance)
    winner = services.contractor_record(project)
    services.contract_change_record(
        actor=finance, project=project, amount="20000.00", reason="增加排水沟", approved_by="修武县财政局",
        approval_document="修财〔2017〕12号", signed_on=dt.date(2017, 6, 1),
    )  # fmt: skip
    supervisor = services.payee_create(actor=finance, county=project.county, name="丙监理公司")
    for key, amount, payee, kind in (
        ("a", "310000.00", winner, "progress"),
        ("b", "15000.00", supervisor, "other"),
    ):
        request, _created = _ask(finance, account, amount=amount, key=key, payee=payee, kind=kind)
        services.disbursement_approve(actor=finance2, request=request, booked_on=dt.date(2017, 7, 1))
    # 325,000 paid from the project, 310,000 of it to the contractor: beyond the contract's 300,000 but
    # within its recorded change (320,000), and the supervision fee is not the contractor's.
    assert "over_contract" not in {f.code for f in selectors.total_flags(actor=auditor)}
    # A payment to the contractor queued the old way (no payee record, kind "other") counts too.
    old = DisbursementRequest.objects.create(
        idempotency_key="old", from_account=account, project=project, payee_kind="organisation",
        payee_name=project.winner, amount=D("12000.00"), purpose="其他", kind="other",
        region_id=account.region_id, maker=finance,
    )  # fmt: skip
    services.disbursement_approve(actor=finance2, request=old, booked_on=dt.date(2017, 8, 1))
    flags = {f.code: f for f in selectors.total_flags(actor=auditor)}
    assert flags["over_contract"].amount == D("2000.00")  # 322,000 to the contractor − 320,000
    assert flags["over_contract"].project_id == project.pk


def test_the_payment_rules_list_reads_the_settings_once_however_many_regions(api_as, finance, city_finance):
    """The city's list (every county and the province) takes the queries of one county's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    PaymentSettings.objects.create(region_id="410821000000", review_threshold=D("900000.00"))

    def read(user):
        client = api_as(user)
        client.get(reverse("api:funds_payment_rules"))  # the session and permissions warmed
        with CaptureQueriesContext(connection) as queries:
            body = client.get(reverse("api:funds_payment_rules")).json()
        return len(body["results"]), len(queries)

    city_rows, city_queries = read(city_finance)
    county_rows, county_queries = read(finance)
    assert city_rows > county_rows >= 1
    assert city_queries <= county_queries
