# ruff: noqa: S101, S108, S603 - a benchmark script: its own commands, its own scratch files, asserts on answers
"""Timing a figure: over HTTP against gunicorn, and the same SQL statements the view ran, executed
directly (app / raw ratio)."""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench.database import session_for
from bench.environment import PORT, PY, REPEAT, ROOT, log, pct, summary


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
