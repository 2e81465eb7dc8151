"""Read settings from the environment. A malformed value stops start-up with a message
naming the variable, so a typo in a deployment never runs with a silent default."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_MISSING = object()


def _raw(name: str, default):
    value = os.environ.get(name)
    if value is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
        return None
    return value


def env_str(name: str, default=_MISSING) -> str:
    value = _raw(name, default)
    return default if value is None else value


def env_bool(name: str, default: bool | object = _MISSING) -> bool:
    value = _raw(name, default)
    if value is None:
        return default  # type: ignore[return-value]
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Environment variable {name}={value!r} is not a boolean (use 1/0, true/false)."
    )


def env_int(name: str, default: int | object = _MISSING, *, minimum: int | None = None) -> int:
    value = _raw(name, default)
    if value is None:
        return default  # type: ignore[return-value]
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"Environment variable {name}={value!r} is not an integer.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"Environment variable {name}={number} must be at least {minimum}.")
    return number


def env_list(name: str, default: list[str] | object = _MISSING) -> list[str]:
    value = _raw(name, default)
    if value is None:
        return list(default)  # type: ignore[arg-type]
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} has an empty item in its comma list."
        )
    return items


def env_database(name: str = "DATABASE_URL", default=_MISSING, *, conn_max_age: int = 0) -> dict:
    """postgres://user:password@host:port/dbname?conn_max_age=60 → Django DATABASES entry.

    `conn_max_age`: seconds a connection is kept when the URL does not say (0: one per request)."""
    return _database(name, env_str(name, default), conn_max_age)


def env_replicas(name: str = "DATABASE_REPLICA_URLS", *, conn_max_age: int = 0) -> dict:
    """Comma-separated postgres:// URLs of streaming standbys → DATABASES entries replica1, replica2, …

    Empty or unset: none (every query on the primary). A replica's connection attempt gives up after
    2 seconds, so one that is down is skipped quickly (core.db_positions)."""
    replicas: dict = {}
    if not os.environ.get(name, "").strip():
        return replicas
    for number, value in enumerate(env_list(name), start=1):
        entry = _database(name, value, conn_max_age)
        entry["OPTIONS"].setdefault("connect_timeout", 2)
        replicas[f"replica{number}"] = entry
    return replicas


def _database(name: str, value: str, conn_max_age: int) -> dict:
    url = urlparse(value)
    if url.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} must be a postgres:// URL (PostgreSQL is the one database)."
        )
    dbname = unquote(url.path.lstrip("/"))
    if not dbname or "/" in dbname:
        raise ImproperlyConfigured(f"Environment variable {name}={value!r} does not name a database.")
    try:
        port = url.port
    except ValueError:
        raise ImproperlyConfigured(f"Environment variable {name}={value!r} has an invalid port.") from None
    query = {k: v[-1] for k, v in parse_qs(url.query).items()}
    options = {}
    if "sslmode" in query:
        options["sslmode"] = query.pop("sslmode")
    try:
        conn_max_age = int(query.pop("conn_max_age", conn_max_age))
    except ValueError:
        raise ImproperlyConfigured(f"Environment variable {name}: conn_max_age must be an integer.") from None
    if query:
        raise ImproperlyConfigured(
            f"Environment variable {name} has unknown options: {', '.join(sorted(query))}."
        )
    # A transaction left open and idle is ended after DB_IDLE_IN_TRANSACTION_SECONDS (default 60; 0:
    # never): the households change feed waits for the oldest open transaction in the database, and
    # this bounds its delay (README "API").
    idle = env_int("DB_IDLE_IN_TRANSACTION_SECONDS", 60, minimum=0)
    # No JIT compilation: the product's queries are short, and where the planner's estimate of a
    # query crosses jit_above_cost (stale statistics on a table just filled, a county-wide
    # aggregate) compiling it costs more than running it — the demo's dashboard figures took
    # 271 s with PostgreSQL's default (jit=on) and 30 s without, on the same database.
    options["options"] = f"-c idle_in_transaction_session_timeout={idle * 1000} -c jit=off"
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": dbname,
        "USER": unquote(url.username or ""),
        "PASSWORD": unquote(url.password or ""),
        "HOST": url.hostname or "",
        "PORT": str(port or ""),
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": options,
    }


def env_redis(name: str = "REDIS_URL", default=_MISSING) -> str:
    value = env_str(name, default)
    url = urlparse(value)
    if url.scheme not in {"redis", "rediss"} or not url.hostname:
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} must be a redis://host:port/db URL."
        )
    try:
        url.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise ImproperlyConfigured(f"Environment variable {name}={value!r} has an invalid port.") from None
    db = url.path.lstrip("/")
    if db and not db.isdigit():
        raise ImproperlyConfigured(f"Environment variable {name}={value!r}: the database must be a number.")
    return value


def env_pii_keys(default: str | object = _MISSING) -> tuple[tuple[int, str], ...]:
    """The keys for personal data at rest, as ((version, secret), …), the key in use first.

    `PII_KEYS="3:new-secret,2:old-secret"`: the first key encrypts and hashes everything written
    from now on; the others still decrypt and still find what was hashed under them, until
    `manage.py rotate_pii_key` has moved every stored value to the first (SECURITY.md, "Operating
    it"). `PII_KEY=secret` alone is one key, version 1 (what every deployment started with).
    Secrets are split on the first colon only, and may not contain a comma."""
    value = os.environ.get("PII_KEYS")
    if value is None:
        if "PII_KEY" not in os.environ and default is _MISSING:
            raise ImproperlyConfigured(
                "Environment variable PII_KEYS (or PII_KEY for a single key) is required but not set."
            )
        secret = os.environ.get("PII_KEY", default)
        if not secret:
            raise ImproperlyConfigured("Environment variable PII_KEY is empty.")
        return ((1, secret),)
    if "PII_KEY" in os.environ:
        raise ImproperlyConfigured(
            "Set PII_KEYS or PII_KEY, not both: PII_KEYS lists every key (PII_KEY is version 1)."
        )
    keys: list[tuple[int, str]] = []
    for item in value.split(","):
        version, sep, secret = item.strip().partition(":")
        if not sep or not version.strip().isdigit() or int(version) < 1 or not secret:
            raise ImproperlyConfigured(
                "Environment variable PII_KEYS must list version:secret pairs separated by commas, "
                "versions being positive integers (e.g. PII_KEYS=2:new-secret,1:old-secret)."
            )
        keys.append((int(version), secret))
    versions = [v for v, _secret in keys]
    if len(set(versions)) != len(versions):
        raise ImproperlyConfigured("Environment variable PII_KEYS names a key version twice.")
    if len({s for _v, s in keys}) != len(keys):
        raise ImproperlyConfigured("Environment variable PII_KEYS holds the same secret twice.")
    return tuple(keys)


def refuse_weak_pii_keys(keys: tuple[tuple[int, str], ...], *, development_key: str) -> None:
    """Production: every PII key is at least 32 bytes and none is the public development key."""
    name = "PII_KEYS" if "PII_KEYS" in os.environ else "PII_KEY"
    for version, secret in keys:
        if secret == development_key or secret.startswith("dev-only"):
            raise ImproperlyConfigured(
                f"Environment variable {name} (key version {version}) is the public development key; "
                "production needs its own random key."
            )
        if len(secret.encode()) < 32:
            raise ImproperlyConfigured(
                f"Environment variable {name} (key version {version}) must be a random string of at "
                "least 32 bytes."
            )
