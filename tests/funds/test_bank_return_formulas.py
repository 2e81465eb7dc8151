"""A bank return file whose result column is a formula xlsxwriter saved without computing it (issue 22):
the line is not applied; it is listed as unmatched naming the cell."""

import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from funds import services
from funds.models import RequestStatus
from tests.funds.batch_world import refreshed
from tests.funds.test_bank_payment_and_return_files import media, sent  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_a_result_formula_without_its_value_leaves_the_line_unanswered_naming_the_cell(
    sent,  # noqa: F811
    xiuwu,
    finance,
):
    bank, _account, requests, payment_file, _left = sent
    lines = list(payment_file.lines.order_by("id"))
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["业务编号", "金额", "处理结果", "失败原因"])
    sheet.write_row(1, 0, [lines[0].reference, "800.00", "成功", ""])
    sheet.write_row(2, 0, [lines[1].reference, "800.00"])
    sheet.write_formula(2, 2, '=IF(B3>0,"成功","失败")')  # xlsxwriter stores 0 in its place
    book.close()
    record = services.bank_return_upload(
        actor=finance, bank=bank, region=xiuwu, upload=SimpleUploadedFile("回盘.xlsx", out.getvalue())
    )
    assert (record.paid, record.failed) == (1, 0)
    assert [(u["row"], u["why"]) for u in record.unmatched] == [
        (3, "第3行「处理结果」是公式且没有计算结果：请在表格软件中重新计算并保存，或粘贴为数值")
    ]
    first, second, _third = refreshed(requests)
    assert (first.status, second.status) == (RequestStatus.PAID, RequestStatus.SENT)
