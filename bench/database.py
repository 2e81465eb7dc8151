# ruff: noqa: S603 - a benchmark script: its own commands, its own scratch files, asserts on answers
"""The benchmark database (created, migrated and generated once per size) and the personas whose
requests are timed."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import time

from bench.environment import ADMIN_URL, BENCH_URL, DB, PY, ROOT, N, log
from scale.version import GENERATOR_VERSION

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
        if marker and marker.get("households") == N and marker.get("version") == GENERATOR_VERSION:
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
                f"{DB} holds {marker and marker.get('households')} generated households (generator version "
                f"{marker and marker.get('version')}), not {N:,} of version {GENERATOR_VERSION}: recreated"
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
    """The API's own cursor for the page starting at `row`: core.api.pagination's keyset token, the
    whole ordering key (updated_at, id) of that row, inclusive."""
    from core.api.pagination import _encode_value
    from households import selectors

    qs = selectors.household_list(actor=actor).order_by("updated_at", "id")
    h = qs[row : row + 1].get()
    body = {"p": [_encode_value(h.updated_at), _encode_value(h.id)], "i": 1}
    return base64.urlsafe_b64encode(json.dumps(body, separators=(",", ":")).encode()).decode().rstrip("=")
