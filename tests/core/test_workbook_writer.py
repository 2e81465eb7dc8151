"""The core writer: several sheets filled in any order, a printed layout (merged title, repeated
header, A4), drop-down lists, typed cells; the core reader reads back what it wrote; CSV output
puts an apostrophe before formula-like text (OWASP), having no styles to protect it."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core import xlsx


def test_sheets_filled_in_turn_a_printed_layout_and_drop_downs():
    book = xlsx.Workbook(date_format=xlsx.DATE_CN_FORMAT)
    report = book.sheet("通报/五月", widths=[20, 12])
    data = book.sheet("数据", headers=["县", "金额"])
    report.title_row("五月通报", span=3)
    report.skip()
    report.header(["县", "金额", "日期"])
    for county, amount in (("修武县", Decimal("10.5")), ("博爱县", Decimal("-3"))):
        report.append([county, amount, dt.date(2017, 5, 12)], style=xlsx.Style(border=True))
        data.append([county, amount])  # the rows of two sheets interleave
    report.print_setup(title_rows=(3, 3), landscape=True)
    data.list_validation("A2:A100", "'数据'!$A$2:$A$3")
    book_again = book.sheet("数据")  # a taken title gets a number
    assert book_again.title == "数据 2"

    wb = load_workbook(io.BytesIO(book.content()))
    assert wb.sheetnames == ["通报五月", "数据", "数据 2"]
    ws = wb["通报五月"]
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:C1"]
    assert (ws["A1"].value, ws["A1"].font.b, ws["A3"].font.b) == ("五月通报", True, True)
    assert (ws.print_title_rows, ws.freeze_panes) == ("$3:$3", "A4")
    assert (ws.page_setup.orientation, str(ws.page_setup.paperSize)) == ("landscape", "9")
    assert ws.column_dimensions["A"].width == 20
    assert [ws["B4"].value, ws["B5"].value] == [10.5, -3]
    assert ws["B4"].number_format == xlsx.MONEY_FORMAT
    assert ws["C4"].number_format == xlsx.DATE_CN_FORMAT
    assert ws["A4"].border.left.style == "thin"
    assert [[c.value for c in row] for row in wb["数据"].iter_rows()] == [
        ["县", "金额"],
        ["修武县", 10.5],
        ["博爱县", -3],
    ]
    validation = wb["数据"].data_validations.dataValidation[0]
    assert (validation.type, str(validation.sqref), validation.formula1) == (
        "list",
        "A2:A100",
        "'数据'!$A$2:$A$3",
    )


def test_the_core_reader_reads_what_the_writer_wrote():
    book = xlsx.Workbook()
    sheet = book.sheet("x", headers=["a", "b", "c", "d", "e"])
    when = dt.datetime(2017, 5, 12, 9, 30, tzinfo=dt.UTC)
    sheet.append(["=1+1", 3, 2.5, dt.date(2017, 5, 12), when])
    sheet.append([None, True, "", "  空格  ", "a&b<c>"])
    data = book.content()
    rows = list(xlsx.read_sheet(data))
    assert rows[1] == (2, ["=1+1", 3, 2.5, dt.datetime(2017, 5, 12), dt.datetime(2017, 5, 12, 17, 30)])  # noqa: DTZ001
    assert rows[2] == (3, [None, True, "", "  空格  ", "a&b<c>"])
    assert xlsx.count_rows(data) == 2


def test_id_numbers_in_text_are_masked_when_asked():
    number = "410821199001011234"
    book = xlsx.Workbook(mask_ids=True)
    book.sheet("x").append([f"户主身份证 {number}", 7])
    values = next(xlsx.read_sheet(book.content()))[1]
    assert number not in values[0]
    assert values[1] == 7


def test_a_workbook_is_saved_once():
    book = xlsx.Workbook()
    book.sheet("x").append([1])
    book.content()
    with pytest.raises(RuntimeError):
        book.content()


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\r=1", "'\r=1"),
     ("\t=1", "'=1"), ("张三", "张三"), ("a=1", "a=1"), ("李\x00四", "李四"), (Decimal("1234.50"), "1234.50"),
     (-5, "-5"), (dt.date(2017, 5, 12), "2017-05-12"), (None, "")],
)  # fmt: skip
def test_csv_fields_get_an_apostrophe_before_formula_like_text(value, expected):
    assert xlsx.csv_value(value) == expected


def test_csv_file_is_quoted_utf8_with_a_bom():
    data = xlsx.csv_bytes(
        [['=HYPERLINK("http://x")', Decimal("2.50")], ["张三,李四", 3]], headers=["名", "额"]
    )
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["名", "额"], ['\'=HYPERLINK("http://x")', "2.50"], ["张三,李四", "3"]]
    assert data.decode("utf-8-sig").splitlines()[1] == '"\'=HYPERLINK(""http://x"")","2.50"'
