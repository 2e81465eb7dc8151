"""The pages a checker and a finance officer use at month end: open a batch, see the flagged row
un-ticked with its note box, confirm; make the payment file, download it, upload the return file."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from funds import services
from funds.models import BatchApproval, RequestStatus, ReviewPage
from tests.funds.batch_world import county_allocation, household_requests, refreshed

pytestmark = pytest.mark.django_db


def _month() -> str:
    return timezone.localdate().strftime("%Y-%m")


def test_checker_opens_a_batch_sees_the_flag_and_confirms_the_page(client, fund, xiuwu, finance, finance2):
    account = county_allocation(fund, xiuwu, finance)
    fine = household_requests(account, finance, 3)
    flagged = household_requests(account, finance, 1, prefix="x", status="exited")
    client.force_login(finance2)
    response = client.post(
        reverse("funds:batch_list"), {"from_account": account.pk, "month": _month(), "purpose": ""}
    )
    assert response.status_code == 302
    page_url = response["Location"]
    response = client.get(page_url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "3,200.00" in html  # the batch total, with thousands separators
    assert 'data-k="count">4<' in html
    # The flagged row is not ticked, has its note box; select-all is not offered.
    box = re.search(rf'<input type="checkbox" name="selected" value="{flagged[0].pk}"[^>]*>', html).group(0)
    assert "checked" not in box
    assert f'name="note_{flagged[0].pk}"' in html
    assert "?all=1" not in html
    page = ReviewPage.objects.get()
    confirm = reverse("funds:batch_confirm", args=[page.batch_id, page.pk])
    # Ticked without a note: refused, the page comes back with the ticks kept, nothing approved.
    selected = [r.pk for r in fine + flagged]
    response = client.post(confirm, {"selected": selected})
    assert response.status_code == 400
    assert all(r.status == RequestStatus.PENDING for r in refreshed(fine + flagged))
    response = client.post(confirm, {"selected": selected, f"note_{flagged[0].pk}": "乡镇复核属实"})
    assert response.status_code == 302
    result = client.get(response["Location"]).content.decode()
    assert result.count("badge-ok") == 4
    assert {r.status for r in refreshed(fine + flagged)} == {RequestStatus.APPROVED}
    # The request page tells the auditor how it was approved.
    detail = client.get(reverse("funds:request_detail", args=[flagged[0].pk])).content.decode()
    assert f"#{page.batch_id}" in detail
    assert "乡镇复核属实" in detail
    assert BatchApproval.objects.count() == 4


def test_select_all_ticks_only_the_unflagged_page(client, fund, xiuwu, finance, finance2):
    account = county_allocation(fund, xiuwu, finance)
    requests = household_requests(account, finance, 2)
    batch = services.batch_open(actor=finance2, from_account=account, month=timezone.localdate())
    client.force_login(finance2)
    html = client.get(reverse("funds:batch_page", args=[batch.pk, 1]) + "?all=1").content.decode()
    assert html.count(" checked") == len(requests)


def test_outsider_gets_404_and_the_maker_without_checker_rights_403(
    client, fund, xiuwu, finance, finance2, boai_finance, leader
):
    account = county_allocation(fund, xiuwu, finance)
    household_requests(account, finance, 1)
    batch = services.batch_open(actor=finance2, from_account=account, month=timezone.localdate())
    client.force_login(boai_finance)
    assert client.get(reverse("funds:batch_page", args=[batch.pk, 1])).status_code == 404
    client.force_login(leader)
    assert client.post(reverse("funds:batch_list"), {}).status_code == 403


def _return_xlsx(rows) -> bytes:
    book = Workbook()
    book.active.append(["业务编号", "金额", "处理结果", "失败原因"])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_finance_officer_sends_the_file_and_reads_the_return_with_one_failure(
    client, fund, xiuwu, finance, finance2, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    bank = services.bank_create(name="修武县农商银行")
    account = county_allocation(fund, xiuwu, finance)
    requests = household_requests(account, finance, 2)
    client.force_login(finance)
    for i, r in enumerate(requests):
        response = client.post(reverse("funds:bank_home"), {
            "action": "card", "household_file_number": r.household.file_number, "bank": bank.pk,
            "account_number": f"621700000000000{i:04d}", "holder_name": "",
        })  # fmt: skip
        assert response.status_code == 302
        services.disbursement_approve(actor=finance2, request=r)
    # Paying asks for confirmation: what the file would send, then one button; nothing sent yet.
    confirm = client.post(reverse("funds:bank_home"), {"action": "file", "bank": bank.pk, "county": xiuwu.pk})
    assert confirm.status_code == 200
    assert "1,600.00" in confirm.content.decode()
    assert "修武县的2笔支付" in confirm.content.decode()
    assert 'data-action="send-confirmed"' in confirm.content.decode()
    assert {r.status for r in refreshed(requests)} == {RequestStatus.APPROVED}
    response = client.post(
        reverse("funds:bank_home"), {"action": "file", "bank": bank.pk, "county": xiuwu.pk, "confirmed": "1"}
    )
    assert response.status_code == 302
    file_page = client.get(response["Location"])
    assert "****0000" in file_page.content.decode()
    assert "6217000000000000000" not in file_page.content.decode()
    payment_file = file_page.context["file"]
    download = client.get(reverse("funds:payment_file_download", args=[payment_file.pk]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "no-store"
    lines = list(payment_file.lines.order_by("id"))
    upload = SimpleUploadedFile("回盘.xlsx", _return_xlsx([
        [lines[0].reference, "800.00", "成功", ""], [lines[1].reference, "800.00", "失败", "户名不符"],
        ["FP-NOPE", "1.00", "成功", ""],
    ]))  # fmt: skip
    response = client.post(
        reverse("funds:bank_home"), {"action": "return", "bank": bank.pk, "county": xiuwu.pk, "file": upload}
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert 'data-k="paid">1<' in html
    assert 'data-k="failed">1<' in html
    assert 'data-k="unmatched">1<' in html
    assert "户名不符" in html
    assert "FP-NOPE" in html
    assert [r.status for r in refreshed(requests)] == [RequestStatus.PAID, RequestStatus.FAILED]
