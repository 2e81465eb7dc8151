"""A throwaway PostgreSQL cluster for the restart test (never the shared one on 55432).

initdb in /var/tmp/fupin-faults/pg-<random> on a free loopback port, run as the postgres user
(PostgreSQL refuses root; runuser as in scripts/services.sh), removed afterwards. Restarting it
breaks nobody else's test run.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import uuid
from pathlib import Path

BASE = Path(os.environ.get("FUPIN_FAULTS_STATE_DIR", "/var/tmp/fupin-faults"))  # noqa: S108 - beside /var/tmp/fupin


def _bindir() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    for d in reversed(candidates):
        if (d / "initdb").exists():
            return d
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise AssertionError(
        "The PostgreSQL restart test needs the PostgreSQL server binaries (initdb, pg_ctl): "
        "run `make services` (it installs them) or install postgresql."
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self):
        self.bin = _bindir()
        self.dir = BASE / f"pg-{uuid.uuid4().hex[:8]}"
        self.data = self.dir / "data"
        self.port = free_port()
        self.root = os.geteuid() == 0

    def _run(self, *args: str, timeout: float = 60, client: bool = False) -> subprocess.CompletedProcess:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.root and not client:  # the server and its control tools run as postgres
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603
        if result.returncode != 0:
            raise AssertionError(
                f"{' '.join(cmd)} failed ({result.returncode}): {result.stderr or result.stdout}"
            )
        return result

    def start_new(self) -> Cluster:
        self.dir.mkdir(parents=True)
        if self.root:
            pw = pwd.getpwnam("postgres")  # fails clearly if there is no postgres user
            for d in (BASE, self.dir):
                os.chown(d, pw.pw_uid, pw.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "fupin_faults")
        return self

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/fupin_faults"

    def stop(self) -> None:
        """pg_ctl stop -m fast: every session is cut (the first half of a restart)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")  # fmt: skip
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "pg.log"), "-w", "-t", "60", "-o", options,
                  "start")  # fmt: skip

    def load(self, dump: Path) -> None:
        """Restore a pg_dump -Fc file (the migrated test database) into fupin_faults."""
        self._run("pg_restore", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "fupin_faults",
                  "--no-owner", str(dump), timeout=120, client=True)  # fmt: skip

    def destroy(self) -> None:
        with contextlib.suppress(AssertionError, subprocess.TimeoutExpired):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "-t", "30", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)
