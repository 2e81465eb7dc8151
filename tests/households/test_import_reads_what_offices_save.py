"""The spreadsheets clerks really have (issue 22): files saved by LibreOffice from what a clerk typed —
ID numbers the spreadsheet turned into numbers, title rows above the header, a year typed as a date —
and the error report, corrected and uploaded again as it was delivered.

A real round trip: `soffice --headless --convert-to xlsx` of a CSV the way a clerk's typing lands in
Calc (its import filter detecting numbers and dates), so the cells are what the office suite stores."""

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core import xlsx
from households.imports import workbooks
from households.models import Household, Member

from .test_excel_import import HEADER, household_row, id_numbers, report_book, start, workbook

pytestmark = pytest.mark.django_db
ID_COLUMN = HEADER.index("身份证号") + 1
YEAR_COLUMN = HEADER.index("识别年度") + 1


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.fail("LibreOffice is missing: scripts/sysdeps.sh office (Debian: libreoffice-calc-nogui)")
    return found


def office_xlsx(tmp_path: Path, lines: list[list], *, text_columns: tuple[int, ...] = ()) -> bytes:
    """What Calc saves after reading these lines: comma-separated UTF-8, numbers and dates detected
    ("detect special numbers"), the given columns (from 1) set to Text as a careful clerk sets them."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "clerk.csv"
    with source.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(lines)
    formats = "/".join(f"{c}/2" for c in text_columns)  # 2: Text
    out = tmp_path / "out"
    subprocess.run(  # noqa: S603 - LibreOffice on our own temporary file
        [soffice(), f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         f"--infilter=CSV:44,34,76,1,{formats},0,false,true", "--convert-to", "xlsx", "--outdir", str(out),
         str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return (out / "clerk.xlsx").read_bytes()


def test_id_numbers_the_spreadsheet_made_numbers_are_refused_saying_so(clerk, xiuwu_village, tmp_path):
    numbers = id_numbers(3, seed=11)
    lines = [
        HEADER,
        *[household_row(f"NUM{i}", xiuwu_village.code, f"户主{i}", n) for i, n in enumerate(numbers)],
    ]
    data = office_xlsx(tmp_path, lines)
    cells = [raw[ID_COLUMN - 1] for _n, raw in list(xlsx.read_sheet(data))[1:]]
    assert all(isinstance(c, float) for c in cells)  # what Calc stored: 15 significant digits
    job = start(clerk, data, "valid_rows")
    assert (job.households_created, job.error_rows) == (0, 3)
    errors = [tuple(r) for r in report_book(job).worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert {(field, message) for _row, field, message in errors} == {
        ("身份证号", "身份证号被存成了数字，末几位已丢失：请把该列设为文本后重新输入")
    }
    # The same typing in a column set to Text imports.
    job = start(clerk, office_xlsx(tmp_path / "text", lines, text_columns=(ID_COLUMN,)), "valid_rows")
    assert (job.households_created, job.error_rows) == (3, 0)


def test_title_rows_above_the_header_and_a_year_typed_as_a_date(clerk, xiuwu_village, tmp_path):
    numbers = id_numbers(2, seed=13)
    rows = [household_row(f"TTL{i}", xiuwu_village.code, f"户主{i}", n) for i, n in enumerate(numbers)]
    for row in rows:
        row[YEAR_COLUMN - 1] = "2016-01-01"  # a date where the year belongs
    lines = [
        ["修武县建档立卡贫困户信息采集表"],
        ["填报单位：城关镇", "", "填报日期：2016-03-01"],
        HEADER,
        *rows,
    ]
    data = office_xlsx(tmp_path, lines, text_columns=(ID_COLUMN,))
    assert list(xlsx.read_sheet(data))[3][1][YEAR_COLUMN - 1].year == 2016  # Calc stored a date
    job = start(clerk, data, "valid_rows")
    assert (job.households_created, job.error_rows) == (2, 0), job.message
    assert "表头读自工作表“clerk”的第3行" in job.message
    assert set(
        Household.objects.filter(file_number__startswith="TTL").values_list("identified_year", flat=True)
    ) == {2016}


def test_the_corrected_error_report_imports_as_delivered(clerk, xiuwu_village):
    numbers = id_numbers(3, seed=19)
    good = household_row("RPT1", xiuwu_village.code, "甲", numbers[0])
    bad = household_row("RPT2", "41082199999", "乙", numbers[1])  # not a village code
    bad[-1] = None  # its last cell empty: the error must still land in the error column
    other = household_row("RPT3", "41082199998", "丙", numbers[2])
    job = start(clerk, workbook([good, bad, other]), "valid_rows")
    assert (job.households_created, job.error_rows) == (1, 2)
    book = report_book(job)
    sheet = book.worksheets[1]
    header = [c.value for c in sheet[1]]
    assert header == ["行号", *HEADER, "错误"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [3, 4]
    assert all(r[-1] and r[-1].startswith("村代码") for r in rows)  # under 错误, whatever was empty
    # The clerk corrects the village codes on the report's second sheet and uploads it as it is.
    village = header.index("村代码") + 1
    for r in range(2, 4):
        sheet.cell(row=r, column=village, value=xiuwu_village.code)
    out = io.BytesIO()
    book.save(out)
    job = start(clerk, out.getvalue(), "valid_rows")
    assert (job.households_created, job.error_rows) == (2, 0), job.message
    assert "表头读自工作表“待更正的行”的第1行" in job.message
    assert Member.objects.filter(household__file_number__in=["RPT2", "RPT3"]).count() == 2


def test_the_template_keeps_typed_digits_as_text(clerk):
    sheet = load_workbook(io.BytesIO(workbooks.template_workbook())).worksheets[0]
    header = [c.value for c in sheet[1]]
    for label in ("身份证号", "联系电话", "户编号", "村代码"):
        letter = xlsx.column_letter(header.index(label) + 1)
        assert sheet.column_dimensions[letter].number_format == "@", label
    assert sheet.column_dimensions[xlsx.column_letter(header.index("姓名") + 1)].number_format == "General"


@pytest.mark.parametrize(("charset", "encoding"), [("76", "utf-8"), ("85", "gb18030")])
def test_a_csv_saved_by_libreoffice_in_utf8_or_gbk_imports(clerk, xiuwu_village, tmp_path, charset, encoding):
    numbers = id_numbers(2, seed=5)
    rows = [household_row(f"CSV{i}", xiuwu_village.code, f"户主{i}", n) for i, n in enumerate(numbers)]
    source = tmp_path / "households.xlsx"
    source.write_bytes(workbook(rows))
    out = tmp_path / "out"
    subprocess.run(  # noqa: S603 - LibreOffice on our own temporary file
        [soffice(), f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
         f"csv:Text - txt - csv (StarCalc):44,34,{charset}", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    data = (out / "households.csv").read_bytes()
    assert data.decode(encoding).splitlines()[0].startswith("户编号,")
    if encoding != "utf-8":
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")  # really GBK bytes
    job = start(clerk, data, "valid_rows", name="户籍.csv")
    assert (job.households_created, job.error_rows) == (2, 0), job.message
    assert set(
        Member.objects.filter(household__file_number__startswith="CSV").values_list("name", flat=True)
    ) == {
        "户主0",
        "户主1",
    }


def test_an_xls_workbook_is_refused_saying_how_to_save_it(client, clerk):
    client.force_login(clerk)
    old = io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    old.name = "旧表格.xls"
    response = client.post("/households/import/", {"file": old, "mode": "valid_rows"})
    assert response.status_code == 400  # the form again, the refusal beside its field
    assert "不能读取 .xls 格式（Excel 97–2003）的工作簿" in response.content.decode()
