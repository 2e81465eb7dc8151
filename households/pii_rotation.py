"""Key rotation of members' ID numbers (core rotate_pii_key; listed in HouseholdsConfig.pii_rotations).

A member row carries its number encrypted, its keyed hash and the key version of both; its
history event rows carry the hash and the version (never the cipher). Rows not yet under the key
in use are claimed a batch at a time with FOR UPDATE SKIP LOCKED, rewritten and committed, so a
stopped run resumes where it stood and a row being edited is simply taken on the next pass.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pgtrigger
from django.apps import apps
from django.db import connection, transaction

from core import pii
from core.models import SensitiveAccess

from .models import Member

# core.pii.count_probe logs the first 50 characters of the keyed hash (the column's length).
PROBE_HASH = SensitiveAccess._meta.get_field("object_id").max_length

# Re-keying is not a change to the household: it writes no history event of its own.
_UPDATE_TRIGGER = "households.Member:update_update"


def rotate_member_keys(*, batch_size: int, report: Callable[[str], None]) -> int:
    """Members, then their history rows, under the key in use. Returns the rows moved."""
    version = pii.key_version()
    moved = _passes(
        "members",
        lambda after: _member_batch(after, version, batch_size),
        lambda: Member.objects.exclude(id_number_key_version=version).count(),
        report,
    )
    table = apps.get_model("households", "MemberEvent")._meta.db_table
    moved += _passes(
        "member history rows",
        lambda after: _event_batch(table, after, version, batch_size),
        lambda: _count(f"SELECT count(*) FROM {table} WHERE id_number_key_version <> %s", [version]),  # noqa: S608
        report,
    )
    return moved


def _passes(label, batch, remaining, report) -> int:
    """Batches in key order until a pass finds nothing; rows skipped because another transaction
    held them are taken by the next pass."""
    total = remaining()
    moved = 0
    report(f"{label}: {total} to move")
    while True:
        after = 0
        moved_in_pass = 0
        while (result := batch(after)) is not None:
            after, n = result
            moved += n
            moved_in_pass += n
            report(f"{label}: {moved}/{max(total, moved)} moved")
        if remaining() == 0:
            return moved
        if moved_in_pass == 0:
            time.sleep(0.2)  # the rows left are locked by someone else's open transaction


def _member_batch(after: int, version: int, size: int) -> tuple[int, int] | None:
    with transaction.atomic(), pgtrigger.ignore(_UPDATE_TRIGGER):
        rows = list(
            Member.objects.select_for_update(skip_locked=True)
            .filter(pk__gt=after)
            .exclude(id_number_key_version=version)
            .order_by("pk")
            .values_list("pk", "id_number_cipher", "id_number_hash")[:size]
        )
        if not rows:
            return None
        values = []
        probes = []
        for pk, cipher, old in rows:
            number = _decrypt(cipher, f"member #{pk}")
            values.append((pk, pii.encrypt(number), pii.keyed_hash(number)))
            probes.append((old[:PROBE_HASH], values[-1][2][:PROBE_HASH]))
        _update(
            Member._meta.db_table,
            "id",
            values,
            "id_number_cipher = v.c, id_number_hash = v.h, id_number_key_version = %s",
            version,
        )
        _rekey_probes(probes)
    return rows[-1][0], len(rows)


def _rekey_probes(pairs: list[tuple[str, str]]) -> None:
    """The reveal log keeps the keyed hash of each number asked for by a role that may not see it
    (core.pii.count_probe): re-keyed with the member whose number it is."""
    row = "(%s, %s)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {SensitiveAccess._meta.db_table} s SET object_id = v.new "  # noqa: S608
            f"FROM (VALUES {', '.join([row] * len(pairs))}) AS v(old, new) "
            f"WHERE s.object_type = 'id_number_probe' AND s.object_id = v.old",
            [x for pair in pairs for x in pair],
        )


def _event_batch(table: str, after: int, version: int, size: int) -> tuple[int, int] | None:
    """History rows keep the hash of the number the member had then. Where that is the member's
    number now, it is re-keyed; where it is not (a corrected number, a deleted member) the number
    is stored nowhere any more, so the old hash is erased: kept, it would stay open to anyone
    holding the old key, who can hash every possible number and find it."""
    member = Member._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.pgh_id, e.id_number_hash, e.id_number_key_version, m.id_number_cipher "  # noqa: S608
            f"FROM {table} e LEFT JOIN {member} m ON m.id = e.pgh_obj_id "
            f"WHERE e.pgh_id > %s AND e.id_number_key_version <> %s "
            f"ORDER BY e.pgh_id LIMIT %s FOR UPDATE OF e SKIP LOCKED",
            [after, version, size],
        )
        rows = cursor.fetchall()
        if not rows:
            return None
        configured = set(pii.key_versions())
        numbers: dict[str, str] = {}
        values = []
        for pgh_id, digest, old_version, cipher in rows:
            new = ""
            if digest and cipher and old_version in configured:
                if cipher not in numbers:
                    numbers[cipher] = _decrypt(cipher, f"history row #{pgh_id}")
                number = numbers[cipher]
                if pii.keyed_hash(number, old_version) == digest:
                    new = pii.keyed_hash(number)
            values.append((pgh_id, new))
        _update(table, "pgh_id", values, "id_number_hash = v.h, id_number_key_version = %s", version)
    return rows[-1][0], len(rows)


def _update(table: str, key: str, values: list[tuple], assignments: str, version: int) -> None:
    width = len(values[0])
    columns = ("id", "c", "h") if width == 3 else ("id", "h")
    row = "(" + ", ".join(["%s"] * width) + ")"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} t SET {assignments} "  # noqa: S608 - names from the models
            f"FROM (VALUES {', '.join([row] * len(values))}) AS v({', '.join(columns)}) "
            f"WHERE t.{key} = v.id::bigint",
            [version, *[x for value in values for x in value]],
        )


def _decrypt(cipher: str, what: str) -> str:
    try:
        return pii.decrypt(cipher)
    except ValueError as exc:
        raise ValueError(f"{what}: its ID number opens with no configured key (PII_KEYS)") from exc


def _count(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]
