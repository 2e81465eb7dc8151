"""The chunked, streamed import: batches of checks and chunks of saves must not change what is
imported or reported. CHECK_ROWS and CHUNK are lowered so that a small file spans several of both."""

import io
import zipfile

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pghistory.models import Context

from core import pii, xlsx
from core.idnumbers import check_digit
from core.uploads import UploadRefused
from households import imports, selectors
from households.models import Household, HouseholdImport, HouseholdStatusChange, ImportStatus, Income, Member
from households.selectors import HouseholdFilters
from households.services import import_start
from households.tasks import run_import

from .conftest import db_snapshot
from .test_excel_import import HEADER, household_row, id_numbers, report_book, report_rows, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(imports, "CHECK_ROWS", 7)  # rows checked together
    monkeypatch.setattr(imports, "CHUNK", 5)  # households saved together


def start(clerk, data: bytes, mode: str) -> HouseholdImport:
    job = import_start(actor=clerk, upload=SimpleUploadedFile("bulk.xlsx", data), mode=mode)
    run_import(job.pk)
    job.refresh_from_db()
    return job


def households_file(village: str, n: int, *, prefix: str, seed: int, bad: dict[int, dict] | None = None):
    """n one-member households; bad: index → cells to overwrite (its spreadsheet row is index + 2)."""
    numbers = id_numbers(n, seed=seed)
    rows = []
    for i in range(n):
        rows.append(
            household_row(f"{prefix}{i:04d}", village, f"户主{i}", numbers[i], **(bad or {}).get(i, {}))
        )
    return rows, numbers


def test_all_or_nothing_a_bad_row_in_a_later_chunk_changes_nothing(clerk, xiuwu_village):
    rows, _numbers = households_file(
        xiuwu_village.code, 40, prefix="AON", seed=11, bad={33: {"与户主关系": "邻居"}}
    )
    before = db_snapshot()
    job = start(clerk, workbook(rows), "all_or_nothing")
    assert (job.status, job.households_created, job.members_created) == (ImportStatus.DONE, 0, 0)
    assert "未导入任何数据" in job.message
    after = db_snapshot()
    for snap in (before, after):
        snap.pop("HouseholdImport"), snap.pop("HouseholdImport.updated")
    assert after == before
    # The unknown relation, and so no head in the household: both on its one row (row 35).
    assert [(r[0], r[1]) for r in report_rows(job)] == [(35, "与户主关系"), (35, "与户主关系")]
    assert job.error_rows == 1


def test_all_or_nothing_a_conflict_in_a_later_chunk_undoes_the_earlier_chunks(
    clerk, xiuwu_village, monkeypatch
):
    """A household registered meanwhile (between the check and the save) makes the save of a later
    chunk fail: the chunks already saved are undone with it."""
    rows, _numbers = households_file(xiuwu_village.code, 23, prefix="CNF", seed=12)
    original = imports._commit
    calls = []

    def commit(groups, **kw):
        calls.append(len(groups))
        if len(calls) == 3:  # someone registers the first person of the third chunk meanwhile
            Household.objects.filter(file_number="CNF0000").update(file_number="CNF-MOVED")
            Member.objects.filter(household__file_number="CNF-MOVED").update(is_current=False)
            first = groups[0].members[0]
            member = Member.objects.get(household__file_number="CNF-MOVED")
            Member.objects.filter(pk=member.pk).update(id_number_hash=first["_hash"], is_current=True)
        return original(groups, **kw)

    monkeypatch.setattr(imports, "_commit", commit)
    job = start(clerk, workbook(rows), "all_or_nothing")
    assert calls == [5, 5, 5]  # the fourth and fifth chunks were not tried
    assert job.households_created == 0
    assert not Household.objects.filter(file_number__startswith="CNF0").exists()
    assert [r[0] for r in report_rows(job)] == [12, 13, 14, 15, 16]  # the conflicting chunk's households


