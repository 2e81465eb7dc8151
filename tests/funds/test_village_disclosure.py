"""公告公示: per-village fund use for the public notice board, with personal data masked; a
household's payment only once the bank says it is paid."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from funds import selectors, services
from tests.factories.households import HouseholdFactory

pytestmark = pytest.mark.django_db


def return_file(*rows) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(["业务编号", "金额", "处理结果", "失败原因"])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("回盘.xlsx", out.getvalue())


def test_disclosure_lists_paid_amounts_with_household_names_masked(
    funded_project, project, finance, finance2, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    household = HouseholdFactory(village=project.village, head_name="王秀英")
    payments = [
        ("household", household, "", "1800.00"),
        ("organisation", None, "甲建设公司", "50000.00"),
        ("organisation", None, "乙建设公司", "700.00"),
    ]
    approved = []
    for i, (kind, hh, name, amount) in enumerate(payments):
        request, _ = services.disbursement_request_create(
            actor=finance, idempotency_key=f"pub-{i}", from_account=funded_project, amount=amount,
            purpose="到户补贴", payee_kind=kind, household=hh, payee_name=name,
        )  # fmt: skip
        approved.append(
            services.disbursement_approve(actor=finance2, request=request, booked_on=dt.date(2017, 6, 1))
        )
    services.disbursement_reverse(actor=finance, request=approved[2], reason="付错")
    services.disbursement_request_create(  # still pending: not disclosed
        actor=finance, idempotency_key="pub-pending", from_account=funded_project, amount="9.99",
        purpose="未审核", payee_kind="organisation", payee_name="丙公司",
    )  # fmt: skip

    # The household's payment is approved (the money committed) but the bank has not paid it yet:
    # not on the board. Sent to the bank, still not; once the bank's return file says paid, it is.
    rows = selectors.village_fund_disclosure(village_code=project.village_id)
    assert sorted((r["payee"], r["amount"]) for r in rows) == [("甲建设公司", Decimal("50000.00"))]
    bank = services.bank_create(name="修武县农商银行")
    services.payee_bank_account_set(
        actor=finance, household=household, bank=bank, account_number="6217001234567890001"
    )
    payment_file, _left = services.payment_file_create(actor=finance, bank=bank, region=project.county)
    assert [r["payee"] for r in selectors.village_fund_disclosure(village_code=project.village_id)] == [
        "甲建设公司"
    ]
    line = payment_file.lines.get()
    services.bank_return_upload(actor=finance, bank=bank, region=project.county, upload=return_file(
        [line.reference, "1800.00", "成功", ""]
    ))  # fmt: skip

    rows = selectors.village_fund_disclosure(village_code=project.village_id)
    assert sorted((r["payee"], r["amount"]) for r in rows) == [
        ("王**", Decimal("1800.00")),
        ("甲建设公司", Decimal("50000.00")),
    ]
    for row in rows:
        assert row["project"] == project.name
        assert row["date"] == dt.date(2017, 6, 1)
        assert row["payee_kind"] in {"household", "organisation"}
    assert "王秀英" not in str(rows)
    assert household.file_number not in str(rows)


def test_disclosure_of_another_village_is_empty(funded_project, finance, finance2):
    from tests.factories.households import first_village

    assert selectors.village_fund_disclosure(village_code=first_village("410822").code) == []
