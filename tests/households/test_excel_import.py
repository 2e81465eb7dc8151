"""Excel import: template, valid-rows mode with a per-row error report, all-or-nothing, 10,000 rows."""

import datetime as dt
import io
import random
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.uploads import read_stored
from households.models import Household, HouseholdImport, ImportStatus, Member
from households.selectors.guarantees import guarantees_met
from households.services import import_start
from households.tasks import run_import
from tests.factories.households import household_with_members

from .conftest import db_snapshot

pytestmark = pytest.mark.django_db
HEADER = ["户编号", "村代码", "家庭住址", "联系电话", "贫困户属性", "识别年度", "主要致贫原因", "其他致贫原因", "收入年度",
          "人均纯收入（元）", "姓名", "身份证号", "与户主关系", "健康状况", "残疾等级", "文化程度", "在校生情况", "劳动能力",
          "是否务工", "务工时间（月）"]  # fmt: skip
TIMINGS = Path(__file__).resolve().parents[2] / "test-artifacts" / "households-import-timing.txt"


def id_numbers(n: int, *, seed: int = 7) -> list[str]:
    """n distinct valid numbers: (birth date, sequence) pairs never repeat."""
    rng = random.Random(seed)
    base = dt.date(1950, 1, 1) + dt.timedelta(days=seed * 1000)
    out = []
    for i in range(n):
        birth = base + dt.timedelta(days=i // 400)
        first17 = f"410821{birth:%Y%m%d}{(i % 400) * 2 + rng.randint(0, 1):03d}"
        from core.idnumbers import check_digit

        out.append(first17 + check_digit(first17))
    return out


def household_row(file_number, village, name, number, relation="户主", **extra):
    row = {
        "户编号": file_number, "村代码": village, "家庭住址": "一组", "联系电话": "", "贫困户属性": "一般贫困户",
        "识别年度": 2016, "主要致贫原因": "因病", "其他致贫原因": "缺资金、缺技术", "收入年度": 2016, "人均纯收入（元）": 3000,
        "姓名": name, "身份证号": number, "与户主关系": relation, "健康状况": "健康", "残疾等级": "无", "文化程度": "小学",
        "在校生情况": "非在校生", "劳动能力": "普通劳动力", "是否务工": "否", "务工时间（月）": 0,
    }  # fmt: skip
    row.update(extra)
    return [row[h] for h in HEADER if h in row]


def workbook(rows: list[list]) -> bytes:
    """A workbook as Excel saves it (with its <dimension>, which write-only mode leaves out)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "贫困户"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def start(clerk, data: bytes, mode: str, *, name: str = "villages.xlsx") -> HouseholdImport:
    upload = SimpleUploadedFile(name, data)
    job = import_start(actor=clerk, upload=upload, mode=mode)
    run_import(job.pk)  # what the worker does (the round trip through Redis is tested separately)
    job.refresh_from_db()
    return job


def report_book(job):
    """The error report is stored encrypted (it repeats ID numbers): read it through core.uploads."""
    return load_workbook(io.BytesIO(read_stored(job.error_report.name)))


def report_rows(job) -> list[tuple]:
    book = report_book(job)
    return [tuple(r) for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)]


def big_file(village: str, n: int, bad_every: int) -> tuple[bytes, set[int]]:
    numbers = id_numbers(n)
    rows, bad = [], set()
    for i in range(n):
        number = numbers[i]
        if i % bad_every == bad_every - 1:
            number = number[:17] + ("0" if number[17] != "0" else "1")  # wrong check digit
            bad.add(i + 2)
        rows.append(household_row(f"IMP{i:07d}", village, f"户主{i}", number))
    return workbook(rows), bad


def _time(label, seconds, n):
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    with TIMINGS.open("a", encoding="utf-8") as fh:
        fh.write(f"{dt.datetime.now(tz=dt.UTC):%Y-%m-%d %H:%M}Z {label}: {n} rows in {seconds:.1f}s\n")


def test_10000_rows_valid_rows_mode_commits_every_valid_row_and_reports_every_bad_one(clerk, xiuwu_village):
    data, bad = big_file(xiuwu_village.code, 10_000, bad_every=250)
    started = time.monotonic()
    job = start(clerk, data, "valid_rows")
    elapsed = time.monotonic() - started
    _time("valid_rows", elapsed, 10_000)
    assert job.status == ImportStatus.DONE
    assert (job.total_rows, job.households_created, job.members_created) == (
        10_000,
        10_000 - len(bad),
        10_000 - len(bad),
    )
    assert Household.objects.filter(file_number__startswith="IMP").count() == 10_000 - len(bad)
    assert Member.objects.filter(
        household__file_number__startswith="IMP", is_current=True
    ).count() == 10_000 - len(bad)
    errors = report_rows(job)
    assert {r[0] for r in errors} == bad
    assert all(r[1] == "身份证号" and r[2].startswith("身份证号校验码错误") for r in errors)
    assert job.error_rows == len(bad) == 40
    assert elapsed < 180


def test_10000_rows_all_or_nothing_mode_one_bad_row_commits_nothing(clerk, xiuwu_village):
    data, bad = big_file(xiuwu_village.code, 10_000, bad_every=10_000)
    assert len(bad) == 1
    before = db_snapshot()
    started = time.monotonic()
    job = start(clerk, data, "all_or_nothing")
    _time("all_or_nothing (1 bad row)", time.monotonic() - started, 10_000)
    assert job.households_created == 0
    assert "未导入任何数据" in job.message
    after = db_snapshot()
    assert after.pop("HouseholdImport") != before.pop("HouseholdImport")  # only the job itself changed
    after.pop("HouseholdImport.updated"), before.pop("HouseholdImport.updated")
    assert after == before
    assert report_rows(job) == [(10_001, "身份证号", report_rows(job)[0][2])]


def test_all_or_nothing_commits_everything_when_every_row_is_valid(clerk, xiuwu_village):
    numbers = id_numbers(3, seed=3)
    data = workbook([household_row("AON001", xiuwu_village.code, "甲", numbers[0]),
                     household_row("AON001", "", "乙", numbers[1], relation="配偶"),
                     household_row("AON002", xiuwu_village.code, "丙", numbers[2])])  # fmt: skip
    job = start(clerk, data, "all_or_nothing")
    assert (job.households_created, job.members_created, job.error_rows) == (2, 3, 0)
    household = Household.objects.get(file_number="AON001")
    assert (household.head_name, household.member_count, household.status) == ("甲", 2, "applying")
    assert household.secondary_causes == ["lack_funds", "lack_skills"]
    assert household.incomes.get().per_capita_net_income == 3000
    assert not guarantees_met(household)  # nothing recorded behind an applicant's guarantees yet


def test_a_workbook_with_the_old_guarantee_tick_boxes_is_refused_naming_them(clerk, xiuwu_village):
    """两不愁三保障 rest on dated facts: an old template's five tick-box columns are not read as the truth."""
    book = Workbook()
    sheet = book.active
    sheet.append([*HEADER[:8], "不愁吃", "住房安全有保障", *HEADER[8:]])
    number = id_numbers(1, seed=17)[0]
    row = household_row("TICK001", xiuwu_village.code, "甲", number)
    sheet.append([*row[:8], "是", "是", *row[8:]])
    out = io.BytesIO()
    book.save(out)
    job = start(clerk, out.getvalue(), "valid_rows")
    assert job.status == ImportStatus.FAILED
    assert "不愁吃" in job.message
    assert "住房安全有保障" in job.message
    assert "不再导入" in job.message
    assert not Household.objects.filter(file_number="TICK001").exists()


def test_each_rule_is_reported_with_row_field_and_rule(clerk, xiuwu_village, boai_village):
    existing = household_with_members()
    taken = existing.members.first().reveal_id_number()
    numbers = id_numbers(8, seed=5)
    rows = [
        household_row("R001", xiuwu_village.code, "好人", numbers[0]),                       # row 2: fine
        household_row("R002", xiuwu_village.code, "重复人", taken),                           # row 3: registered already
        household_row("R003", boai_village.code, "外县人", numbers[1]),                       # row 4: outside region
        household_row("R004", xiuwu_village.code, "怪属性", numbers[2], 贫困户属性="富裕户"),  # row 5
        household_row("R005", xiuwu_village.code, "同号甲", numbers[3]),                       # row 6
        household_row("R006", xiuwu_village.code, "同号乙", numbers[3]),                       # row 7: same ID as row 6
        household_row("R007", xiuwu_village.code, "户主一", numbers[4]),                       # row 8
        household_row("R007", "", "成员坏", numbers[5][:17] + "Y", relation="之子"),           # row 9: bad format
    ]  # fmt: skip
    job = start(clerk, workbook(rows), "valid_rows")
    assert job.households_created == 2  # R001 and R005
    errors = {(r[0], r[1]): r[2] for r in report_rows(job)}
    assert (
        errors[(3, "身份证号")]
        == f"此人已登记在户 {existing.file_number}（户主{existing.head_name}，{existing.village.name}）。"
    )
    assert errors[(4, "村代码")] == "村必须在您的管辖范围内。"
    assert errors[(5, "贫困户属性")] == "“富裕户”不是允许的取值。"
    assert errors[(7, "身份证号")] == "同一身份证号已出现在本文件第 6 行。"
    assert errors[(9, "身份证号")] == "身份证号由17位数字加1位数字或X组成。"
    assert errors[(8, "户编号")].startswith("未导入：户 R007 的其他行有错误（第 9 行）")
    assert set(
        Household.objects.filter(file_number__startswith="R0").values_list("file_number", flat=True)
    ) == {"R001", "R005"}
    # The second sheet holds the failed rows, ready to correct and upload again.
    failed = list(report_book(job).worksheets[1].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in failed] == [3, 4, 5, 7, 8, 9]


def test_template_download_and_import_pages(
    client, clerk, other_clerk, xiuwu_village, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(clerk)
    response = client.get(reverse("households:import_template"))
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]][: len(HEADER)] == HEADER  # a note beside the example
    data = workbook([household_row("PG001", xiuwu_village.code, "页面导入", id_numbers(1, seed=9)[0])])
    from config.celery import app

    # The task is queued on commit; here it runs eagerly in-process.
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("households:import"), {"file": SimpleUploadedFile("v.xlsx", data), "mode": "valid_rows"}
        )
    assert response.status_code == 302
    job = HouseholdImport.objects.get()
    status = client.get(response["Location"])
    assert status.status_code == 200
    progress = client.get(response["Location"], {"format": "json"}).json()
    assert (progress["percent"], progress["finished"], progress["households_created"]) == (100, True, 1)
    assert Household.objects.get(file_number="PG001").head_name == "页面导入"
    client.force_login(other_clerk)
    assert client.get(response["Location"]).status_code == 404
    assert client.get(reverse("households:import_report", args=[job.pk])).status_code == 404


def test_export_escapes_formula_text_and_masks_id_numbers(client, clerk):
    household = household_with_members(address='=HYPERLINK("http://evil")', head_name="@导出")
    client.force_login(clerk)
    response = client.get(reverse("households:export"), {"q": household.file_number})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == household.file_number
    # Formula-like text is a text cell with Excel's quote prefix: shown as typed, never run.
    assert rows[1][4] == "@导出"
    assert rows[1][13] == '=HYPERLINK("http://evil")'
    for column in (5, 14):
        cell = sheet.cell(row=2, column=column)
        assert (cell.data_type, cell.quotePrefix) == ("s", True)
    head = household.members.get(relation="head")
    assert rows[1][5] == head.id_number_masked
    assert head.reveal_id_number() not in response.content.decode("latin-1")


def test_other_county_and_leader_cannot_import(client, leader, other_clerk):
    client.force_login(leader)
    assert client.post(reverse("households:import"), {}).status_code == 403
