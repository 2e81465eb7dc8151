# ruff: noqa: S108, S603 - a benchmark script: its own commands, its own scratch files, asserts on answers
"""`make bench`: province-scale benchmark against a separate database (default fupin_bench).

1. creates the database if missing, migrates it, and generates BENCH_HOUSEHOLDS households unless
   its marker (a comment on the database, written by generate_scale) says it already holds them;
2. rebuilds the dashboard figures;
3. starts gunicorn on loopback against that database and times every figure of issue 9 over HTTP,
   and the same SQL statements the view ran, executed directly in the same run (app / raw ratio);
4. prints a table and writes bench/results.json.

Environment: BENCH_HOUSEHOLDS (1000000), BENCH_DB (fupin_bench; fupin_bench_<N> for other sizes), BENCH_PORT (8765), BENCH_REPEAT (40),
BENCH_IMPORT_ROWS / BENCH_EXPORT_ROWS (100000), BENCH_LOAD_SECONDS (20), BENCH_ONLY (HTTP figures whose name contains
one of these words, nothing else), BENCH_SKIP (comma list of
sections to skip: import, export, bulletin, disbursements, batches, load).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.database import deep_cursor, ensure_database, personas, session_for
from bench.environment import (
    DB,
    EXPORT_ROWS,
    IMPORT_ROWS,
    LOAD_SECONDS,
    PORT,
    PY,
    RESULTS,
    ROOT,
    SKIP,
    N,
    log,
)
from bench.timing import Post, measure_http, start_gunicorn, warm_workers
from bench.workloads import bulletin, disbursements, subprocess_json


def main() -> None:
    t0 = time.monotonic()
    data = ensure_database()
    import django

    django.setup()
    from django.db import connection

    from dashboard.services import figures_refresh
    from households.models import Household, Member

    results: dict = {"households": N, "database": DB, "generation": data, "started": dt.datetime.now(dt.UTC).isoformat(),
                     "machine": {"cores": os.cpu_count()}, "http": [], "other": []}  # fmt: skip
    started = time.monotonic()
    refresh = figures_refresh()
    results["other"].append({"what": "dashboard figures refresh", "seconds": round(time.monotonic() - started, 1),
                             "rows": refresh.rows})  # fmt: skip
    log(f"dashboard figures rebuilt in {time.monotonic() - started:.1f} s")
    # The server's durability settings this run wrote with (the development cluster turns them off;
    # production must not), and the machine's load when the measuring started.
    with connection.cursor() as cursor:
        results["durability"] = {}
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            cursor.execute(f"SHOW {setting}")
            results["durability"][setting] = cursor.fetchone()[0]
    results["machine"]["load_average_at_start"] = os.getloadavg()
    log(f"durability {results['durability']}, load average {os.getloadavg()}")

    p = personas()
    county = p["county"]
    sessions = {u.username: session_for(u) for u in (p["clerk"], p["leader"], p["maker"])}
    total = Household.objects.count()
    sample = Household.objects.filter(village__code__startswith=county.code[:6]).order_by("id")[10]
    member = Member.objects.filter(household=sample, relation="head").first()
    id_number = member.reveal_id_number()
    name_prefix = member.name[:2]
    deep_row = min(250_000, total // 2)
    cursor = deep_cursor(p["leader"], deep_row)
    from funds.models import Account

    county_account = Account.objects.filter(kind="county", region=county).first()
    log(f"county {county.name} {county.code}, {total:,} households; deep page at row {deep_row:,}")

    proc = start_gunicorn()
    try:
        c, L = p["clerk"], p["leader"]
        code = county.code
        warm_workers([f"/households/?county={code}", "/api/v1/households/", f"/households/{sample.pk}/"],
                     sessions[c.username])  # fmt: skip
        H = results["http"]
        H.append(
            measure_http(
                "household list page, first page (county)",
                c,
                f"/households/?county={code}",
                sessions,
                "p95 < 50 ms",
            )
        )
        H.append(
            measure_http(
                "household list page, filters (status + cause)",
                c,
                f"/households/?county={code}&status=registered&cause=illness",
                sessions,
                "p95 < 50 ms",
            )
        )
        H.append(
            measure_http(
                "household list API, first page (county)", c, "/api/v1/households/", sessions, "p95 < 50 ms"
            )
        )
        H.append(
            measure_http(
                "household list API, filters (status + cause)",
                c,
                "/api/v1/households/?status=registered&cause=illness",
                sessions,
                "p95 < 50 ms",
            )
        )
        H.append(
            measure_http(
                "household list API, first page (province)", L, "/api/v1/households/", sessions, "p95 < 50 ms"
            )
        )
        H.append(
            measure_http(
                f"household list API, deep page (row {deep_row:,}, province, cursor)",
                L,
                f"/api/v1/households/?cursor={cursor}",
                sessions,
                "p95 < 50 ms",
            )
        )
        # By POST, the number in the body: a URL holding it would stay in logs (issue 15.9).
        H.append(
            measure_http(
                "exact ID search (API)", c, "/api/v1/households/search/", sessions, "p95 < 20 ms",
                post=Post({"id_number": id_number}, json=True),
            )
        )  # fmt: skip
        H.append(
            measure_http(
                "exact ID search (page)", c, "/households/", sessions, "p95 < 20 ms",
                post=Post({"q": id_number}, status=302),
            )
        )  # fmt: skip
        H.append(
            measure_http(
                "name search (page, 2-character prefix)",
                c,
                f"/households/?q={name_prefix}",
                sessions,
                "p95 < 100 ms",
            )
        )
        H.append(
            measure_http(
                "name search (API, province)",
                L,
                f"/api/v1/households/?q={name_prefix}",
                sessions,
                "p95 < 100 ms",
            )
        )
        H.append(
            measure_http("household detail page", c, f"/households/{sample.pk}/", sessions, "p95 < 50 ms")
        )
        H.append(
            measure_http(
                "household detail API", c, f"/api/v1/households/{sample.pk}/", sessions, "p95 < 50 ms"
            )
        )
        # 两不愁三保障 at scale (issue 17): the lists that read the guarantees' facts (generated per household).
        H.append(
            measure_http(
                "should have exited (应退未退) page (county)", c, "/households/exit-due/", sessions, ""
            )
        )
        H.append(
            measure_http(
                "should have exited (应退未退) API (county)", c, "/api/v1/households/exit-due/", sessions, ""
            )
        )
        H.append(
            measure_http("possible omissions (漏评) page (county)", c, "/households/omissions/", sessions, "")
        )
        H.append(
            measure_http(
                "guarantees to be confirmed (county)",
                c,
                "/api/v1/households/guarantees/to-confirm/",
                sessions,
                "",
            )
        )
        H.append(
            measure_http(
                "plans missing or late (county worklist)",
                c,
                f"/assistance/worklist/?region={code}",
                sessions,
                "",
            )
        )
        H.append(
            measure_http(
                "reconciliation (county, finance officer)",
                p["maker"],
                f"/funds/reconciliation/?county={code}",
                sessions,
                "",
            )
        )
        H.append(
            measure_http(
                "ledger of the county account (finance officer)",
                p["maker"],
                f"/funds/accounts/{county_account.pk}/",
                sessions,
                "",
            )
        )
        H.append(measure_http("dashboard overview (province)", L, "/dashboard/", sessions, "p95 < 150 ms"))
        H.append(
            measure_http(
                "dashboard drill-down (county)", L, f"/dashboard/region/{code}/", sessions, "p95 < 300 ms"
            )
        )
        H.append(measure_http("dashboard figure rows (county households)", L, f"/dashboard/region/{code}/rows/households/", sessions, "p95 < 300 ms"))  # fmt: skip

        if "load" not in SKIP:
            url = f"http://127.0.0.1:{PORT}/api/v1/households/"
            load = subprocess_json(["bench/load.py", url, sessions[c.username], "16", str(LOAD_SECONDS)])
            load.update({"what": "list API under load (16 clients, second process, gunicorn -w 4)",
                         "goal": ">= 150 req/s, p95 <= 150 ms"})  # fmt: skip
            results["other"].append(load)
            log(f"  load: {load}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    other = results["other"]
    if "bulletin" not in SKIP:
        other.append(bulletin())
    if "disbursements" not in SKIP:
        other.append(disbursements(p))
    if "batches" not in SKIP:
        from bench.batches import batch_review

        other.append(batch_review(p))
    connection.close()
    if "export" not in SKIP:
        row = subprocess_json(["bench/excel.py", "export", str(EXPORT_ROWS), "bench_leader"])
        row.update({"what": f"Excel export of {EXPORT_ROWS:,} rows", "goal": "< 15 s, peak < 200 MB"})
        other.append(row)
        log(f"  export: {row}")
    if "import" not in SKIP:
        path = "/tmp/fupin-bench-import.xlsx"
        village = (
            Household.objects.filter(village__code__startswith=county.code[:6])
            .values_list("village_id", flat=True)
            .first()
        )
        run = 1 + sum(1 for _ in Path("/tmp").glob("fupin-bench-import*")) + int(time.time()) % 5000
        subprocess.run([PY, "bench/excel.py", "build", path, str(IMPORT_ROWS), village, str(run)], cwd=ROOT,
                       env=dict(os.environ), check=True)  # fmt: skip
        row = subprocess_json(["bench/excel.py", "import", path, "bench_clerk"])
        row.update({"what": f"Excel import of {IMPORT_ROWS:,} rows (valid-rows mode, committed)",
                    "goal": "< 30 s, peak < 300 MB"})  # fmt: skip
        other.append(row)
        log(f"  import: {row}")

    results["http"] = [r for r in results["http"] if r]
    results["seconds"] = round(time.monotonic() - t0, 1)
    results["machine"]["load_average_at_end"] = os.getloadavg()
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))
    print_table(results)


def print_table(results: dict) -> None:
    log("")
    log(f"{'what':<62} {'p50':>8} {'p95':>8} {'max':>8} {'raw p50':>8} {'app/raw':>7} {'q':>3}  goal")
    for r in results["http"]:
        if "error" in r:
            log(f"{r['what'][:62]:<62} failed: {r['error']}")
            continue
        log(f"{r['what'][:62]:<62} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['max_ms']:>8} {r['raw_sql_p50_ms']:>8} "
            f"{r['ratio_app_raw_p50']:>7} {r['queries']:>3}  {r['goal']}")  # fmt: skip
    log("")
    for r in results["other"]:
        log(f"{r['what']}: " + ", ".join(f"{k}={v}" for k, v in r.items() if k not in ("what",)))
    log(f"\nresults written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
