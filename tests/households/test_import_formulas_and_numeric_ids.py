"""Formulas and ID numbers as the programs that write spreadsheets leave them (issue 22), imported through
the import task: a formula without a computed result (openpyxl writes none, xlsxwriter a placeholder 0)
refuses its row naming the cell, never imports as empty or 0; formulas LibreOffice computed import with
their results; a CSV LibreOffice saved from numeric ID cells ("4.1082119660606E+017") gets the message
of an ID stored as a number, not the check digit's. The LibreOffice files are in office_files/."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from openpyxl import Workbook

from core import xlsx
from households.models import Household, Income, Member

from .test_excel_import import HEADER, household_row, id_numbers, report_book, report_rows, start

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "office_files"
ID = HEADER.index("身份证号")
INCOME = HEADER.index("人均纯收入（元）")
UNCOMPUTED = "是公式且没有计算结果：请在表格软件中重新计算并保存，或粘贴为数值"


def xlsxwriter_book(rows: list[list], formulas: dict[tuple[int, int], tuple[str, object]]) -> bytes:
    """The rows under HEADER, written by xlsxwriter; formulas: (row index, column) → (formula, value
    given to xlsxwriter or None: it then stores its placeholder 0)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("贫困户")
    text = book.add_format({"num_format": "@"})
    sheet.write_row(0, 0, HEADER)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if (r - 1, c) in formulas:
                formula, cached = formulas[(r - 1, c)]
                if cached is None:
                    sheet.write_formula(r, c, formula)
                else:
                    sheet.write_formula(r, c, formula, None, cached)
            elif isinstance(value, str):
                sheet.write_string(r, c, value, text)
            elif value is not None:
                sheet.write_number(r, c, value)
    book.close()
    return out.getvalue()


def test_xlsxwriter_formulas_without_a_value_refuse_their_rows_naming_the_cell(clerk, xiuwu_village):
    numbers = id_numbers(3, seed=2)
    rows = [household_row(f"XWF{i}", xiuwu_village.code, f"户主{i}", n) for i, n in enumerate(numbers)]
    data = xlsxwriter_book(
        rows,
        {
            (0, ID): (f'=UPPER("{numbers[0].lower()}")', None),  # stored as <v>0</v>
            (1, INCOME): ("=12000/4", None),  # stored as <v>0</v>: not an income of 0
        },
    )
    cells = [raw for _n, raw in xlsx.read_sheet(data)]
    assert (type(cells[1][ID]), type(cells[2][INCOME])) == (xlsx.Uncomputed, xlsx.Uncomputed)
    job = start(clerk, data, "valid_rows")
    assert (job.households_created, job.error_rows) == (1, 2), job.message
    assert set(report_rows(job)) == {
        (2, "身份证号", f"第2行「身份证号」{UNCOMPUTED}"),
        (3, "人均纯收入（元）", f"第3行「人均纯收入（元）」{UNCOMPUTED}"),
    }
    assert list(Household.objects.values_list("file_number", flat=True)) == ["XWF2"]
    # The rows to correct show the formula, as text.
    corrected = report_book(job).worksheets[1]
    assert corrected.cell(row=2, column=ID + 2).value == f'=UPPER("{numbers[0].lower()}")'
    assert corrected.cell(row=2, column=ID + 2).data_type == "s"


def test_xlsxwriter_formulas_given_their_value_import_with_it(clerk, xiuwu_village):
    numbers = id_numbers(2, seed=4)
    rows = [household_row(f"XVF{i}", xiuwu_village.code, f"户主{i}", n) for i, n in enumerate(numbers)]
    data = xlsxwriter_book(
        rows,
        {(0, ID): (f'=UPPER("{numbers[0].lower()}")', numbers[0]), (1, INCOME): ("=12000/4", 3000)},
    )
    job = start(clerk, data, "valid_rows")
    assert (job.households_created, job.error_rows) == (2, 0), job.message
    assert Member.objects.filter(household__file_number="XVF0", name="户主0").exists()
    assert Income.objects.get(household__file_number="XVF1").per_capita_net_income == Decimal("3000")


def test_an_openpyxl_formula_is_refused_in_all_or_nothing_too(clerk, xiuwu_village):
    numbers = id_numbers(2, seed=8)
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for i, number in enumerate(numbers):
        sheet.append(household_row(f"OPF{i}", xiuwu_village.code, f"户主{i}", number))
    sheet.cell(row=3, column=1, value='="OPF"&1')  # the file number: no cached value at all
    out = io.BytesIO()
    book.save(out)
    job = start(clerk, out.getvalue(), "all_or_nothing")
    assert (job.households_created, job.error_rows) == (0, 1), job.message
    assert report_rows(job) == [(3, "户编号", f"第3行「户编号」{UNCOMPUTED}")]  # no second error for it
    assert not Household.objects.exists()


def test_formulas_libreoffice_computed_import_with_their_results(clerk, xiuwu_village):
    data = (FILES / "formulas_libreoffice.xlsx").read_bytes()
    job = start(clerk, data, "all_or_nothing")
    assert (job.households_created, job.members_created, job.error_rows) == (2, 3, 0), job.message
    assert dict(Household.objects.values_list("file_number", "member_count")) == {"LOF001": 1, "LOF002": 2}
    incomes = Income.objects.values_list("household__file_number", "per_capita_net_income")
    assert dict(incomes) == {"LOF001": Decimal("3000"), "LOF002": Decimal("3000")}
    assert Member.objects.get(name="王一").migrant_months == 0  # =3-3, a computed 0


def test_a_csv_libreoffice_saved_from_numeric_id_cells_says_the_id_was_stored_as_a_number(
    clerk, xiuwu_village
):
    data = (FILES / "ids_as_numbers.csv").read_bytes()
    ids = [line.split(",")[ID] for line in data.decode("utf-8").splitlines()[1:]]
    assert ids == ["4.1082119660606E+017"] * 3  # what Calc wrote for the numbers
    job = start(clerk, data, "valid_rows", name="户籍.csv")
    assert (job.households_created, job.error_rows) == (0, 3), job.message
    assert {(field, message) for _row, field, message in report_rows(job)} == {
        ("身份证号", "身份证号被存成了数字，末几位已丢失：请把该列设为文本后重新输入")
    }
