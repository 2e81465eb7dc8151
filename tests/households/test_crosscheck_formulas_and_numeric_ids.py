"""数据比对 with a list as other departments' spreadsheets leave it (issue 22): an ID number that is a
formula without its result, or that the spreadsheet turned into a number ("4.10821E+17" once saved as
CSV), is not read and the run says which rows and why — not a silent count of unreadable rows."""

import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from core import xlsx
from households.models import CrossCheckRun, CrossCheckRunStatus
from households.services.crosschecks import crosscheck_start
from households.tasks import run_crosscheck

from .test_registry_cross_checks import HEADER, county_admin, eager, vehicle_rows, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
ID = HEADER.index("身份证号")


def _run(actor, name: str, data: bytes) -> CrossCheckRun:
    run = crosscheck_start(actor=actor, upload=SimpleUploadedFile(name, data), source="vehicles")
    run_crosscheck(run.pk)
    run.refresh_from_db()
    return run


def test_an_id_formula_without_its_result_is_named_in_the_run(county_admin, world):  # noqa: F811
    rows = vehicle_rows(world)[:2]
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    for r, row in enumerate(rows, start=1):
        sheet.write_row(r, 0, [str(v) for v in row])
    sheet.write_formula(2, ID, f'=UPPER("{rows[1][ID]}")')  # stored as 0 by xlsxwriter
    book.close()
    run = _run(county_admin, "车辆.xlsx", out.getvalue())
    assert run.status == CrossCheckRunStatus.DONE
    assert (run.total_rows, run.matched_rows, run.unreadable_rows) == (2, 1, 1)
    assert run.message == "第3行「身份证号」是公式且没有计算结果：请在表格软件中重新计算并保存，或粘贴为数值"


def test_id_numbers_saved_as_numbers_in_a_csv_are_named_in_the_run(county_admin, world):  # noqa: F811
    rows = [list(r) for r in vehicle_rows(world)[:3]]
    rows[1][ID] = "4.10821E+17"  # Excel's CSV of a numeric cell
    rows[2][ID] = "4.10821197104025E+017"  # LibreOffice's
    run = _run(county_admin, "车辆.csv", xlsx.csv_bytes(rows, headers=HEADER))
    assert (run.total_rows, run.matched_rows, run.unreadable_rows) == (3, 1, 2)
    assert run.message == (
        "第3行：身份证号被存成了数字，末几位已丢失：请把该列设为文本后重新输入；"
        "第4行：身份证号被存成了数字，末几位已丢失：请把该列设为文本后重新输入"
    )
