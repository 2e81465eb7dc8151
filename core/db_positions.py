"""Where each replica stands: probed at most once a second per process, never per request.

`position(alias)` answers from what this process last saw when that is under a second old (or under
`DOWN_SECONDS` for a replica that failed); otherwise it asks the replica (one short query on its own
connection, a 2-second connect timeout) and remembers the answer. A replica is usable when it is in
recovery (a standby, not a promoted copy), its WAL receiver streams, and its replay lag is under
REPLICA_MAX_LAG_SECONDS. The lag is 0 when everything received is replayed (an idle primary does not
make a standby look late), else the age of the last replayed transaction.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

PROBE_SECONDS = 1.0
DOWN_SECONDS = 5.0
REPLICA_PREFIX = "replica"

PROBE_SQL = """
SELECT pg_is_in_recovery(),
       pg_last_wal_replay_lsn()::text,
       CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
            ELSE EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()) END,
       (SELECT coalesce(max(status), 'streaming') FROM pg_stat_wal_receiver),
       EXISTS (SELECT 1 FROM pg_stat_wal_receiver)
"""


@dataclass(frozen=True)
class Position:
    replayed: int | None  # pg_last_wal_replay_lsn() as an integer
    lag_seconds: float


@dataclass
class _Seen:
    at: float
    usable: Position | None
    why: str = ""


_seen: dict[str, _Seen] = {}
_lock = threading.Lock()


def replica_aliases() -> tuple[str, ...]:
    return tuple(alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX))


def lsn_number(text: str | None) -> int | None:
    """'16/B374D848' → an integer that orders like the position."""
    if not text:
        return None
    high, _sep, low = text.partition("/")
    return (int(high, 16) << 32) | int(low, 16)


def position(alias: str) -> Position | None:
    """The replica's position if it is usable now, else None (down, lagging, not streaming)."""
    seen = _seen.get(alias)
    if seen is not None and _fresh(seen):
        return seen.usable
    # One probe at a time per process: while one runs, the others keep the last answer.
    if not _lock.acquire(blocking=seen is None):
        return seen.usable
    try:
        seen = _seen.get(alias)
        if seen is not None and _fresh(seen):
            return seen.usable
        fresh = _probe(alias)
        _seen[alias] = fresh
        return fresh.usable
    finally:
        _lock.release()


def _fresh(seen: _Seen) -> bool:
    return time.monotonic() - seen.at < (DOWN_SECONDS if seen.why == "down" else PROBE_SECONDS)


def _probe(alias: str) -> _Seen:
    at = time.monotonic()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(PROBE_SQL)
            in_recovery, replayed, lag, receiver, has_receiver = cursor.fetchone()
    except Exception as exc:  # a replica that cannot answer is skipped, never an error
        logger.warning("replicas: %s is down (%s); reads go elsewhere", alias, str(exc).strip()[:200])
        _close(alias)
        return _Seen(at, None, "down")
    if not in_recovery:
        logger.warning("replicas: %s is not in recovery (promoted?); not read from", alias)
        return _Seen(at, None, "promoted")
    if not has_receiver or receiver != "streaming":
        return _Seen(at, None, "not streaming")
    lag = float(lag) if lag is not None else float("inf")
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        logger.info("replicas: %s lags %.1f s (bound %s s); not read from", alias, lag,
                    settings.REPLICA_MAX_LAG_SECONDS)  # fmt: skip
        return _Seen(at, None, "lagging")
    return _Seen(at, Position(lsn_number(replayed), lag))


def mark_down(alias: str) -> None:
    """A replica failed during a request: skip it for DOWN_SECONDS (then probe it again)."""
    _seen[alias] = _Seen(time.monotonic(), None, "down")
    _close(alias)


def _close(alias: str) -> None:
    with contextlib.suppress(Exception):
        connections[alias].close()


def forget() -> None:
    """Tests: probe every replica afresh."""
    _seen.clear()
