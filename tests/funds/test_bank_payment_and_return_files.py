"""惠民惠农一卡通: approved household payments leave in the bank's payment file and are marked
sent; the bank's return file marks each paid or failed; a failure returns the money by a reversing
entry; unmatched lines are listed, never guessed; reconciliation counts "paid" only then."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core import pii
from core.exceptions import DomainError
from core.xlsx import read_sheet
from funds import selectors, services
from funds.models import (
    BankReturn,
    Entry,
    EntryKind,
    FileFormat,
    LineResult,
    PayeeBankAccount,
    PaymentLine,
    RequestStatus,
)
from tests.funds.batch_world import county_allocation, household_requests, refreshed

pytestmark = pytest.mark.django_db

CARDS = ["6217001234567890001", "6217001234567890002", "6217001234567890003"]


def _return_file(rows, headers=("业务编号", "金额", "处理结果", "失败原因")) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(list(headers))
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("回盘文件.xlsx", out.getvalue())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def sent(fund, xiuwu, finance, finance2, media):
    """Three approved household payments with cards at the bank, sent in one payment file."""
    bank = services.bank_create(name="修武县农村信用合作联社")
    account = county_allocation(fund, xiuwu, finance)
    requests = household_requests(account, finance, 3, amount="800.00")
    for request, card in zip(requests, CARDS, strict=True):
        services.payee_bank_account_set(
            actor=finance, household=request.household, bank=bank, account_number=card
        )
        services.disbursement_approve(actor=finance2, request=request)
    payment_file, left_out = services.payment_file_create(actor=finance, bank=bank, region=xiuwu)
    return bank, account, requests, payment_file, left_out


def test_a_finance_officer_records_a_card_over_the_api_and_the_number_is_never_answered(
    api_as, finance, household, boai_village
):
    """Issue 20.4: the card of a household of the county, recorded through the API as on the bank
    page; the answer carries its last four digits only; a household of another county is not found."""
    from django.urls import reverse

    from tests.factories.households import HouseholdFactory

    other_county_household = HouseholdFactory(village=boai_village)
    bank = services.bank_create(name="中国农业银行修武支行")
    api = api_as(finance)
    url = reverse("api:funds_bank_card")
    answer = api.post(
        url,
        {"household": household.pk, "bank": bank.pk, "account_number": "6228 4800 1234 5678 901"},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["last_digits"] == "8901"
    assert "6228480012345678901" not in answer.content.decode()
    card = household.bank_accounts.get(active=True)
    assert pii.decrypt(card.number_encrypted) == "6228480012345678901"
    assert card.holder_name == household.head_name
    bad = api.post(url, {"household": household.pk, "bank": bank.pk, "account_number": "12ab"}, format="json")
    assert (bad.status_code, list(bad.json()["errors"])) == (400, ["account_number"])
    elsewhere = api.post(
        url, {"household": other_county_household.pk, "bank": bank.pk, "account_number": "6228480012345670000"},
        format="json",
    )  # fmt: skip
    assert elsewhere.status_code == 404
    assert not other_county_household.bank_accounts.exists()


def test_the_card_number_is_kept_encrypted_and_shown_by_its_last_digits(fund, xiuwu, finance, household):
    bank = services.bank_create(name="中国农业银行修武支行")
    card = services.payee_bank_account_set(
        actor=finance, household=household, bank=bank, account_number="6228 4800 1234 5678 901"
    )
    assert card.masked == "****8901"
    assert "6228480012345678901" not in card.number_encrypted
    assert pii.decrypt(card.number_encrypted) == "6228480012345678901"
    with pytest.raises(DomainError) as refused:
        services.payee_bank_account_set(actor=finance, household=household, bank=bank, account_number="12ab")
    assert refused.value.field == "account_number"
    # A new card replaces the old one: one card in use per household.
    services.payee_bank_account_set(
        actor=finance, household=household, bank=bank, account_number="6228480012345670000"
    )
    assert PayeeBankAccount.objects.filter(household=household, active=True).count() == 1


def test_payment_file_in_the_banks_layout_marks_the_payments_sent(sent, xiuwu):
    bank, _account, requests, payment_file, left_out = sent
    assert left_out == []
    assert payment_file.count == 3
    assert payment_file.total == Decimal("2400.00")
    assert {r.status for r in refreshed(requests)} == {RequestStatus.SENT}
    name, data = services.payment_file_content(payment_file)
    assert name.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.values)
    assert rows[0] == ("卡号", "户名", "金额", "业务编号")
    assert [r[0] for r in rows[1:]] == CARDS  # in full, as text (no digits rounded away)
    assert [Decimal(str(r[2])) for r in rows[1:]] == [Decimal("800.00")] * 3
    assert [r[3] for r in rows[1:]] == [line.reference for line in payment_file.lines.order_by("id")]
    # Each request goes out once: nothing is left to send.
    with pytest.raises(DomainError):
        services.payment_file_create(actor=sent[2][0].maker, bank=bank, region=xiuwu)


def test_a_csv_bank_gets_its_own_columns(fund, xiuwu, finance, finance2):
    bank = services.bank_create(
        name="邮储银行", file_format=FileFormat.CSV,
        columns=[{"field": "reference", "header": "流水号"}, {"field": "account_number", "header": "账号"},
                 {"field": "name", "header": "姓名"}, {"field": "amount", "header": "金额"}],
    )  # fmt: skip
    account = county_allocation(fund, xiuwu, finance)
    (request,) = household_requests(account, finance, 1, amount="1234.50")
    services.payee_bank_account_set(
        actor=finance, household=request.household, bank=bank, account_number=CARDS[0]
    )
    services.disbursement_approve(actor=finance2, request=request)
    payment_file, _left = services.payment_file_create(actor=finance, bank=bank, region=xiuwu)
    name, data = services.payment_file_content(payment_file)
    assert name.endswith(".csv")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == '"流水号","账号","姓名","金额"'
    assert lines[1].split(",")[1:] == [f'"{CARDS[0]}"', f'"{request.household.head_name}"', '"1234.50"']


def test_return_file_with_one_failed_line_returns_that_money_and_lists_the_unmatched(
    sent, xiuwu, finance, auditor, media
):
    bank, account, requests, payment_file, _left = sent
    lines = list(payment_file.lines.order_by("id"))
    before = account.__class__.objects.get(pk=account.pk).balance
    upload = _return_file([
        (lines[0].reference, "800.00", "成功", ""),
        (lines[1].reference, "800.00", "失败", "账户已销户"),
        (lines[2].reference, "800.00", "成功", ""),
        ("FP999999-1", "50.00", "成功", ""),  # no such payment: listed, never guessed
        (lines[0].reference, "800.00", "成功", ""),  # the same line twice: listed
    ])  # fmt: skip
    record = services.bank_return_upload(actor=finance, bank=bank, region=xiuwu, upload=upload)
    assert (record.paid, record.failed) == (2, 1)
    assert [u["reference"] for u in record.unmatched] == ["FP999999-1", lines[0].reference]
    assert [u["row"] for u in record.unmatched] == [5, 6]
    paid, failed, paid2 = refreshed(requests)
    assert (paid.status, failed.status, paid2.status) == (
        RequestStatus.PAID,
        RequestStatus.FAILED,
        RequestStatus.PAID,
    )
    # The failure: the bank's reason on the line and in the status history; the money is back.
    line = PaymentLine.objects.get(request=failed)
    assert (line.result, line.reason) == (LineResult.FAILED, "账户已销户")
    assert failed.status_changes.get(to_status=RequestStatus.FAILED).note == "账户已销户"
    reversal = Entry.objects.get(kind=EntryKind.REVERSAL, reverses=failed.entry)
    assert reversal.amount == Decimal("800.00")
    account.refresh_from_db()
    assert account.balance == before + Decimal("800.00")
    # Reconciliation: 1,600 paid (the bank said so), the failed 800 went out and came back.
    rec = selectors.reconciliation(actor=auditor, county=xiuwu)
    assert rec.awaiting_bank == 0
    assert rec.disbursed - rec.reversed == Decimal("1600.00")
    assert rec.is_reconciled
    # The file itself is kept, encrypted.
    stored = BankReturn.objects.get(pk=record.pk).file.name
    assert (media / stored).read_bytes().startswith(b"gAAAAA")
    # Sent again, the same file changes nothing: every line is listed as answered already.
    again = services.bank_return_upload(actor=finance, bank=bank, region=xiuwu, upload=_return_file([
        (lines[1].reference, "800.00", "成功", ""),
    ]))  # fmt: skip
    assert (again.paid, again.failed, len(again.unmatched)) == (0, 0, 1)
    assert Entry.objects.filter(kind=EntryKind.REVERSAL).count() == 1


def test_reconciliation_counts_household_payments_paid_only_when_the_bank_says_so(sent, xiuwu, auditor):
    rec = selectors.reconciliation(actor=auditor, county=xiuwu)
    assert rec.awaiting_bank == Decimal("2400.00")
    assert rec.disbursed == 0
    assert rec.is_reconciled


def test_a_return_file_without_the_banks_columns_is_refused_and_changes_nothing(sent, xiuwu, finance, media):
    bank, _account, requests, _file, _left = sent
    with pytest.raises(DomainError) as refused:
        services.bank_return_upload(
            actor=finance,
            bank=bank,
            region=xiuwu,
            upload=_return_file([("x", "1")], headers=("编号", "金额")),
        )
    assert refused.value.field == "file"
    assert "业务编号" in str(refused.value.message)
    assert {r.status for r in refreshed(requests)} == {RequestStatus.SENT}
    assert BankReturn.objects.count() == 0
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_the_return_file_reader_is_core_xlsx(sent):
    data = _return_file([("a", "1", "成功", "")]).read()
    assert list(read_sheet(data))[1][1][:1] == ["a"]


def test_the_auditor_reads_what_awaits_the_bank_on_the_reconciliation_page_api_and_export(
    sent, xiuwu, auditor, client, api_as
):
    """The figures add up where they are read: disbursed + awaiting the bank, never one for the other."""
    from django.urls import reverse
    from openpyxl import load_workbook

    body = api_as(auditor).get("/api/v1/funds/reconciliation/", {"county": xiuwu.code}).json()
    assert (body["disbursed"], body["awaiting_bank"], body["reconciled"]) == ("0.00", "2400.00", True)
    client.force_login(auditor)
    page = client.get(reverse("funds:reconciliation"), {"county": xiuwu.code})
    assert 'data-k="awaiting_bank">2,400.00' in page.content.decode()
    export = client.get(reverse("funds:reconciliation"), {"county": xiuwu.code, "format": "xlsx"})
    rows = {r[0]: r[1] for r in load_workbook(io.BytesIO(export.content)).active.values}
    assert Decimal(str(rows["待银行支付"])) == Decimal("2400.00")


def test_a_blank_or_unknown_result_is_listed_and_changes_nothing_only_a_failure_mark_returns_money(
    sent, xiuwu, finance, media
):
    bank, account, requests, payment_file, _left = sent
    lines = list(payment_file.lines.order_by("id"))
    before = account.__class__.objects.get(pk=account.pk).balance
    record = services.bank_return_upload(actor=finance, bank=bank, region=xiuwu, upload=_return_file([
        (lines[0].reference, "800.00", "", ""),  # blank: no answer
        (lines[1].reference, "800.00", "处理中", ""),  # not a result this bank was set up with
        (lines[2].reference, "800.00", "户名不符", ""),  # a failure mark: the money comes back
    ]))  # fmt: skip
    assert (record.paid, record.failed) == (0, 1)
    # Listed line by line, naming the row and the value; neither is a failure.
    assert [(u["row"], u["reference"], u["result"]) for u in record.unmatched] == [
        (2, lines[0].reference, ""),
        (3, lines[1].reference, "处理中"),
    ]
    assert "为空" in record.unmatched[0]["why"]
    assert "“处理中”" in record.unmatched[1]["why"]
    assert [r.status for r in refreshed(requests)] == [
        RequestStatus.SENT,
        RequestStatus.SENT,
        RequestStatus.FAILED,
    ]
    assert [line.result for line in payment_file.lines.order_by("id")] == ["", "", LineResult.FAILED]
    assert Entry.objects.filter(kind=EntryKind.REVERSAL).count() == 1
    account.refresh_from_db()
    assert account.balance == before + Decimal("800.00")  # only the failed line's money
    # The marks are the bank's own: with its failure codes set, "失败" is not one of them.
    bank.failed_marks = "E101,拒付"
    bank.save(update_fields=["failed_marks"])
    again = services.bank_return_upload(actor=finance, bank=bank, region=xiuwu, upload=_return_file([
        (lines[0].reference, "800.00", "失败", "账户冻结"),
        (lines[1].reference, "800.00", "e101", "账户冻结"),
    ]))  # fmt: skip
    assert (again.paid, again.failed) == (0, 1)
    assert [u["row"] for u in again.unmatched] == [2]
    assert [r.status for r in refreshed(requests)][:2] == [RequestStatus.SENT, RequestStatus.FAILED]
    assert Entry.objects.filter(kind=EntryKind.REVERSAL).count() == 2


def test_the_dashboard_counts_household_payments_disbursed_only_when_the_bank_says_paid(
    sent, xiuwu, finance, leader, media
):
    """The city leader's funds figure and its drill-down: approved and sent household payments are
    not yet disbursed; after the return file, the two paid are, the failed one nets to nothing."""
    from dashboard import selectors as dashboard
    from dashboard.services import figures_refresh

    bank, _account, _requests, payment_file, _left = sent

    def disbursed():
        figures_refresh()
        shown = dashboard.overview(actor=leader, region_code=xiuwu.code).get("fund_disbursed", "")
        rows = dashboard.figure_rows(actor=leader, region_code=xiuwu.code, metric="fund_disbursed", key="")
        return Decimal(shown or 0), rows.count()

    assert disbursed() == (Decimal("0"), 0)
    lines = list(payment_file.lines.order_by("id"))
    services.bank_return_upload(actor=finance, bank=bank, region=xiuwu, upload=_return_file([
        (lines[0].reference, "800.00", "成功", ""),
        (lines[1].reference, "800.00", "失败", "账户已销户"),
        (lines[2].reference, "800.00", "成功", ""),
    ]))  # fmt: skip
    amount, count = disbursed()
    assert amount == Decimal("1600.00")
    assert count == 4  # two paid; the failed payment and its reversal
