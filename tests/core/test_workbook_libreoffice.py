"""LibreOffice reads the core writer's workbook as it was meant: formula-like text stays text (not
its result, no apostrophe added), dates come back as dates, yuan and rates as numbers.

A real round trip: `soffice --headless --convert-to` (libreoffice-calc-nogui; `make test` installs
it through scripts/sysdeps.sh office)."""

import csv
import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core import xlsx

ROW = [
    "=1+1",
    "+1",
    "@SUM(A1:A2)",
    "-测试",
    Decimal("1234.50"),
    dt.date(2017, 5, 12),
    xlsx.rate(0.125),
    2,
    "张三",
]
# LibreOffice's CSV filter: comma, double quote, UTF-8, from line 1, cells as shown.
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.fail("LibreOffice is missing: scripts/sysdeps.sh office (Debian: libreoffice-calc-nogui)")
    return found


def convert(source: Path, target: str, tmp_path: Path) -> Path:
    out = tmp_path / target.split(":")[0]
    out.mkdir()
    subprocess.run(  # noqa: S603 - LibreOffice on our own temporary file
        [soffice(), f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", target,
         "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return out / (source.stem + "." + target.split(":")[0])


@pytest.fixture
def written(tmp_path) -> Path:
    book = xlsx.Workbook()
    sheet = book.sheet("清单", headers=["公式", "加", "at", "减", "金额", "日期", "比例", "数", "名"])
    sheet.append(ROW)
    path = tmp_path / "book.xlsx"
    path.write_bytes(book.content())
    return path


def test_our_file_marks_formula_like_text_with_the_quote_prefix(written):
    row = load_workbook(written).active[2]
    assert [(c.value, c.data_type, c.quotePrefix) for c in row[:4]] == [
        ("=1+1", "s", True), ("+1", "s", True), ("@SUM(A1:A2)", "s", True), ("-测试", "s", True),
    ]  # fmt: skip
    assert row[8].quotePrefix is False


def test_libreoffice_keeps_formula_like_text_as_text_and_values_typed(written, tmp_path):
    row = load_workbook(convert(written, "xlsx", tmp_path)).active[2]
    # Text, as typed: not the formula's result (2), no apostrophe, no formula element.
    assert [(c.value, c.data_type) for c in row[:4]] == [
        ("=1+1", "s"), ("+1", "s"), ("@SUM(A1:A2)", "s"), ("-测试", "s"),
    ]  # fmt: skip
    money, date, share = row[4], row[5], row[6]
    assert (money.data_type, money.value) == ("n", pytest.approx(1234.5))
    assert money.number_format == "#,##0.00"
    assert date.is_date
    assert date.value == dt.datetime(2017, 5, 12)  # noqa: DTZ001 - a spreadsheet date has no zone
    assert (share.value, "%" in share.number_format) == (pytest.approx(0.125), True)
    assert row[7].value == 2


def test_libreoffice_shows_the_text_and_the_formatted_values(written, tmp_path):
    text = convert(written, CSV_FILTER, tmp_path).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["=1+1", "+1", "@SUM(A1:A2)", "-测试", "1,234.50", "2017-05-12", "12.5%", "2", "张三"]
