"""Settings come from the environment; a malformed value stops start-up naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import env

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("helper", "name", "value"),
    [
        (env.env_bool, "DEBUG", "maybe"),
        (env.env_int, "SESSION_IDLE_SECONDS", "ten"),
        (env.env_list, "ALLOWED_HOSTS", "a.example,,b.example"),
        (env.env_database, "DATABASE_URL", "mysql://root@localhost/db"),
        (env.env_database, "DATABASE_URL", "postgres://localhost:99999/db"),
        (env.env_database, "DATABASE_URL", "postgres://localhost:5432/"),
        (env.env_redis, "REDIS_URL", "http://localhost:6379"),
        (env.env_redis, "REDIS_URL", "redis://localhost:6379/zero"),
    ],
)
def test_malformed_value_names_the_variable(monkeypatch, helper, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        helper(name)


def test_required_variable_missing_is_named(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        env.env_str("SECRET_KEY")


def test_database_url_is_parsed(monkeypatch):
    monkeypatch.setenv(
        "DATABASE_URL", "postgres://app:p%40ss@db.internal:6543/fupin?sslmode=require&conn_max_age=60"
    )
    db = env.env_database("DATABASE_URL")
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "app",
        "p@ss",
        "db.internal",
        "6543",
        "fupin",
    )
    # The URL's own options, and the idle-in-transaction bound the change feed's delay rests on.
    assert db["OPTIONS"] == {
        "sslmode": "require",
        "options": "-c idle_in_transaction_session_timeout=60000 -c jit=off",
    }
    assert db["CONN_MAX_AGE"] == 60
    monkeypatch.setenv("DB_IDLE_IN_TRANSACTION_SECONDS", "0")  # 0: never
    assert (
        env.env_database("DATABASE_URL")["OPTIONS"]["options"]
        == "-c idle_in_transaction_session_timeout=0 -c jit=off"
    )


@pytest.mark.django_db
def test_the_application_s_connections_compile_no_query_just_in_time():
    """JIT compilation off on every connection the settings make (PostgreSQL's default is on): a
    query whose estimate crosses jit_above_cost spent far longer compiling than running."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW idle_in_transaction_session_timeout")
        assert cursor.fetchone()[0] == "1min"


def test_connection_age_defaults_to_the_caller_and_the_url_wins(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://db.internal/fupin")
    assert env.env_database("DATABASE_URL")["CONN_MAX_AGE"] == 0
    assert env.env_database("DATABASE_URL", conn_max_age=60)["CONN_MAX_AGE"] == 60
    monkeypatch.setenv("DATABASE_URL", "postgres://db.internal/fupin?conn_max_age=0")
    assert env.env_database("DATABASE_URL", conn_max_age=60)["CONN_MAX_AGE"] == 0


def _manage(args, **extra_env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "PII_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(extra_env)
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x7!k2#p9@q4$w8%e3^r6&t1*y5(u0)i-o=a+s_d[f]g{h}j;k:l'z,x.c/v<b>n?m",
    "PII_KEY": "pii-0123456789abcdef0123456789abcdef",
    "ALLOWED_HOSTS": "fupin.example.gov.cn",
    "DATABASE_URL": "postgres://fupin:secret@db.internal:5432/fupin",
    "REDIS_URL": "redis://cache.internal:6379/0",
}


def test_production_keeps_connections_for_a_minute():
    code = "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    result = _manage(["shell", "-c", code], **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "60"


def test_production_check_deploy_is_clean():
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env_without = dict(PRODUCTION_ENV)
    env_without.pop("SECRET_KEY")
    result = _manage(["check"], **env_without)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_malformed_debug():
    result = _manage(["check"], **PRODUCTION_ENV, SECURE_HSTS_SECONDS="a year")
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PII_KEY", "dev-only-pii-key-change-me"),  # the public development key
        ("PII_KEY", "x"),
        ("PII_KEY", "0123456789abcdef0123456789abcde"),  # 31 bytes
        ("PII_KEYS", "2:pii-0123456789abcdef0123456789abcdef,1:short"),  # an old key too short
        ("PII_KEYS", "2:pii-0123456789abcdef0123456789abcdef,1:dev-only-pii-key-change-me"),
    ],
)
def test_production_refuses_the_development_or_a_short_pii_key(variable, value):
    production = {k: v for k, v in PRODUCTION_ENV.items() if k != "PII_KEY"}
    result = _manage(["check"], **production, **{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Environment variable {variable}" in result.stderr
    assert "32 bytes" in result.stderr or "development key" in result.stderr


def test_production_refuses_to_start_without_a_pii_key():
    production = {k: v for k, v in PRODUCTION_ENV.items() if k != "PII_KEY"}
    result = _manage(["check"], **production)
    assert result.returncode != 0
    assert "PII_KEYS (or PII_KEY" in result.stderr


def test_production_starts_with_several_pii_keys():
    production = {k: v for k, v in PRODUCTION_ENV.items() if k != "PII_KEY"}
    keys = "3:pii-new-0123456789abcdef0123456789abcdef,1:pii-0123456789abcdef0123456789abcdef"
    code = "from django.conf import settings; print([v for v, _s in settings.PII_KEYS])"
    result = _manage(["shell", "-c", code], **production, PII_KEYS=keys)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[3, 1]"


@pytest.mark.parametrize(
    "value",
    ["pii-0123456789abcdef", "x:secret", "0:secret", "2:", "2:a,2:b", "2:same,1:same", "2:a,,1:b"],
)
def test_malformed_pii_keys_are_named(monkeypatch, value):
    monkeypatch.delenv("PII_KEY", raising=False)
    monkeypatch.setenv("PII_KEYS", value)
    with pytest.raises(ImproperlyConfigured, match="PII_KEYS"):
        env.env_pii_keys()


def test_pii_key_alone_is_key_version_1(monkeypatch):
    monkeypatch.delenv("PII_KEYS", raising=False)
    monkeypatch.setenv("PII_KEY", "a-secret")
    assert env.env_pii_keys() == ((1, "a-secret"),)
    monkeypatch.setenv("PII_KEYS", "2:b-secret,1:a-secret")
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env.env_pii_keys()
