"""The funds exports read back with openpyxl as typed cells (issue 22): the reconciliation's 截至 is a
date in the house date format (it was formatted as money, 46,358.00), its figures yuan; the account
ledger's booking dates are dates and its amounts yuan."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core import xlsx
from tests.funds.test_bank_payment_and_return_files import media, sent  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_the_reconciliation_s_as_of_date_is_a_date_cell(sent, xiuwu, auditor, client):  # noqa: F811
    client.force_login(auditor)
    export = client.get(
        reverse("funds:reconciliation"), {"county": xiuwu.code, "as_of": "2026-11-30", "format": "xlsx"}
    )
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    cells = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    as_of = cells["截至"]
    assert as_of.is_date
    assert as_of.number_format == xlsx.DATE_CN_FORMAT
    assert as_of.value.date() == dt.date(2026, 11, 30)
    budget = cells["预算安排"]
    assert (budget.data_type, budget.number_format) == ("n", xlsx.MONEY_FORMAT)


def test_the_account_ledger_has_date_cells_and_yuan(sent, finance, client):  # noqa: F811
    _bank, account, _requests, _file, _left = sent
    client.force_login(finance)
    export = client.get(reverse("funds:account_ledger", args=[account.pk]), {"format": "xlsx"})
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(min_row=3))
    assert rows
    for row in rows:
        booked_on, debit, credit, balance = row[1], row[4], row[5], row[6]
        assert booked_on.is_date
        assert booked_on.number_format == xlsx.DATE_FORMAT
        assert balance.number_format == xlsx.MONEY_FORMAT
        assert isinstance(balance.value, int | float)
        amount = debit if debit.value is not None else credit
        assert amount.number_format == xlsx.MONEY_FORMAT
        assert Decimal(str(amount.value)) > 0