def test_valid_rows_saves_the_good_households_and_reports_the_bad_rows_by_their_row_numbers(
    clerk, xiuwu_village
):
    numbers = id_numbers(40, seed=13)
    rows = [household_row(f"VR{i:04d}", xiuwu_village.code, f"户主{i}", numbers[i]) for i in range(31)]
    rows[3] = household_row("VR0003", xiuwu_village.code, "户主3", numbers[3], 贫困户属性="富裕户")  # row 5
    rows[26] = household_row("VR0026", xiuwu_village.code, "户主26", numbers[26][:17] + "Y")  # row 28
    # Household VR0100: rows 33 (head) and 36 (spouse), two check batches apart, an empty row between.
    rows += [
        household_row("VR0100", xiuwu_village.code, "户主100", numbers[31]),
        household_row("VR0101", xiuwu_village.code, "户主101", numbers[32]),
        [None] * len(HEADER),
        household_row("VR0100", "", "配偶100", numbers[33], relation="配偶"),
        # Household VR0200: its second row (row 38) is wrong, so its first (row 37) is reported too.
        household_row("VR0200", xiuwu_village.code, "户主200", numbers[34]),
        household_row("VR0200", "", "配偶200", numbers[35], relation="配偶", 健康状况="很好"),
        household_row("", xiuwu_village.code, "无户号", numbers[36]),  # row 39
    ]  # fmt: skip
    job = start(clerk, workbook(rows), "valid_rows")
    assert job.status == ImportStatus.DONE
    assert job.total_rows == job.processed_rows == 37  # the empty row is no data row
    errors = report_rows(job)
    assert [(r[0], r[1]) for r in errors] == [
        (5, "贫困户属性"), (28, "身份证号"), (37, "户编号"), (38, "健康状况"), (39, "户编号"),
    ]  # fmt: skip
    assert errors[2][2] == "未导入：户 VR0200 的其他行有错误（第 38 行）。"
    assert job.error_rows == 5
    saved = set(Household.objects.filter(file_number__startswith="VR").values_list("file_number", flat=True))
    assert saved == {f"VR{i:04d}" for i in range(31) if i not in (3, 26)} | {"VR0100", "VR0101"}
    assert (job.households_created, job.members_created) == (31, 32)
    spread = Household.objects.get(file_number="VR0100")
    assert (spread.member_count, spread.head_name) == (2, "户主100")
    assert sorted(spread.members.values_list("relation", flat=True)) == ["head", "spouse"]
    assert HouseholdStatusChange.objects.get(household=spread).note.endswith("（第 33 行）。")
    failed = list(report_book(job).worksheets[1].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in failed] == [5, 28, 37, 38, 39]
    assert failed[0][1:3] == ("VR0003", xiuwu_village.code)


def test_the_same_id_number_twice_in_the_file_is_caught_across_batches_and_chunks(clerk, xiuwu_village):
    rows, numbers = households_file(xiuwu_village.code, 30, prefix="DUP", seed=14)
    rows[24] = household_row("DUP0024", xiuwu_village.code, "同号", numbers[2])  # row 26 repeats row 4
    job = start(clerk, workbook(rows), "valid_rows")
    assert report_rows(job) == [(26, "身份证号", "同一身份证号已出现在本文件第 4 行。")]
    assert job.households_created == 29
    assert not Household.objects.filter(file_number="DUP0024").exists()
    # ...and against the register: the same file again is refused row by row, in every batch.
    again = start(
        clerk, workbook([household_row("DUP9999", xiuwu_village.code, "又来", numbers[29])]), "valid_rows"
    )
    assert again.households_created == 0
    assert report_rows(again)[0][2].startswith("此人已登记在户 DUP0029")


