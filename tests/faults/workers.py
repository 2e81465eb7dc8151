"""Real Celery workers as subprocesses, for the kill -9 tests.

Each test gets its own queue on its own Redis database (FAULTS_REDIS_DB, default 13), so the short
visibility timeout of a restarted worker can never hand another test run's unacknowledged
messages back to their queue. The workers use the pytest test database (committed data:
the tests use transactional_db).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from celery import Celery
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "faults"
CELERY = Path(sys.executable).with_name("celery")
REDIS_DB = int(os.environ.get("FAULTS_REDIS_DB", "13"))


def broker_url() -> str:
    url = urlparse(settings.REDIS_URL)
    return urlunparse(url._replace(path=f"/{REDIS_DB}"))


def shared_test_db_url() -> str:
    """The test database the pytest process uses (TEST_DB_NAME), as a DATABASE_URL."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def wait_for(predicate, *, timeout: float, what: str, interval: float = 0.2, alive=None):
    """Poll until predicate() is truthy; fail (never hang) after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if alive is not None:
            alive()
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


class Worker:
    """`celery -A tests.faults.worker_app worker` (prefork, one child) in its own process group."""

    def __init__(self, name: str, queue: str, *, env: dict | None = None):
        self.name, self.queue, self.extra = name, queue, env or {}
        self.proc: subprocess.Popen | None = None
        self.log = ARTIFACTS / f"{queue}-{name}.log"

    def start(self) -> Worker:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
            "DATABASE_URL": shared_test_db_url(),
            "REDIS_URL": broker_url(),
            "FUPIN_FAULT_QUEUE": self.queue,
            "PYTHONPATH": str(ROOT),
            **self.extra,
        }
        cmd = [str(CELERY), "-A", "tests.faults.worker_app", "worker", "-P", "prefork", "-c", "1",
               "-Q", self.queue, "-n", f"{self.name}@{self.queue}", "--without-gossip", "--without-mingle",
               "--without-heartbeat", "-l", "INFO"]  # fmt: skip
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(  # noqa: S603 - our own venv's celery, fixed arguments
                cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def check_alive(self) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            raise AssertionError(f"worker {self.name} exited with {self.proc.returncode}; see {self.log}")

    def children(self) -> set[int]:
        out = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:
                out.add(int(stat.parent.name))
        return out

    def kill_everything(self) -> None:
        """kill -9 of the whole worker (main process and pool children): a lost machine."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        """Warm shutdown, then kill -9 if it does not end in 15 s."""
        if self.proc is None or self.proc.poll() is not None:
            self.kill_everything()
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        self.kill_everything()


class Broker:
    """Sends tasks by name to the test's queue and looks at what Redis still holds for it."""

    def __init__(self):
        self.queue = f"fupin-faults-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.app = Celery("fupin-faults", broker=broker_url(), backend=broker_url())
        self.app.conf.broker_transport_options = {"socket_connect_timeout": 2}

    def send(self, name: str, *args):
        return self.app.send_task(name, args=list(args), queue=self.queue)

    def redis(self):
        return self.app.connection_for_write().default_channel.client

    def settled(self) -> bool:
        """Nothing of ours left in the queue or unacknowledged."""
        client = self.redis()
        if client.llen(self.queue):
            return False
        return not any(self.queue.encode() in v for v in client.hvals("unacked"))

    def close(self) -> None:
        client = self.redis()
        client.delete(self.queue, f"_kombu.binding.{self.queue}")
        self.app.close()
