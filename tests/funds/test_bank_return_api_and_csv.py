"""The bank's return file through the API (multipart, core.uploads, the page's service) and as CSV:
a finance officer uploads the file LibreOffice saved from the bank's workbook (GBK, as a Windows
office saves it) with one failed line; an auditor reads what it did; another county sees nothing."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import xlsx
from funds.models import BankReturn, Entry, EntryKind, RequestStatus
from tests.funds.batch_world import refreshed
from tests.funds.test_bank_payment_and_return_files import media, sent  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

URL = "/api/v1/funds/bank/returns/"


def office_csv(tmp_path: Path, rows: list[list[str]], charset: str) -> bytes:
    """`rows` written as a workbook by core.xlsx, saved as CSV by LibreOffice (85: GBK, 76: UTF-8)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.fail("LibreOffice is missing: scripts/sysdeps.sh office (Debian: libreoffice-calc-nogui)")
    book = xlsx.Workbook()
    sheet = book.sheet("回盘", headers=rows[0])
    for row in rows[1:]:
        sheet.append(row)
    source = tmp_path / "return.xlsx"
    source.write_bytes(book.content())
    out = tmp_path / f"out{charset}"
    subprocess.run(  # noqa: S603 - LibreOffice on our own temporary file
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
         f"csv:Text - txt - csv (StarCalc):44,34,{charset}", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return (out / "return.csv").read_bytes()


def test_finance_officer_uploads_a_gbk_csv_return_file_with_one_failure_through_the_api(
    sent,  # noqa: F811 - the fixture imported above
    xiuwu,
    finance,
    auditor,
    boai_finance,
    api_as,
    tmp_path,
):
    bank, account, requests, payment_file, _left = sent
    lines = list(payment_file.lines.order_by("id"))
    before = account.__class__.objects.get(pk=account.pk).balance
    data = office_csv(
        tmp_path,
        [
            ["业务编号", "金额", "处理结果", "失败原因"],
            [lines[0].reference, "800.00", "成功", ""],
            [lines[1].reference, "800.00", "失败", "户名与账号不符"],
            [lines[2].reference, "800.00", "成功", ""],
            ["FP424242-7", "9.00", "成功", ""],
        ],
        "85",
    )
    assert xlsx.detect_encoding(data) == "gb18030"  # what LibreOffice wrote is GBK, not UTF-8
    client = api_as(finance)
    # Multipart only: a JSON body is refused before anything is read.
    assert client.post(URL, {"bank": bank.pk, "county": xiuwu.code}, format="json").status_code == 415
    response = client.post(
        URL,
        {"bank": bank.pk, "county": xiuwu.code, "file": SimpleUploadedFile("回盘.csv", data)},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["paid"], body["failed"]) == (2, 1)
    assert [u["reference"] for u in body["unmatched"]] == ["FP424242-7"]
    failed_line = next(line for line in body["lines"] if line["result"] == "failed")
    assert failed_line == {
        "reference": lines[1].reference, "request": requests[1].pk, "card": f"****{lines[1].last_digits}",
        "amount": "800.00", "result": "failed", "reason": "户名与账号不符",
    }  # fmt: skip
    assert [r.status for r in refreshed(requests)] == [
        RequestStatus.PAID,
        RequestStatus.FAILED,
        RequestStatus.PAID,
    ]
    assert Entry.objects.get(kind=EntryKind.REVERSAL, reverses__request=requests[1]).amount == Decimal(
        "800.00"
    )
    account.refresh_from_db()
    assert account.balance == before + Decimal("800.00")

    # The auditor reads the record (cards masked); another county's finance officer finds nothing.
    record = api_as(auditor).get(f"{URL}{body['id']}/")
    assert record.status_code == 200
    assert record.json()["file_name"] == "回盘.csv"
    assert all(line["card"].startswith("****") for line in record.json()["lines"])
    assert api_as(boai_finance).get(f"{URL}{body['id']}/").status_code == 404
    # ... nor may it upload for 修武县 (404, nothing read).
    again = api_as(boai_finance).post(
        URL,
        {"bank": bank.pk, "county": xiuwu.code, "file": SimpleUploadedFile("回盘.csv", data)},
        format="multipart",
    )
    assert again.status_code == 404
    assert BankReturn.objects.count() == 1


def test_a_utf8_csv_return_file_reads_the_same_on_the_page(sent, xiuwu, finance, client, tmp_path):  # noqa: F811
    bank, _account, requests, payment_file, _left = sent
    lines = list(payment_file.lines.order_by("id"))
    data = office_csv(
        tmp_path,
        [
            ["业务编号", "金额", "处理结果", "失败原因"],
            *[[line.reference, "800", "成功", ""] for line in lines],
        ],
        "76",
    )
    client.force_login(finance)
    response = client.post(
        reverse("funds:bank_home"),
        {
            "action": "return",
            "bank": bank.pk,
            "county": xiuwu.code,
            "file": SimpleUploadedFile("r.csv", data),
        },
    )
    assert response.status_code == 302
    assert {r.status for r in refreshed(requests)} == {RequestStatus.PAID}


def test_a_csv_return_file_without_the_banks_columns_is_refused_naming_the_column(
    sent,  # noqa: F811 - the fixture imported above
    xiuwu,
    finance,
    api_as,
):
    bank, _account, requests, _file, _left = sent
    response = api_as(finance).post(
        URL,
        {"bank": bank.pk, "county": xiuwu.code,
         "file": SimpleUploadedFile("r.csv", "编号,金额\r\nx,1\r\n".encode("gbk"))},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 400
    assert "业务编号" in str(response.json())
    assert "file" in str(response.json())
    assert {r.status for r in refreshed(requests)} == {RequestStatus.SENT}
    assert BankReturn.objects.count() == 0
