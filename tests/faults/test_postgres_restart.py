"""PostgreSQL restarts while the app serves requests: errors meanwhile, then it recovers by itself.

The test starts its OWN PostgreSQL cluster (tests/faults/pg_cluster.py, a free loopback port),
migrates a database there, and runs the app under gunicorn against it with persistent connections
(conn_max_age=60, CONN_HEALTH_CHECKS on). A client thread requests an ORM-backed API list (with a
token) and /healthz without pause; the cluster is restarted (`pg_ctl restart -m fast`). Every
request must end within its timeout: 200 before, a clean 5xx or refused connection during, and
200 again afterwards — without restarting gunicorn.
"""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from .pg_cluster import Cluster, free_port
from .workers import ARTIFACTS, ROOT, shared_test_db_url, wait_for

BIN = Path(sys.executable).parent
REQUEST_TIMEOUT = 10
SETUP = """
from core.models import Role
from core.regions_data import load_regions
from core.services import api_token_issue
from tests.factories.core import UserFactory
from core.models import Region
if not Region.objects.filter(code="410821000000").exists():
    load_regions(prefix="410821")
user = UserFactory(roles=[Role.COUNTY_CLERK], region_id="410821000000", username="faults_clerk")
print(api_token_issue(actor=user, name="faults")[1])
"""


def manage(env, *args, timeout=300):
    result = subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, capture_output=True,  # noqa: S603
                            text=True, timeout=timeout, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def cluster():
    c = Cluster()
    try:
        yield c.start_new()
    finally:
        c.destroy()


@pytest.fixture(scope="module")
def app_server(cluster, django_db_setup, tmp_path_factory):
    # The schema (and roles) come from the migrated test database: a dump is much faster than migrate.
    dump = tmp_path_factory.mktemp("faults-dump") / "test-db.dump"
    dumped = subprocess.run([str(cluster.bin / "pg_dump"), "-Fc", "-f", str(dump), "-d", shared_test_db_url()],  # noqa: S603
                            capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert dumped.returncode == 0, dumped.stderr
    cluster.load(dump)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "DATABASE_URL": cluster.url + "?conn_max_age=60", "PYTHONPATH": str(ROOT)}  # fmt: skip
    manage(env, "migrate", "--noinput", "-v", "0")  # nothing to do, unless the dump lags behind
    token = manage(env, "shell", "-c", SETUP).strip().splitlines()[-1]
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = (ARTIFACTS / "postgres-restart-gunicorn.log").open("wb")
    proc = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "config.wsgi", "-w", "2", "--threads", "2", "-b", f"127.0.0.1:{port}",
         "--timeout", "30", "--graceful-timeout", "5", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _get(base + "/healthz") == 200, timeout=60, what="gunicorn to answer /healthz",
                 alive=lambda: proc.poll() is None or pytest.fail(f"gunicorn exited; see {log.name}"))  # fmt: skip
        yield base, token, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def _get(url, headers=None):
    try:
        return requests.get(url, headers=headers, timeout=REQUEST_TIMEOUT).status_code
    except requests.ConnectionError:
        return "refused"
    except requests.Timeout:
        return "timeout"


def test_app_answers_errors_while_postgres_restarts_then_recovers_without_a_restart(cluster, app_server):
    base, token, gunicorn = app_server
    api = (base + "/api/v1/officers/", {"Authorization": f"Token {token}"})
    health = (base + "/healthz", None)
    results: list[tuple[float, str, object, float]] = []
    stop = threading.Event()

    def client():
        while not stop.is_set():
            for name, (url, headers) in (("api", api), ("health", health)):
                started = time.monotonic()
                status = _get(url, headers)
                results.append((started, name, status, time.monotonic() - started))
            time.sleep(0.05)

    def seen(since, name, ok, n):
        return sum(1 for t, k, s, _d in results if t >= since and k == name and (s == 200) == ok) >= n

    thread = threading.Thread(target=client, daemon=True)
    thread.start()
    try:
        start = time.monotonic()
        wait_for(lambda: seen(start, "api", True, 5) and seen(start, "health", True, 5), timeout=60,
                 what="200s before the restart")  # fmt: skip
        down = time.monotonic()
        cluster.stop()  # restart, first half: -m fast cuts every session, the workers' persistent ones too
        wait_for(lambda: seen(down, "api", False, 3) and seen(down, "health", False, 3), timeout=30,
                 what="requests to fail while PostgreSQL is down")  # fmt: skip
        cluster.start()
        up = time.monotonic()
        wait_for(lambda: seen(up, "api", True, 5) and seen(up, "health", True, 5), timeout=30,
                 what="the app to answer 200 again after the restart (gunicorn not restarted)")  # fmt: skip
    finally:
        stop.set()
        thread.join(timeout=REQUEST_TIMEOUT * 2 + 5)
    assert not thread.is_alive(), "a request hung"
    assert gunicorn.poll() is None, "gunicorn died"
    (ARTIFACTS / "postgres-restart.txt").write_text(
        "".join(f"{t - start:7.2f}s {n:6} {s} in {d:.2f}s\n" for t, n, s, d in results)
    )
    # Before: requests that ended before the stop began (one in flight when it began may fail, as
    # it should: its connection is cut).
    before = {s for t, _n, s, d in results if t + d < down}
    during = [s for t, _n, s, _d in results if down <= t <= up]
    settled = [s for t, _n, s, _d in results if t > up]
    assert before == {200}, before
    # While down: a clean 5xx (503 from /healthz, 500 from the API) or a refused connection (a request
    # that began just before the stop may still end 200); nothing hangs.
    assert all(s == 200 or s == "refused" or (isinstance(s, int) and s >= 500) for s in during), during
    assert sum(s != 200 for s in during) >= 6, during
    assert max(d for *_x, d in results) < REQUEST_TIMEOUT
    # Recovered by itself: every request after the restart answers 200.
    assert set(settled) == {200}, settled
