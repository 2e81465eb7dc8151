"""A province problem list whose cells are formulas openpyxl saved without computing them (issue 22):
each such cell is refused naming its row and header, and nothing is imported."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from inspections import services
from inspections.models import ProvinceProblemList
from inspections.services.problem_lists import ImportRejected

pytestmark = pytest.mark.django_db
REASON = "是公式且没有计算结果：请在表格软件中重新计算并保存，或粘贴为数值"


def test_a_formula_without_its_result_is_refused_naming_the_cell(inspector):
    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "类别", "问题描述"])
    sheet.append([1, "资金使用", "资金拨付滞后"])
    sheet.append(["=A2+1", "作风问题", '=B3&"：走访不实"'])  # no cached value at all
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "problems.xlsx"
    with pytest.raises(ImportRejected) as exc:
        services.problem_list_import(
            actor=inspector, upload=out, title="通报", issued_on=dt.date(2017, 5, 1),
            answer_deadline=dt.date(2017, 6, 10),
        )  # fmt: skip
    assert [(e.row, e.field, e.message) for e in exc.value.errors] == [
        (3, "序号", REASON),
        (3, "问题描述", REASON),
    ]
    assert not ProvinceProblemList.objects.exists()