def test_imported_id_numbers_round_trip_and_are_found_by_exact_search(clerk, xiuwu_village):
    rows, numbers = households_file(xiuwu_village.code, 12, prefix="RT", seed=15)
    first17 = next(
        f"41082119900101{i:03d}" for i in range(999) if check_digit(f"41082119900101{i:03d}") == "X"
    )
    numbers[5] = first17 + "X"
    rows[5] = household_row("RT0005", xiuwu_village.code, "户主5", f" {first17}x ")  # as typed
    job = start(clerk, workbook(rows), "valid_rows")
    assert job.households_created == 12, report_rows(job) if job.error_rows else job.message
    for i, number in enumerate(numbers):
        member = Member.objects.get(household__file_number=f"RT{i:04d}")
        assert member.reveal_id_number() == number
        assert (member.id_number_hash, member.id_number_masked) == (
            pii.keyed_hash(number),
            pii.mask_id(number),
        )
        found = selectors.household_list(actor=clerk, filters=HouseholdFilters(q=number))
        assert list(found.values_list("file_number", flat=True)) == [f"RT{i:04d}"]
    # The same as the register service stores (Member.set_id_number).
    reference = Member(name="x")
    reference.set_id_number(numbers[0])
    first = Member.objects.get(household__file_number="RT0000")
    assert (first.id_number_hash, first.id_number_masked) == (
        reference.id_number_hash,
        reference.id_number_masked,
    )
    assert pii.decrypt(reference.id_number_cipher) == first.reveal_id_number()


def test_imported_households_have_their_history_rows_with_the_uploader_and_the_import(clerk, xiuwu_village):
    rows, _numbers = households_file(xiuwu_village.code, 12, prefix="HIS", seed=16)
    job = start(clerk, workbook(rows), "valid_rows")
    households = Household.objects.filter(file_number__startswith="HIS")
    assert households.count() == 12
    events = {
        Household: apps.get_model("households", "HouseholdEvent"),
        Member: apps.get_model("households", "MemberEvent"),
        Income: apps.get_model("households", "IncomeEvent"),
    }
    for model, event in events.items():
        objects = model.objects.filter(
            **({"pk__in": households} if model is Household else {"household__in": households})
        )
        assert objects.count() == 12
        written = event.objects.filter(pgh_obj_id__in=objects.values("pk"))
        assert written.count() == 12
        assert set(written.values_list("pgh_label", flat=True)) == {"insert"}
        # Every tracked column as the row holds it (what the row trigger would have copied).
        columns = [f.attname for f in event._meta.concrete_fields if not f.name.startswith("pgh_")]

        def rows(qs, columns=columns):
            return {
                tuple(tuple(v) if isinstance(v, list) else v for v in r) for r in qs.values_list(*columns)
            }

        assert rows(written) == rows(objects)
        contexts = Context.objects.filter(id__in=written.values("pgh_context_id"))
        assert {(c.metadata["user"], c.metadata["import_id"]) for c in contexts} == {(clerk.pk, job.pk)}
    # Inserts other than the import's still go through the row triggers.
    from tests.factories.households import household_with_members

    other = household_with_members()
    assert events[Household].objects.filter(pgh_obj_id=other.pk, pgh_label="insert").count() == 1


def test_progress_is_written_after_every_batch(clerk, xiuwu_village, monkeypatch):
    rows, _numbers = households_file(xiuwu_village.code, 20, prefix="PRG", seed=17)
    seen = []
    original = imports.Validator.check

    def check(self, batch):
        job = HouseholdImport.objects.get()
        seen.append((job.processed_rows, job.total_rows, job.status))
        return original(self, batch)

    monkeypatch.setattr(imports.Validator, "check", check)
    job = start(clerk, workbook(rows), "valid_rows")
    assert seen == [(0, 20, "running"), (7, 20, "running"), (14, 20, "running")]
    assert (job.processed_rows, job.total_rows, job.percent) == (20, 20, 100)


# --- the reader -----------------------------------------------------------------------------------


