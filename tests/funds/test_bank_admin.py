"""The administrator configures a bank's file layouts (issue 20.4: "a column layout configured per
bank") in the admin site, checked as the service checks them: a layout without the reference the
bank quotes back is refused beside its field, nothing saved."""

from __future__ import annotations

import json

import pytest

from funds.models import Bank

pytestmark = pytest.mark.django_db

URL = "/admin/funds/bank/add/"


def _form(columns, **over):
    return {
        "name": "邮储银行修武支行",
        "file_format": "csv",
        "columns": json.dumps(columns, ensure_ascii=False),
        "return_headers": json.dumps(
            {"reference": "流水号", "result": "结果", "reason": "原因", "amount": "金额"}
        ),
        "paid_marks": "成功",
        "failed_marks": "失败,退回",  # only these return the money; any other result is listed
        **over,
    }


def test_the_administrator_sets_a_banks_columns_and_a_layout_without_the_reference_is_refused(admin_client):
    refused = admin_client.post(URL, _form([{"field": "account_number", "header": "账号"}]))
    assert refused.status_code == 200
    assert "业务编号" in refused.content.decode() or "reference" in str(
        refused.context["adminform"].form.errors
    )
    assert "columns" in refused.context["adminform"].form.errors
    unknown = admin_client.post(URL, _form([{"field": "id_number", "header": "身份证号"}]))
    assert "columns" in unknown.context["adminform"].form.errors
    assert not Bank.objects.exists()

    columns = [
        {"field": "reference", "header": "流水号"},
        {"field": "account_number", "header": "账号"},
        {"field": "name", "header": "姓名"},
        {"field": "amount", "header": "金额"},
    ]
    saved = admin_client.post(URL, _form(columns))
    assert saved.status_code == 302
    bank = Bank.objects.get()
    assert (bank.file_format, bank.columns[0]["field"], bank.return_headers["reference"]) == (
        "csv",
        "reference",
        "流水号",
    )
    assert bank.failure_marks() == {"失败", "退回"}
