"""The import template holds one example household, as its comment says (issue 22), marked as one: its
file number is 示例, its rows shaded, a note beside them. A clerk who downloads the template and imports
it unchanged creates no household and is told the example was skipped; the example is a valid
household once it is given a real file number."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from households.imports import workbooks
from households.models import Household, Member

from .test_excel_import import HEADER, start

pytestmark = pytest.mark.django_db


def template(client, clerk) -> bytes:
    client.force_login(clerk)
    response = client.get(reverse("households:import_template"))
    assert response.status_code == 200
    return response.content


def test_the_template_imported_as_downloaded_creates_nothing_and_says_the_example_was_skipped(
    client, clerk, xiuwu_village
):
    data = template(client, clerk)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in sheet[1]] == [*HEADER, None, None]  # the note's column has no header
    assert [sheet.cell(row=r, column=1).value for r in (2, 3)] == ["示例", "示例"]
    assert [sheet.cell(row=r, column=11).value for r in (2, 3)] == ["张三", "李四"]
    example = sheet.cell(row=2, column=1)
    assert example.font.i
    assert example.fill.fgColor.rgb.endswith("FFF2CC")
    note = sheet.cell(row=2, column=len(HEADER) + 2).value
    assert "示例户" in note
    assert "“示例”" in note
    assert sheet.cell(row=2, column=HEADER.index("身份证号") + 1).number_format == "@"  # typed over: text
    job = start(clerk, data, "all_or_nothing", name="导入模板.xlsx")
    assert (job.households_created, job.error_rows) == (0, 0), job.message
    assert "第2、3行是模板中的示例户，未导入。" in job.message
    assert not Household.objects.exists()


def test_the_example_is_a_valid_household_once_given_a_file_number(clerk, xiuwu_village):
    with translation.override("zh-hans"):
        book = load_workbook(io.BytesIO(workbooks.template_workbook()))
    sheet = book.worksheets[0]
    for r in (2, 3):
        sheet.cell(row=r, column=1, value="410821-0001")
    out = io.BytesIO()
    book.save(out)
    job = start(clerk, out.getvalue(), "all_or_nothing")
    assert (job.households_created, job.members_created, job.error_rows) == (1, 2, 0), job.message
    assert "示例户" not in job.message
    household = Household.objects.get(file_number="410821-0001")
    assert household.village_id == xiuwu_village.code
    assert set(Member.objects.values_list("name", "relation")) == {("张三", "head"), ("李四", "spouse")}


def test_the_english_template_s_example_is_skipped_too(clerk, xiuwu_village):
    with translation.override("en"):
        data = workbooks.template_workbook()
    assert load_workbook(io.BytesIO(data)).worksheets[0]["A2"].value == "Example"
    job = start(clerk, data, "valid_rows")
    assert (job.households_created, job.error_rows) == (0, 0), job.message
    assert "示例户" in job.message
