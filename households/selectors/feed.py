"""The households change feed (API /api/v1/households/feed/): every committed change, in the order
of the transactions that made it, with a token that never passes a write still uncommitted.

Each household records the transaction that last wrote it or one of its members (`change_xid`,
models.feed). A page is read in one REPEATABLE READ transaction on the primary: it takes the
horizon — the oldest transaction still running in this database other than the reader's own
(`pg_snapshot_xmin` of the snapshot, the reader excepted) — and returns households and tombstones
with previous position < (change_xid, kind, id) and change_xid < horizon, in that order. Every
transaction below the horizon has ended, so its rows are visible to this snapshot; every later
write (a transaction still open, or one not begun) gets an xid at or above it, past any position
a token can hold. Hence: at-least-once, ordered by transaction, no gaps. A page's latency is the
oldest open writer in the database (bounded by `idle_in_transaction_session_timeout`).

Tombstones (a household moved to another village, or deleted) within the reader's scope are
delivered as "removed", unless the household is still in the reader's scope (it moved within it:
its own row comes again). The token carries the reader's scope fingerprint: when the scope changed
(another region, a first secretary's villages) the answer is "resync" and no rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core import signing
from django.db import connections, transaction
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.scoping import scope, scope_fingerprint, scope_sql

from ..models import Household, HouseholdTombstone

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
_SALT = "households.feed"
_KINDS = ("h", "t")  # households before tombstones at the same transaction


class BadToken(DomainError):
    """The token is not one this feed gave."""

    def __init__(self):
        super().__init__(
            _("This token is not one the feed gave; start again from an empty token."), field="token"
        )


@dataclass(frozen=True)
class Position:
    xid: int
    kind: str
    id: int


@dataclass
class FeedChange:
    kind: str  # "household" | "removed"
    id: int
    at: dt.datetime
    household: Household | None = None  # with village and members loaded


@dataclass
class FeedPage:
    token: str
    more: bool
    resync: bool
    changes: list[FeedChange] = field(default_factory=list)


def make_token(position: Position | None, horizon: int, fingerprint: str) -> str:
    pos = None if position is None else [position.xid, position.kind, position.id]
    return signing.dumps({"p": pos, "h": horizon, "s": fingerprint}, salt=_SALT, compress=True)


def read_token(token: str) -> tuple[Position | None, int, str]:
    """(position, horizon, scope fingerprint) of a token; BadToken when it was not made here."""
    try:
        data = signing.loads(token, salt=_SALT)
        pos, horizon, fingerprint = data["p"], data["h"], data["s"]
        if not isinstance(horizon, int) or not isinstance(fingerprint, str):
            raise ValueError
        if pos is None:
            return None, horizon, fingerprint
        xid, kind, pk = pos
        if not (isinstance(xid, int) and isinstance(pk, int) and kind in _KINDS):
            raise ValueError
        return Position(xid, kind, pk), horizon, fingerprint
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        raise BadToken() from None


# The oldest transaction still running in this database, the reader's own excepted (it has none when
# the feed is read on its own, as the API does; a test that writes and reads in one transaction sees
# its own rows). A snapshot lists the open transactions of the whole cluster; one that
# pg_stat_activity shows running in another database cannot have written here, so it does not hold
# the feed back. One not found there (ended since the snapshot, or not shown) still does.
_HORIZON_SQL = """
SELECT COALESCE(
    (SELECT min(x::text::bigint) FROM pg_snapshot_xip(pg_current_snapshot()) AS x
      WHERE x IS DISTINCT FROM pg_current_xact_id_if_assigned()
        AND NOT EXISTS (
            SELECT 1 FROM pg_stat_activity a
             WHERE a.backend_xid::text::bigint = mod(x::text::bigint, 4294967296)
               AND a.datid <> (SELECT oid FROM pg_database WHERE datname = current_database()))),
    pg_snapshot_xmax(pg_current_snapshot())::text::bigint)
