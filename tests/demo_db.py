"""One demo database for the whole test run, copied for each module that reads the demo.

Seeding the demo takes a minute or more of one core, and about ten modules read it (the page walk,
the six-ones board, the dashboard's figures, the demo inboxes, the issue-19 consequences, …): each
seeded its own. Now the first module that asks builds a template database once (a copy of the
run's migrated test database, the demo seeded in it and its tables analysed), under an advisory
lock so that the other worker waits for it instead of seeding its own; every module then gets a
fresh copy of that template (CREATE DATABASE … TEMPLATE, a second or two) for its tests, and the
default connection points at the copy until the module ends. Each test still runs in its own
transaction there; what a module writes never reaches the next module.

The template is named after the run's test database and carries a fingerprint of the product's
code (every .py file outside tests/, and the migrated template it was copied from): a developer's
`--reuse-db` run rebuilds it when the code changed. The demo's files (guarantee photos) live in
one media folder of their own, `test-artifacts/media-demo`, which the copies' modules read.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MEDIA = ROOT / "test-artifacts" / "media-demo"
LOCK_KEY = 4_108_2017  # pg_advisory_lock: one builder at a time, across the run's workers
SCORE_MONTHS = 1
NOT_PRODUCT = {
    "tests",
    "node_modules",
    "bench",
    "scale",
    "test-artifacts",
    "staticfiles",
    "media",
    "docs",
}  # `make run` scores three months; one is enough for the tests


def _fingerprint(source: str) -> str:
    digest = hashlib.sha256(source.encode())
    for top in sorted(ROOT.iterdir()):
        if not top.is_dir() or top.name.startswith(".") or top.name in NOT_PRODUCT:
            continue
        for path in sorted(top.rglob("*.py")):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return "fupin-demo:" + digest.hexdigest()[:20]


def _names() -> tuple[str, str, str]:
    """(this worker's test database, the database the template is copied from, the template)."""
    from django.db import connection

    worker = connection.settings_dict["NAME"]
    base = os.environ.get("FUPIN_TEST_TEMPLATE") or re.sub(r"_gw\d+$", "", worker)
    return worker, base, f"{base}_demo"


@contextlib.contextmanager
def _on(name: str):
    """The default connection (and every connection opened meanwhile, the live server's too) on `name`."""
    from django.db import connection

    previous = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = previous


def _build(template: str, source: str) -> None:
    """The template: `source` copied, the demo seeded in it (committed), its tables analysed."""
    import shutil

    from django.db import connection, transaction
    from django.test import override_settings

    from core.regions_data import load_regions
    from tests.conftest import seed_demo

    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(template)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quote(template)} TEMPLATE {quote(source)}")
    shutil.rmtree(MEDIA, ignore_errors=True)
    with _on(template), override_settings(MEDIA_ROOT=MEDIA):
        with transaction.atomic():
            load_regions(prefix="4108")
            seed_demo(score_months=SCORE_MONTHS)
            # What the seed queued for after its commit (figures, notifications) is dropped, as it
            # was when each module seeded inside its rolled-back transaction: no worker runs it on
            # another database.
            connection.run_on_commit = []
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def demo_template() -> str:
    """The run's demo template, built if missing or made from other code."""
    import psycopg
    from django.db import connection
    from psycopg import sql

    worker, base, template = _names()
    # The source must have no other session while it is copied: this worker's own test database
    # when no migrated template was given (a developer's run), closed first.
    source = base if os.environ.get("FUPIN_TEST_TEMPLATE") else worker
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    params["dbname"] = "postgres"
    with psycopg.connect(**params, autocommit=True) as admin:
        oid = admin.execute("SELECT oid FROM pg_database WHERE datname = %s", [source]).fetchone()
        wanted = _fingerprint(f"{source}:{oid[0] if oid else ''}")
        admin.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            row = admin.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [template]
            ).fetchone()
            if row is None or row[0] != wanted:
                connection.close()
                _build(template, source)
                admin.execute(
                    sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                        sql.Identifier(template), sql.Literal(wanted)
                    )
                )
        finally:
            admin.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    return template


@contextlib.contextmanager
def demo_copy(django_db_blocker):
    """For a module-scoped fixture: the default connection on a fresh copy of the demo template
    while the module's tests run (each in its own transaction, as usual), the demo's media folder
    as MEDIA_ROOT; the copy is dropped after the last test."""
    from django.db import connection
    from django.test import override_settings

    with django_db_blocker.unblock():
        template = demo_template()
        worker = connection.settings_dict["NAME"]
        copy = f"{worker}_democopy"
        quote = connection.ops.quote_name
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(copy)} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {quote(copy)} TEMPLATE {quote(template)}")
    try:
        with _on(copy), override_settings(MEDIA_ROOT=MEDIA):
            yield
    finally:
        with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(copy)} WITH (FORCE)")


@pytest.fixture(scope="module")
def demo_database(django_db_setup, django_db_blocker):
    """The demo, for this module's tests: see the module's docstring."""
    with demo_copy(django_db_blocker):
        yield
