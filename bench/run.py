# ruff: noqa: S101, S108, S603 - a benchmark script: its own commands, its own scratch files, asserts on answers
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
sections to skip: import, export, bulletin, disbursements, load).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable

N = int(os.environ.get("BENCH_HOUSEHOLDS", "1000000"))
# One database per size, so a quick run never replaces the 1,000,000-household data.
DB = os.environ.get("BENCH_DB") or ("fupin_bench" if N == 1_000_000 else f"fupin_bench_{N}")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "40"))
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
EXPORT_ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", "100000"))
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))
SKIP = set(filter(None, os.environ.get("BENCH_SKIP", "").split(",")))
if os.environ.get("BENCH_ONLY"):  # only the named HTTP figures (and sections named there)
    SKIP |= {"import", "export", "bulletin", "disbursements", "load"} - set(
        os.environ["BENCH_ONLY"].split(",")
    )
RESULTS = ROOT / "bench" / "results.json"

if DB == "fupin" or DB.startswith("test_"):
    raise SystemExit(f"BENCH_DB={DB}: the benchmark never touches the dev or test databases")
base_url = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:55432/fupin"))
BENCH_URL = urlunparse(base_url._replace(path="/" + DB))
ADMIN_URL = urlunparse(base_url._replace(path="/postgres"))
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ["DEBUG"] = "0"
# A Redis database of its own, so nothing the benchmark might queue reaches anyone's worker.
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:56379/15")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")


def log(msg: str) -> None:
    sys.stdout.write(msg + "\n")
    sys.stdout.flush()


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def summary(ms: list[float]) -> dict:
    return {
        "n": len(ms),
        "p50_ms": round(pct(ms, 0.5), 1),
        "p95_ms": round(pct(ms, 0.95), 1),
        "max_ms": round(max(ms), 1),
    }


# --- 1. the database -------------------------------------------------------------------------------


def ensure_database() -> dict:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone()
        marker = None
        if exists:
            with psycopg.connect(BENCH_URL) as conn:
                text = conn.execute(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
                ).fetchone()[0]
            if text and text.startswith("fupin-scale:"):
                marker = json.loads(text[len("fupin-scale:") :])
        if marker and marker.get("households") == N:
            log(f"{DB} already holds {N:,} households (generated {marker.get('generated_at')}): reused")
            # Migrations added since the data was generated apply to it as they would in production.
            subprocess.run(
                [PY, "manage.py", "migrate", "--noinput", "-v", "0"],
                cwd=ROOT,
                env=dict(os.environ),
                check=True,
            )
            return {"reused": True, **marker}
        if exists:
            log(
                f"{DB} holds {marker and marker.get('households')} generated households, not {N:,}: recreated"
            )
            admin.execute(f'DROP DATABASE "{DB}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DB}"')
    env = dict(os.environ)
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    started = time.monotonic()
    subprocess.run([PY, "manage.py", "generate_scale", "--households", str(N)], cwd=ROOT, env=env, check=True)
    seconds = time.monotonic() - started
    log(f"generated {N:,} households in {seconds:.0f} s")
    with psycopg.connect(BENCH_URL) as conn:
        text = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
        ).fetchone()[0]
    return {"reused": False, "wall_seconds": round(seconds, 1), **json.loads(text[len("fupin-scale:") :])}


# --- 2. personas and the objects the requests name -------------------------------------------------


def personas():
    from django.contrib.auth.models import Group
    from django.db.models import Count
    from django.db.models.functions import Substr

    from core.models import Region, RegionLevel, Role, User
    from households.models import Household

    # The county with the most households.
    top = (
        Household.objects.annotate(c=Substr("village_id", 1, 6))
        .values("c")
        .annotate(n=Count("id"))
        .order_by("-n")
    ).first()
    county6 = top["c"]
    county = Region.objects.get(code=county6.ljust(12, "0"))
    province = Region.objects.filter(level=RegionLevel.PROVINCE).first()

    def user(name, role, region):
        u, _ = User.objects.get_or_create(username=name, defaults={"full_name": name, "region": region})
        u.region = region
        u.save()
        u.groups.set([Group.objects.get(name=role)])
        return User.objects.get(pk=u.pk)

    return {
        "county": county,
        "province": province,
        "clerk": user("bench_clerk", Role.COUNTY_CLERK, county),
        "leader": user("bench_leader", Role.LEADER, province),
        "maker": user("bench_maker", Role.FINANCE_OFFICER, county),
        "checker": user("bench_checker", Role.FINANCE_OFFICER, county),
    }