"""


def _after(position: Position | None, kind: str, alias: str) -> tuple[str, list]:
    """Rows of `kind` past `position` in the order (change_xid, kind, id), said as a row comparison
    on (change_xid, id) that the (…, change_xid, id) indexes serve."""
    if position is None:
        return "TRUE", []
    if position.kind == kind:
        return f"({alias}.change_xid, {alias}.id) > (%s, %s)", [position.xid, position.id]
    if _KINDS.index(kind) > _KINDS.index(position.kind):  # later kind at the same xid: all of it
        return f"{alias}.change_xid >= %s", [position.xid]
    return f"{alias}.change_xid > %s", [position.xid]


def _rows(actor, position: Position | None, horizon: int, limit: int, cursor) -> list[tuple[int, str, int]]:
    h_scope, h_params = scope_sql(actor, "h.village_id", how="county")
    t_scope, t_params = scope_sql(actor, "t.village_code")
    h_after, h_after_params = _after(position, "h", "h")
    t_after, t_after_params = _after(position, "t", "t")
    sql = f"""
        (SELECT h.change_xid, 'h' AS kind, h.id FROM households_household h
          WHERE {h_scope} AND {h_after} AND h.change_xid < %s ORDER BY h.change_xid, h.id LIMIT %s)
        UNION ALL
        (SELECT t.change_xid, 't' AS kind, t.id FROM households_householdtombstone t
          WHERE {t_scope} AND {t_after} AND t.change_xid < %s ORDER BY t.change_xid, t.id LIMIT %s)
        ORDER BY 1, 2, 3 LIMIT %s
    """  # noqa: S608 - the scope and positions are placeholders; the column names are fixed
    params = [*h_params, *h_after_params, horizon, limit, *t_params, *t_after_params, horizon, limit, limit]
    cursor.execute(sql, params)
    return [(int(x), kind, int(pk)) for x, kind, pk in cursor.fetchall()]


def household_feed(actor, token: str | None, page_size: int = DEFAULT_PAGE_SIZE) -> FeedPage:
    """One page of the feed after `token` (empty: from the beginning). Always the primary: a replica's
    snapshot would not be the primary's, and the horizon would be wrong."""
    fingerprint = scope_fingerprint(actor)
    position = None
    if token:
        position, _horizon, made_for = read_token(token)
        if made_for != fingerprint:
            return FeedPage(token="", more=True, resync=True)
    connection = connections["default"]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using="default"), connection.cursor() as cursor:
        if outermost:  # one snapshot for the horizon and every row read (first statement of the transaction)
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute(_HORIZON_SQL)
        horizon = int(cursor.fetchone()[0])
        rows = _rows(actor, position, horizon, page_size + 1, cursor)
        more = len(rows) > page_size
        rows = rows[:page_size]
        changes = _changes(actor, rows)
    if rows:
        position = Position(*rows[-1])
    return FeedPage(
        token=make_token(position, horizon, fingerprint), more=more, resync=False, changes=changes
    )


def _changes(actor, rows: list[tuple[int, str, int]]) -> list[FeedChange]:
    household_ids = [pk for _x, kind, pk in rows if kind == "h"]
    tombstone_ids = [pk for _x, kind, pk in rows if kind == "t"]
    households = {
        h.pk: h
        for h in Household.objects.using("default")
        .filter(pk__in=household_ids)
        .select_related("village")
        .prefetch_related("members")
    }
    tombstones = {t.pk: t for t in HouseholdTombstone.objects.using("default").filter(pk__in=tombstone_ids)}
    # A household that left a village but is still the reader's moved within the scope: not removed.
    gone = {t.household_id for t in tombstones.values()}
    still_here = set(
        scope(Household.objects.using("default"), actor=actor, field="village_id")
        .filter(pk__in=gone)
        .values_list("pk", flat=True)
    )
    changes = []
    for _x, kind, pk in rows:
        if kind == "h":
            household = households[pk]
            changes.append(FeedChange("household", pk, household.updated_at, household))
        else:
            tombstone = tombstones[pk]
            if tombstone.household_id not in still_here:
                changes.append(FeedChange("removed", tombstone.household_id, tombstone.at))
    return changes
