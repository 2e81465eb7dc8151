"""PostgreSQL clusters of the operations tests: a primary, a streaming standby made from it with
pg_basebackup, and a cluster restored from a base backup and archived WAL to a point in time.

Each is a throwaway cluster on a free loopback port under /var/tmp/fupin-faults (as the fault tests'
tests/faults/pg_cluster.py, whose way of finding the binaries and running them as the postgres user
it reuses), stopped and removed afterwards. The product itself runs against them in a subprocess
(`run_product`), configured only through the environment as a deployment is.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

from tests.faults.pg_cluster import Cluster

ROOT = Path(__file__).resolve().parents[2]
DBNAME = "fupin_faults"


class OpsCluster(Cluster):
    """A cluster started with extra server settings (WAL archiving, replication)."""

    def __init__(self, **settings):
        super().__init__()
        self.settings = {"max_connections": "100", "max_wal_senders": "5", "wal_level": "replica",
                         "full_page_writes": "on", **settings}  # fmt: skip

    archive: Path | None = None

    def start(self) -> None:
        if self.archive is not None and not self.archive.exists():
            self.archive.mkdir()
            self.give_to_postgres(self.archive)
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off"
        options += "".join(f" -c {k}={v}" for k, v in self.settings.items())
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "pg.log"), "-w", "-t", "60",
                  "-o", options, "start")  # fmt: skip

    def give_to_postgres(self, *paths: Path) -> None:
        if self.root:
            pw = pwd.getpwnam("postgres")
            for path in paths:
                os.chown(path, pw.pw_uid, pw.pw_gid)

    def psql(self, sql: str, *, db: str = DBNAME) -> str:
        result = self._run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", db,
                           "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql, client=True)  # fmt: skip
        return result.stdout.strip()

    def base_backup(self, target: Path) -> None:
        """pg_basebackup of this running cluster (as the operator's cron job runs it)."""
        self._run("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-D", str(target),
                  "-X", "stream", "-c", "fast", "--no-sync", timeout=120)  # fmt: skip

    def log_tail(self) -> str:
        path = self.dir / "pg.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


def new_primary(**settings) -> OpsCluster:
    primary = OpsCluster(**settings)
    primary.start_new()
    return primary


def standby_of(primary: OpsCluster) -> OpsCluster:
    """A streaming replica: pg_basebackup -R -X stream -c fast, started on its own port."""
    standby = OpsCluster(hot_standby="on", max_connections=primary.settings["max_connections"])
    standby.dir.mkdir(parents=True)
    standby.give_to_postgres(standby.dir)
    primary._run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "-D",
                 str(standby.data), "-R", "-X", "stream", "-c", "fast", "--no-sync", timeout=120)  # fmt: skip
    standby.start()
    return standby


def dump_test_schema(tmp: Path) -> Path:
    """The migrated test database of this pytest run as a pg_dump file (restoring it into a cluster is
    much faster than migrating one)."""
    s = connection.settings_dict
    dump = tmp / "test-db.dump"
    env = {**os.environ, "PGPASSWORD": s["PASSWORD"] or ""}
    dumped = subprocess.run(  # noqa: S603 - our own binaries, fixed arguments
        [str(Cluster().bin / "pg_dump"), "-Fc", "-f", str(dump), "-h", s["HOST"] or "127.0.0.1",
         "-p", str(s["PORT"] or 5432), "-U", s["USER"], "-d", s["NAME"]],
        capture_output=True, text=True, timeout=180, check=False, env=env,
    )  # fmt: skip
    assert dumped.returncode == 0, dumped.stderr
    return dump


def product_env(cluster: OpsCluster, **extra: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{cluster.port}/{DBNAME}",
        "DATABASE_REPLICA_URLS": "",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def run_product(module: str, env: dict, *args: str, timeout: float = 120) -> dict:
    """`python -m tests.ops.<module> args…` against the clusters in `env`: its last stdout line is JSON."""
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", f"tests.ops.{module}", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"{module} {args} failed:\n{result.stderr[-4000:]}"
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, f"{module} printed no result:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    out = json.loads(lines[-1])
    out["_seconds"] = round(time.monotonic() - started, 1)
    return out


def remove(*clusters: OpsCluster | None) -> None:
    for cluster in clusters:
        if cluster is not None:
            cluster.destroy()


def archiving_primary() -> OpsCluster:
    """A primary that copies every finished WAL segment to its `archive` folder (README: archive_command)."""
    primary = OpsCluster()
    primary.archive = primary.dir / "wal-archive"
    command = f"test ! -f {primary.archive}/%f && cp %p {primary.archive}/%f"
    primary.settings.update(archive_mode="on", archive_command=f"'{command}'")
    primary.start_new()
    return primary


def wait_archived(cluster: OpsCluster, segment: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while cluster.psql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver") < segment:
        if time.monotonic() > deadline:
            raise AssertionError(
                f"WAL segment {segment} not archived in {timeout:.0f} s:\n{cluster.log_tail()}"
            )
        time.sleep(0.1)


def restored_to(backup: Path, archive: Path, target_time: str) -> OpsCluster:
    """A fresh cluster from the base backup, its archived WAL replayed up to `target_time`, then promoted
    (README "Restore to a point in time": the same steps by hand)."""
    cluster = OpsCluster()
    cluster.dir.mkdir(parents=True)
    shutil.copytree(backup, cluster.data)
    (cluster.data / "recovery.signal").write_text("")
    with (cluster.data / "postgresql.auto.conf").open("a") as conf:
        conf.write(f"restore_command = 'cp {archive}/%f %p'\n"
                   f"recovery_target_time = '{target_time}'\n"
                   "recovery_target_action = 'promote'\n")  # fmt: skip
    if cluster.root:
        subprocess.run(["chown", "-R", "postgres:postgres", str(cluster.dir)], check=True)  # noqa: S603, S607
    cluster.data.chmod(0o700)
    try:
        cluster.start()
    except AssertionError as failed:
        raise AssertionError(f"{failed}\n{cluster.log_tail()}") from None
    deadline = time.monotonic() + 60
    while cluster.psql("SELECT pg_is_in_recovery()", db="postgres") != "f":
        if time.monotonic() > deadline:
            raise AssertionError(f"the restored cluster did not finish recovery:\n{cluster.log_tail()}")
        time.sleep(0.1)
    return cluster
