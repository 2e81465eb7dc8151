"""A payee's page (issue 20): the household or the contractor, with its payments, its bank card
(in full only for the finance officer who sends payment files), its status and its flags —
reached from the disbursement rows. Read as the finance officer, the auditor, and another county."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from funds import services
from funds.models import Project
from tests.factories.funds import ProjectFactory
from tests.funds.test_bank_payment_and_return_files import CARDS, _return_file, media, sent  # noqa: F401
from tests.funds.test_project_chain_gates_payment import _funded

pytestmark = pytest.mark.django_db


def test_a_household_payee_shows_its_payments_card_status_and_the_banks_failure(
    sent,  # noqa: F811 - the fixture imported above
    xiuwu,
    finance,
    auditor,
    boai_finance,
    client,
):
    bank, _account, requests, payment_file, _left = sent
    lines = list(payment_file.lines.order_by("id"))
    services.bank_return_upload(actor=finance, bank=bank, region=xiuwu, upload=_return_file([
        (lines[0].reference, "800.00", "失败", "账户已冻结"),
    ]))  # fmt: skip
    household = requests[0].household
    url = reverse("funds:payee_household", args=[household.pk])

    # The disbursement list links each row to its payee.
    client.force_login(auditor)
    assert url in client.get(reverse("funds:request_list")).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert household.file_number in html
    assert household.get_status_display() in html
    assert "****0001" in html
    assert CARDS[0] not in html
    assert "账户已冻结" in html  # the bank's reason, among the flags and on the payment's row
    assert f"#{requests[0].pk}" in html
    assert "银行退回" in html

    client.force_login(finance)
    assert CARDS[0] in client.get(url).content.decode()  # who sends the bank's files sees the number

    client.force_login(boai_finance)
    assert client.get(url).status_code == 404


def test_a_contractor_payee_shows_the_projects_it_won_and_a_queued_request_flagged(
    fund, finance, finance2, auditor, client
):
    project = ProjectFactory()
    account = _funded(project, fund, finance)
    contractor = services.contractor_record(project)
    paid, _ = services.disbursement_request_create(
        actor=finance, idempotency_key="c1", from_account=account, amount="100000.00", purpose="工程进度款",
        payee_kind="organisation", payee=contractor, kind="progress",
    )  # fmt: skip
    services.disbursement_approve(actor=finance2, request=paid, booked_on=dt.date(2017, 2, 1))
    queued, _ = services.disbursement_request_create(
        actor=finance, idempotency_key="c2", from_account=account, amount="50000.00", purpose="工程进度款",
        payee_kind="organisation", payee=contractor, kind="progress",
    )  # fmt: skip
    # The contract is found unsigned after the request was queued: flagged to whoever reads it.
    Project.objects.filter(pk=project.pk).update(contract_date=None)

    client.force_login(auditor)
    detail = client.get(reverse("funds:request_detail", args=[queued.pk])).content.decode()
    url = reverse("funds:payee_detail", args=[contractor.pk])
    assert url in detail
    html = client.get(url).content.decode()
    assert project.winner in html
    assert project.name in html
    assert "450,000.00" in html  # the contract
    assert "100,000.00" in html  # paid to the contractor
    assert "50,000.00" in html  # awaiting review
    flags = re.findall(r'<p class="errorlist" data-k="flag">(.*?)</p>', html, re.S)
    assert any(f"#{queued.pk}" in flag and "已签订的合同" in flag for flag in flags), flags
