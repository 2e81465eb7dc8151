"""The one CSV reader (core.xlsx.read_csv) reads the files offices save: UTF-8 with or without
Excel's byte-order mark, and GBK (the Windows Chinese code page) — detected from the bytes.

Real files: LibreOffice converts a workbook to CSV (`soffice --headless --convert-to`). Its filter
options are separator, text delimiter, character set: 76 is UTF-8 and 85 is GBK; 11, which looks
like a code page number, writes every Chinese character as "?" (it is not GBK)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from core import uploads, xlsx

ROWS = [
    ["身份证号", "姓名", "号牌号码", "登记日期"],
    ["410821199001011234", "张三", "豫H12345", "2019-05-12"],
    ["41082119850203456X", "李四", "=危险", "2020-01-02"],
]


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.fail("LibreOffice is missing: scripts/sysdeps.sh office (Debian: libreoffice-calc-nogui)")
    return found


def office_csv(tmp_path: Path, charset: str) -> bytes:
    """The rows written by our workbook writer, saved as CSV by LibreOffice in `charset`."""
    book = xlsx.Workbook()
    sheet = book.sheet("清单", headers=ROWS[0])
    for row in ROWS[1:]:
        sheet.append(row)
    source = tmp_path / "list.xlsx"
    source.write_bytes(book.content())
    out = tmp_path / f"out{charset}"
    subprocess.run(  # noqa: S603 - LibreOffice on our own temporary file
        [soffice(), f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
         f"csv:Text - txt - csv (StarCalc):44,34,{charset}", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return (out / "list.csv").read_bytes()


@pytest.mark.parametrize(("charset", "encoding"), [("76", "utf-8"), ("85", "gb18030")])
def test_libreoffice_csv_in_utf8_and_gbk_reads_back_as_written(tmp_path, charset, encoding):
    data = office_csv(tmp_path, charset)
    assert xlsx.detect_encoding(data) == encoding
    rows = [cells for _n, cells in xlsx.read_csv(data)]
    assert rows == ROWS


def test_charset_11_is_not_gbk(tmp_path):
    data = office_csv(tmp_path, "11")
    assert "张三" not in data.decode("latin-1")
    assert b"?" in data


def test_excel_utf8_with_a_byte_order_mark():
    data = xlsx.csv_bytes(ROWS[1:], headers=ROWS[0])  # our own writer: BOM, every field quoted
    assert data.startswith(b"\xef\xbb\xbf")
    assert xlsx.detect_encoding(data) == "utf-8-sig"
    # The writer's apostrophe before formula-like text is taken off again.
    assert [cells for _n, cells in xlsx.read_csv(data)] == ROWS


def test_rows_are_numbered_as_a_spreadsheet_shows_them_and_blank_lines_skipped():
    data = "身份证号\t姓名\n\n410821199001011234\t张三\n".encode("gbk")
    assert list(xlsx.read_csv(data)) == [(1, ["身份证号", "姓名"]), (3, ["410821199001011234", "张三"])]


@pytest.mark.parametrize(
    "data",
    [b"\xff\xfe\x00a\x00b", "ID,姓名".encode("utf-16-le"), b"\x81\x30\x81"],
    ids=["utf16", "utf16-no-bom", "broken"],
)
def test_what_is_neither_utf8_nor_gbk_is_refused_naming_the_field(data):
    with pytest.raises(xlsx.UnreadableCSV) as refused:
        list(xlsx.read_csv(data, field="list"))
    assert refused.value.field == "list"


def test_the_upload_path_takes_a_csv_file_by_its_bytes():
    gbk = "身份证号,姓名\n410821199001011234,张三\n".encode("gbk")
    assert uploads.validate_upload(uploads.in_memory(gbk, "list.csv"), kinds=uploads.TABLES) == "csv"
    for bad in (b"<!DOCTYPE html><script>alert(1)</script>", b"MZ\x90\x00\x03\x00", b"a,b\x07\n"):
        with pytest.raises(uploads.UploadRefused) as refused:
            uploads.validate_upload(uploads.in_memory(bad, "list.csv"), kinds=uploads.TABLES)
        assert refused.value.code == "content"