def session_for(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def deep_cursor(actor, row: int) -> str:
    """The API's own cursor for the page starting at `row` (DRF: base64 of "p=<position>")."""
    from households import selectors

    qs = selectors.household_list(actor=actor).order_by("updated_at", "id")
    h = qs[row : row + 1].get()
    return base64.b64encode(urlencode({"p": str(h.updated_at)}).encode()).decode()


# --- 3. timing over HTTP and in raw SQL -------------------------------------------------------------


def captured_sql(user, path: str, post: Post | None = None) -> list[str]:
    """The SELECTs the view runs for this request (Django test client in this process)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)

    def send():
        if post is None:
            return client.get(path)
        if post.json:
            return client.post(path, json.dumps(post.data), content_type="application/json")
        return client.post(path, post.data)

    send()
    with CaptureQueriesContext(connection) as ctx:
        response = send()
    status = post.status if post else 200
    assert response.status_code == status, (path, response.status_code)
    return [q["sql"] for q in ctx.captured_queries]


def raw_times(statements: list[str], repeat: int) -> list[float]:
    from django.db import connection

    selects = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    out = []
    with connection.cursor() as cursor:
        for s in selects:  # warm
            cursor.execute(s)
            cursor.fetchall()
        for _ in range(repeat):
            t = time.perf_counter()
            for s in selects:
                cursor.execute(s)
                cursor.fetchall()
            out.append((time.perf_counter() - t) * 1000)
    return out


@dataclass
class Post:
    """A figure measured by POST: a search whose terms must not be in the URL (a full ID number
    goes in the body, issue 15.9). `status`: the answer expected (the page redirects to the one
    household found: the redirect itself is timed, the household page has its own figure)."""

    data: dict
    json: bool = False
    status: int = 200


CSRF = "benchcsrftoken0123456789abcdefgh"  # any 32 letters: Django compares the cookie and the header


def http_times(http, url: str, repeat: int, post: Post | None = None) -> list[float]:
    def send(timeout):
        if post is None:
            return http.get(url, timeout=timeout)
        http.cookies.set("csrftoken", CSRF)
        body = {"json": post.data} if post.json else {"data": post.data}
        headers = {"X-CSRFToken": CSRF, "Referer": url}
        return http.post(url, timeout=timeout, allow_redirects=False, headers=headers, **body)

    status = post.status if post else 200
    for _ in range(2):
        t = time.perf_counter()
        r = send(120)
        assert r.status_code == status, (url, r.status_code, r.text[:300])
    if time.perf_counter() - t > 1:  # pages of seconds: fewer repetitions keep the run bounded
        repeat = min(repeat, 10)
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        r = send(60)
        out.append((time.perf_counter() - t) * 1000)
        assert r.status_code == status, (url, r.status_code)
    return out


SESSION_TABLES = ("django_session", "core_user", "auth_group", "auth_permission", "axes_")


ONLY = [w for w in os.environ.get("BENCH_ONLY", "").split(",") if w]  # figure names containing one of these


def measure_http(
    name: str, user, path: str, sessions: dict, goal: str = "", post: Post | None = None
) -> dict | None:
    if ONLY and not any(w in name for w in ONLY):
        return None
    import requests

    http = requests.Session()
    http.cookies.set("sessionid", sessions[user.username])
    try:
        app = http_times(http, f"http://127.0.0.1:{PORT}{path}", REPEAT, post)
    except AssertionError as error:  # once, a session was refused mid-run: log in again, then give up
        log(f"  {name}: {error.args[0][:2]}, retrying with a new session")
        sessions[user.username] = session_for(user)
        http.cookies.set("sessionid", sessions[user.username])
        try:
            app = http_times(http, f"http://127.0.0.1:{PORT}{path}", REPEAT, post)
        except AssertionError as error:
            log(f"  {name}: failed again: {error.args[0][:2]}")
            return {"what": name, "path": path, "goal": goal, "error": str(error.args[0][:2])}
    sql = captured_sql(user, path, post)
    raw = raw_times(sql, len(app))
    data_queries = [s for s in sql if not any(t in s for t in SESSION_TABLES)]
    row = {
        "what": name, "path": path, "goal": goal, **summary(app),
        "raw_sql_p50_ms": round(pct(raw, 0.5), 2), "raw_sql_p95_ms": round(pct(raw, 0.95), 2),
        "ratio_app_raw_p50": round(pct(app, 0.5) / max(pct(raw, 0.5), 0.01), 1),
        "queries": len(sql), "data_queries": len(data_queries),
    }  # fmt: skip
    log(f"  {name}: p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, raw SQL p50 {row['raw_sql_p50_ms']} ms, "
        f"ratio {row['ratio_app_raw_p50']}, queries {row['queries']} ({row['data_queries']} data)")  # fmt: skip
    return row


def warm_workers(urls: list[str], session: str) -> None:
    """Every gunicorn worker loads templates and translation catalogs on its first page: without
    this, the first figure measured paid for the cold workers (p95 1.7 s on a 30 ms page)."""
    import threading

    import requests

    def hit() -> None:
        http = requests.Session()
        http.cookies.set("sessionid", session)
        for _ in range(3):
            for url in urls:
                http.get(f"http://127.0.0.1:{PORT}{url}", timeout=120)

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def start_gunicorn() -> subprocess.Popen:
    env = dict(os.environ)
    # As production runs it (config/settings/production.py): connections kept, not one per request.
    if "conn_max_age" not in env["DATABASE_URL"]:
        env["DATABASE_URL"] += ("&" if "?" in env["DATABASE_URL"] else "?") + "conn_max_age=60"
    import socket

    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            raise SystemExit(f"port {PORT} is in use: set BENCH_PORT")
    proc = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "config.wsgi", "-w", "4", "-b", f"127.0.0.1:{PORT}",
         "--access-logfile", "-", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open("/tmp/fupin-bench-gunicorn.log", "w"),  # noqa: SIM115
    )  # fmt: skip
    import requests

    for _ in range(120):
        try:
            if requests.get(f"http://127.0.0.1:{PORT}/healthz", timeout=10).status_code in (200, 503):
                return proc
        except requests.RequestException:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("gunicorn did not start: see /tmp/fupin-bench-gunicorn.log")


# --- other figures ---------------------------------------------------------------------------------


def bulletin() -> dict:
    from accountability.models import Bulletin
    from accountability.periods import previous_month, today
    from accountability.tasks import monthly_bulletin

    month = previous_month(today())
    while Bulletin.objects.filter(month=month).exists():  # a published month is never regenerated
        month = previous_month(month)
    started = time.monotonic()
    result = monthly_bulletin(month.isoformat())
    seconds = time.monotonic() - started
    log(f"  monthly bulletin {month:%Y-%m}: {seconds:.1f} s ({result['scored']}; {result.get('seconds')})")
    return {"what": "monthly bulletin (score the month + every city's bulletin)", "month": month.isoformat(),
            "seconds": round(seconds, 1), "goal": "< 60 s", "scored": result["scored"],
            "parts": result.get("seconds")}  # fmt: skip


def disbursements(p) -> dict:
    """Concurrent request + approval through the services; every key sent twice; count entries after."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from funds.models import Account, AccountKind, DisbursementRequest, Entry
    from funds.services.disbursements import disbursement_approve, disbursement_request_create
    from households.models import Household

    county = p["county"]
    account = Account.objects.filter(kind=AccountKind.COUNTY, region=county).order_by("-balance").first()
    households = list(
        Household.objects.filter(village__code__startswith=county.code[:6], status="registered").order_by(
            "id"
        )[:400]
    )
    run = f"b{int(time.time())}"
    lock = threading.Lock()
    done = []

    failures: list[str] = []

    def pay(i: int) -> None:
        hh = households[i % len(households)]
        key = f"{run}-{i}"
        try:
            for _attempt in range(2):  # the same request sent twice: must pay once
                req, _created = disbursement_request_create(
                    actor=p["maker"], idempotency_key=key, from_account=account, amount="100.00",
                    purpose="产业奖补", payee_kind="household", household=hh,
                )  # fmt: skip
                disbursement_approve(actor=p["checker"], request=req)
            with lock:
                done.append(req.pk)
        except Exception as error:  # counted and reported (e.g. a deadlock), never hidden
            with lock:
                failures.append(f"{type(error).__name__}: {str(error).splitlines()[0]}")
        finally:
            connection.close()

    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(pay, range(len(households))))
    seconds = time.monotonic() - started
    reqs = DisbursementRequest.objects.filter(idempotency_key__startswith=f"{run}-")
    entries = Entry.objects.filter(request__in=reqs).count()
    row = {"what": "disbursements through the service, 8 threads (request + approval, each sent twice)",
           "payments": len(done), "seconds": round(seconds, 1), "per_second": round(len(done) / seconds, 1),
           "requests": reqs.count(), "entries": entries, "duplicates": entries - reqs.filter(status="approved").count(),
           "failures": len(failures), "failure_kinds": sorted(set(failures))[:5],
           "goal": ">= 100/s, zero duplicates"}  # fmt: skip
    log(f"  disbursements: {row['per_second']}/s, {row['duplicates']} duplicates, {row['failures']} failed")
    return row


def subprocess_json(args: list[str]) -> dict:
    out = subprocess.run(
        [PY, *args], cwd=ROOT, env=dict(os.environ), check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- main ------------------------------------------------------------------------------------------


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
