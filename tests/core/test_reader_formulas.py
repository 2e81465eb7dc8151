"""The core reader and a formula cell (issue 22): the result the spreadsheet program computed when the
file holds one, else `Uncomputed` — never empty, never the 0 a library writes in its place — and an ID
number the spreadsheet turned into a number, as a cell or as the text a CSV holds (core.idnumbers)."""

import io

import pytest
import xlsxwriter
from openpyxl import Workbook

from core import xlsx
from core.idnumbers import stored_as_number


def xlsxwriter_file() -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["序号", "结果"])
    sheet.write_number(1, 0, 1)
    sheet.write_formula(1, 1, "=A2*2")  # stored as <v>0</v>
    sheet.write_formula(2, 1, '=A2&"号"')  # stored as <v>0</v> too
    sheet.write_formula(3, 1, "=A2*3", None, 3)  # given its value
    sheet.write_formula(4, 1, '=A2&"号"', None, "1号")
    book.close()
    return out.getvalue()


def test_xlsxwriter_placeholders_are_uncomputed_and_given_values_are_kept():
    rows = dict(xlsx.read_sheet(xlsxwriter_file()))
    assert rows[2][1] == xlsx.Uncomputed("A2*2")
    assert rows[3][1] == xlsx.Uncomputed('A2&"号"')
    assert (rows[4][1], rows[5][1]) == (3, "1号")
    assert str(rows[2][1]) == "=A2*2"  # what an error report shows


def test_openpyxl_formulas_have_no_value_and_are_uncomputed():
    book = Workbook()
    book.active.append(["序号", "结果"])
    book.active.append([1, "=A2*2"])
    out = io.BytesIO()
    book.save(out)
    assert list(xlsx.read_sheet(out.getvalue()))[1][1] == [1, xlsx.Uncomputed("A2*2")]


def _excel_like(cells: str) -> bytes:
    """A workbook as Excel saves one: results stored, no request to recalculate on opening."""
    book = Workbook()
    book.active.append(["x"])
    out = io.BytesIO()
    book.save(out)
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as z:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b' fullCalcOnLoad="1"', b"")
            if item.filename == "xl/worksheets/sheet1.xml":
                start, end = data.index(b"<sheetData>"), data.index(b"</sheetData>")
                data = data[:start] + b"<sheetData>" + cells.encode() + data[end:]
            z.writestr(item, data)
    return target.getvalue()


def test_a_computed_result_is_kept_even_0_or_empty_text_but_a_number_without_one_is_uncomputed():
    data = _excel_like(
        '<row r="1"><c r="A1"><f>1-1</f><v>0</v></c><c r="B1" t="str"><f>""</f><v></v></c>'
        '<c r="C1" t="str"><f>"a"</f><v>a</v></c><c r="D1"><f>1+1</f></c></row>'
    )
    assert list(xlsx.read_sheet(data)) == [(1, [0, None, "a", xlsx.Uncomputed("1+1")])]


def test_libreoffice_saved_formulas_read_as_their_results():
    from pathlib import Path

    data = (Path(__file__).parents[1] / "households/office_files/formulas_libreoffice.xlsx").read_bytes()
    rows = dict(xlsx.read_sheet(data))
    assert (rows[2][0], rows[3][0], rows[4][0]) == ("LOF001", "LOF002", "LOF002")
    assert (rows[2][9], rows[2][19]) == (3000, 0)  # =12000/4 and =3-3
    assert not [v for raw in rows.values() for v in raw if isinstance(v, xlsx.Uncomputed)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (410821197104025000.0, True),  # a numeric cell
        (410821197104025000, True),
        ("4.10821E+17", True),  # Excel's and WPS's CSV (General, as shown)
        ("4.10821197104025E+017", True),  # LibreOffice's CSV
        ("4,10821E+17", True),  # a decimal comma
        (" 4.1082119660606e+17 ", True),
        ("41082119710402512X", False),
        ("410821197104025123", False),
        ("", False),
        (None, False),
        (True, False),
        ("4.1E", False),
    ],
)
def test_an_id_number_stored_as_a_number_is_recognised(value, expected):
    assert stored_as_number(value) is expected