def shared_strings_workbook(rows: list[list], *, phonetic: bool = False) -> bytes:
    """A workbook the way Excel saves it: shared strings (one with rich-text runs and, optionally,
    a phonetic guide), a style table with a date format, cell references on every cell."""
    strings: list[str] = []

    def sst(text):
        if text not in strings:
            strings.append(text)
        return strings.index(text)

    sheet = []
    for r, values in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(values):
            ref = f"{chr(65 + c)}{r}"
            if value is None:
                continue
            if isinstance(value, str):
                cells.append(f'<c r="{ref}" t="s"><v>{sst(value)}</v></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        sheet.append(f'<row r="{r}">{"".join(cells)}</row>')
    items = []
    for text in strings:
        if text == "张三" and phonetic:
            items.append(
                '<si><r><t>张</t></r><r><rPr><b/></rPr><t>三</t></r><rPh sb="0" eb="1"><t>zhang</t></rPh></si>'
            )
        else:
            items.append(f"<si><t>{text}</t></si>")
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="户" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
        )
        z.writestr(
            "xl/styles.xml",
            f'<styleSheet {ns}><fonts count="1"><font><sz val="11"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
        )
        z.writestr("xl/sharedStrings.xml", f'<sst {ns} count="{len(strings)}">{"".join(items)}</sst>')
        z.writestr(
            "xl/worksheets/sheet1.xml", f"<worksheet {ns}><sheetData>{''.join(sheet)}</sheetData></worksheet>"
        )
    return out.getvalue()  # fmt: skip


def openpyxl_rows(data: bytes) -> list[tuple[int, list]]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    out = []
    for number, row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        if row:
            out.append((number, row))
    return out


def test_the_reader_reads_what_openpyxl_reads(xiuwu_village):
    numbers = id_numbers(3, seed=18)
    rows = [household_row(f"RD{i:04d}", xiuwu_village.code, "张三", n) for i, n in enumerate(numbers)]
    rows[1][5] = 2016.0
    rows[2][3] = None
    for data in (workbook(rows), shared_strings_workbook([HEADER, *rows], phonetic=True)):
        ours = list(xlsx.read_sheet(data))
        assert ours == openpyxl_rows(data)
        assert ours[1][1][HEADER.index("姓名")] == "张三"  # the phonetic guide is not part of the text


def test_a_workbook_saved_by_excel_imports(clerk, xiuwu_village):
    numbers = id_numbers(2, seed=19)
    rows = [household_row("XL0001", xiuwu_village.code, "张三", numbers[0]),
            household_row("XL0001", "", "李四", numbers[1], relation="配偶")]  # fmt: skip
    job = start(clerk, shared_strings_workbook([HEADER, *rows], phonetic=True), "valid_rows")
    assert (job.households_created, job.members_created, job.error_rows) == (1, 2, 0)
    assert Household.objects.get(file_number="XL0001").head_name == "张三"


def test_a_file_with_a_dtd_or_not_a_workbook_is_refused(clerk, xiuwu_village):
    data = bytearray(workbook([household_row("DTD001", xiuwu_village.code, "甲", id_numbers(1, seed=20)[0])]))
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as src, zipfile.ZipFile(bomb, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = b'<!DOCTYPE lol [<!ENTITY lol "lol">]>' + content
            dst.writestr(item, content)
    job = start(clerk, bomb.getvalue(), "valid_rows")  # a real zip and workbook: refused by the reader
    assert job.status == ImportStatus.FAILED
    assert job.message == "文件不是可读取的 .xlsx 工作簿。"
    assert not Household.objects.filter(file_number="DTD001").exists()
    # Not a zip at all: refused in the request by core.uploads, nothing stored or queued.
    before = HouseholdImport.objects.count()
    with pytest.raises(UploadRefused) as refused:
        start(clerk, b"PK\x03\x04 not really", "valid_rows")
    assert refused.value.field == "file"
    assert HouseholdImport.objects.count() == before


def test_the_export_is_read_back_as_written(client, clerk):
    from tests.factories.households import household_with_members

    household = household_with_members(address="一组\x07 <b>&amp;", head_name=" 空格 ")
    client.force_login(clerk)
    response = client.get(reverse("households:export"), {"q": household.file_number})
    rows = openpyxl_rows(response.content)
    assert rows[0][1][:3] == ["户编号", "县（市、区）", "乡（镇）"]
    assert rows[1][1][0] == household.file_number
    assert rows[1][1][4] == " 空格 "
    assert rows[1][1][13] == "一组 <b>&amp;"  # the control character dropped, the rest kept as text
    assert rows[1][1][8] == household.get_status_display()
