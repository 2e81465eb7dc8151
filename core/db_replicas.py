"""Reads on streaming replicas, for the views that opt in (issue 25.1).

Replicas are `DATABASE_REPLICA_URLS` (settings: aliases replica1, replica2, …; none by default, and
then every query goes to the primary as before). A view opts in with `@replica_reads`; its GET/HEAD
reads then go to a replica that is

- up and streaming, with a replay lag under `REPLICA_MAX_LAG_SECONDS` (its position is probed at
  most once a second per process, `core.db_positions`), and
- past the user's last write: after a request of theirs that may have written (any POST, PUT,
  PATCH, DELETE), `ReplicaWritesMiddleware` keeps the primary's WAL position in Redis under the
  user; a replica serves them only once its replay position has passed it (read-your-writes).

Everything else stays on the primary: writes, reads inside an atomic block (a router cannot know the
transaction will write later, and SELECT … FOR UPDATE fails on a standby), the change feed (a list
read with `updated_after`: an integrator's cursor must never skip rows a replica has not replayed),
and sessions, users, tokens, roles and permissions (a lagging replica would honour a session ended at
logout or a revoked token). A replica that fails during a request is marked down and the view runs
again on the primary (GET/HEAD only, which write nothing the user sees), so nobody sees an error.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import random

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.utils.decorators import method_decorator

from .db_positions import lsn_number, mark_down, position, replica_aliases

logger = logging.getLogger(__name__)

READ_METHODS = frozenset({"GET", "HEAD"})
# Never read from a replica: sessions, login lockouts, accounts, tokens, roles and permissions, and the
# counters a request reads and then increments.
PRIMARY_APPS = frozenset({"auth", "axes", "sessions", "contenttypes", "admin", "django_celery_beat"})
PRIMARY_MODELS = frozenset({"core.user", "core.apitoken", "core.idprobecount", "core.sensitiveaccess"})
FEED_PARAMETER = "updated_after"
_DB_ERRORS = (OperationalError, InterfaceError)


def _writes_cache():
    return caches["replicas"]


def _user_key(user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.pk:
        return None
    return f"lsn:user:{user.pk}"


def record_write(user) -> None:
    """Keep the primary's WAL position as this user's last write (called after their request)."""
    key = _user_key(user)
    if key is None or not replica_aliases():
        return
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            lsn = cursor.fetchone()[0]
        _writes_cache().set(key, lsn, timeout=3600)
    except Exception:  # never fail the user's write for its bookkeeping
        # Without the position their next reads could come from a replica that has not replayed the
        # write: log it (Redis is down; Celery is down with it and says so louder).
        logger.warning("replicas: could not keep user %s's write position", user.pk, exc_info=True)


def last_write(user) -> int | bool | None:
    """The user's last write position; False when it cannot be known (then: the primary)."""
    key = _user_key(user)
    if key is None:
        return None
    try:
        return lsn_number(_writes_cache().get(key))
    except Exception:
        return False


class ReadState:
    """One request's choice: made at its first routed read, kept for the rest of the request (every
    query of a page from the same server)."""

    def __init__(self, request, *, primary_only: bool = False):
        self.request = request
        self.primary_only = primary_only
        self.alias: str | None = None  # the replica used, once chosen
        self._chosen = False

    def choose(self) -> str:
        if not self._chosen:
            self._chosen = True
            self.alias = None if self.primary_only else self._pick()
        return self.alias or DEFAULT_DB_ALIAS

    def _pick(self) -> str | None:
        needed = last_write(getattr(self.request, "user", None))
        if needed is False:
            return None
        usable = []
        for alias in replica_aliases():
            at = position(alias)
            if at is None:
                continue
            if needed is not None and (at.replayed is None or at.replayed < needed):
                continue
            usable.append(alias)
        return random.choice(usable) if usable else None  # load spreading, not secrecy (bandit B311 is low)


_state: contextvars.ContextVar[ReadState | None] = contextvars.ContextVar("replica_reads", default=None)


def current() -> ReadState | None:
    return _state.get()


class ReplicaRouter:
    """settings.DATABASE_ROUTERS. Every answer names an alias: Django would otherwise fall back to the
    database an instance was read from, and save to a replica what was read there."""

    def db_for_read(self, model, **hints):
        state = _state.get()
        if state is None or _primary_only(model):
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return state.choose()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _primary_only(model) -> bool:
    meta = model._meta
    return meta.app_label in PRIMARY_APPS or meta.label_lower in PRIMARY_MODELS


def _run(view, request, *args, **kwargs):
    if (
        request.method not in READ_METHODS
        or not replica_aliases()
        or FEED_PARAMETER in request.GET
        or _state.get() is not None
    ):
        return view(request, *args, **kwargs)
    state = ReadState(request)
    token = _state.set(state)
    try:
        try:
            return view(request, *args, **kwargs)
        except _DB_ERRORS:
            if state.alias is None:
                raise
            failed = state.alias
            logger.warning("replicas: %s failed during %s; read again from the primary", failed, request.path)
            mark_down(failed)
            _state.set(ReadState(request, primary_only=True))
            return view(request, *args, **kwargs)
    finally:
        _state.reset(token)


def replica_reads(view):
    """Opt a view in to replica reads (GET/HEAD; see the module's docstring).

    On a function view, or on a class-based view (Django's or DRF's: its dispatch is wrapped)."""
    if isinstance(view, type):
        return method_decorator(_wrap, name="dispatch")(view)
    return _wrap(view)


def _wrap(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        return _run(view, request, *args, **kwargs)

    wrapped.replica_reads = True
    return wrapped


class ReplicaWritesMiddleware:
    """After a request that may have written, keep the primary's position as the user's last write.

    After AuthenticationMiddleware. An API token's user is known here too: DRF sets it on the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in READ_METHODS and request.method != "OPTIONS" and replica_aliases():
            record_write(getattr(request, "user", None))
        return response
