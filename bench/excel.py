"""Excel import / export of the benchmark, each in its own process so its peak memory is its own.

python bench/excel.py build PATH ROWS VILLAGE RUN     # write an import file (not timed)
python bench/excel.py import PATH USERNAME [MODE]     # time the import (valid_rows), then remove what it added; JSON
python bench/excel.py export ROWS USERNAME            # time an export of ROWS households; prints JSON
python bench/excel.py cleanup                         # remove what earlier (interrupted) imports left behind

The import file's households have file numbers B<run><seq> (B + 11 digits) and ID numbers under region
code 49xxxx, which the generator never writes: `cleanup` removes exactly those households with their
members, incomes, status rows, duplicate pairs and history rows (the delete history and the status
rows' append-only guard skipped, as the generator skips the insert history), and the benchmark's import
jobs. The import runs it afterwards, so the benchmark database keeps its size from run to run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

# The template's columns (households.imports.columns): 两不愁三保障 are facts, not columns any more.
HEADER = ["户编号", "村代码", "家庭住址", "联系电话", "贫困户属性", "识别年度", "主要致贫原因", "其他致贫原因", "收入年度",
          "人均纯收入（元）", "姓名", "身份证号", "与户主关系", "健康状况", "残疾等级", "文化程度", "在校生情况", "劳动能力",
          "是否务工", "务工时间（月）"]  # fmt: skip


BENCH_FILE_NUMBERS = r"^B[0-9]{11}$"


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: KiB


def build(path: str, rows: int, village: str, run: int) -> None:
    """One household of one member per row; numbers under region code 49xxxx never clash with the data."""
    from core import xlsx
    from core.idnumbers import check_digit

    book = xlsx.Workbook()
    sheet = book.sheet("贫困户", headers=HEADER)
    base = dt.date(1950, 1, 1)
    for i in range(rows):
        birth = base + dt.timedelta(days=i // 400)
        first17 = f"49{run % 10000:04d}{birth:%Y%m%d}{(i % 400) * 2 + 1:03d}"
        number = first17 + check_digit(first17)
        sheet.append([
            f"B{run:04d}{i:07d}", village, "一组", "", "一般贫困户", 2016, "因病", "缺资金、缺技术", 2016, 3000, f"户主{i}", number, "户主", "健康", "无", "小学", "非在校生", "普通劳动力", "否", 0,
        ])  # fmt: skip
    with open(path, "wb") as fp:
        book.save(fp)


def cleanup() -> dict:
    """Remove the households earlier benchmark imports created (see the module docstring)."""
    import pgtrigger
    from django.db import connection, transaction

    from households.models import HouseholdImport

    pairs = "household_a_id IN (SELECT id FROM gone) OR household_b_id IN (SELECT id FROM gone)"
    deletes = {
        "households_duplicatecandidateevent": f"pgh_obj_id IN (SELECT id FROM households_duplicatecandidate WHERE {pairs})",  # noqa: S608
        "households_duplicatecandidatestatuschange": f"candidate_id IN (SELECT id FROM households_duplicatecandidate WHERE {pairs})",  # noqa: S608
        "households_duplicatecandidate": pairs,
        "households_memberevent": "household_id IN (SELECT id FROM gone)",
        "households_member": "household_id IN (SELECT id FROM gone)",
        "households_incomeevent": "household_id IN (SELECT id FROM gone)",
        "households_income": "household_id IN (SELECT id FROM gone)",
        "households_householdstatuschange": "household_id IN (SELECT id FROM gone)",
        "households_householdevent": "pgh_obj_id IN (SELECT id FROM gone)",
        "households_household": "id IN (SELECT id FROM gone)",
    }  # fmt: skip
    # The delete history, and the append-only guard of the status-change tables (these rows are the
    # benchmark's own, made a moment ago; nothing else may delete status history).
    skip = (
        "{"
        + ",".join(
            t.get_pgid(m) for m, t in pgtrigger.registered() if t.name in ("delete_delete", "append_only")
        )
        + "}"
    )
    removed = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [skip])
        cursor.execute(
            "CREATE TEMPORARY TABLE gone ON COMMIT DROP AS SELECT id FROM households_household WHERE file_number ~ %s",
            [BENCH_FILE_NUMBERS],
        )
        for table, where in deletes.items():
            cursor.execute(f"DELETE FROM {table} WHERE {where}")  # noqa: S608 - our own tables
            removed[table] = cursor.rowcount
        for job in HouseholdImport.objects.filter(file_name="bench.xlsx"):
            job.file.delete(save=False)
            job.error_report.delete(save=False)
            job.delete()
    return removed


def run_import(path: str, username: str, mode: str = "valid_rows") -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.models import User
    from core.uploads import SPREADSHEETS, store_upload
    from households.models import HouseholdImport, ImportKind
    from households.tasks import run_import as task

    actor = User.objects.get(username=username)
    data = Path(path).read_bytes()
    # The job as import_start stores it (checked, encrypted), run here instead of queued (no Celery
    # worker in the benchmark).
    stored = store_upload(
        SimpleUploadedFile("bench.xlsx", data), kinds=SPREADSHEETS, folder="households/imports"
    )
    # Loaded as a migration of an existing register (ImportKind.MIGRATION), the path generate_scale's
    # data stands for: registered households, every database check on, the history rows written.
    job = HouseholdImport(
        file=stored.path, file_name="bench.xlsx", mode=mode, kind=ImportKind.MIGRATION, created_by=actor,
        region_id=actor.region_id,
    )  # fmt: skip
    job.save()
    before = peak_mb()
    started, cpu = time.monotonic(), time.process_time()
    task(job.pk)
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu
    peak = peak_mb()
    job.refresh_from_db()
    result = {"seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "peak_rss_mb": peak, "rss_before_mb": before,
              "rows": job.total_rows, "households_created": job.households_created, "error_rows": job.error_rows,
              "status": job.status, "mode": mode}  # fmt: skip
    started = time.monotonic()
    removed = cleanup()
    result["cleanup"] = {
        "seconds": round(time.monotonic() - started, 1),
        "households": removed["households_household"],
    }
    return result


def run_export(rows: int, username: str) -> dict:
    from core.models import User
    from households import imports, selectors
    from households.models import Household

    actor = User.objects.get(username=username)
    first = Household.objects.order_by("id").values_list("id", flat=True).first()
    qs = selectors.household_list(actor=actor).filter(id__gte=first, id__lt=first + rows)
    before = peak_mb()
    started, cpu = time.monotonic(), time.process_time()
    data = imports.export_workbook(qs)
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu
    peak = peak_mb()  # before the check below reads the file back
    from core import xlsx

    written = sum(1 for _ in xlsx.read_sheet(data)) - 1
    return {"seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "peak_rss_mb": peak, "rss_before_mb": before,
            "rows": written, "bytes": len(data)}  # fmt: skip


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "build":
        build(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]))
    elif command == "import":
        sys.stdout.write(json.dumps(run_import(*sys.argv[2:5])) + "\n")
    elif command == "cleanup":
        sys.stdout.write(json.dumps(cleanup()) + "\n")
    elif command == "export":
        sys.stdout.write(json.dumps(run_export(int(sys.argv[2]), sys.argv[3])) + "\n")
