"""Saving the checked rows: the valid households gathered in file order and written CHUNK at a time,
each chunk a savepoint of four COPYs with the history rows the triggers would have written.
"""

from __future__ import annotations

import functools
import logging
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal

import pgtrigger
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import pii
from core.audit import actor_context
from households import imports as package  # CHUNK and _commit, read at call time (tests replace them)

from ..models import (
    CaseState,
    Household,
    HouseholdImport,
    HouseholdStatus,
    HouseholdStatusChange,
    ImportKind,
    ImportMode,
    Income,
    Member,
    ProcedureCase,
    ProcedureCaseStatusChange,
    ProcedureKind,
    ProcedureStep,
    Relation,
    Step,
)
from .checks import Validator
from .report import ErrorReport
from .rows import Row, Spool

logger = logging.getLogger(__name__)


@dataclass
class Group:
    """A household whose rows are all valid, gathered for saving."""

    file_number: str
    rows: list[Row]
    household: dict | None = None
    village: str = ""
    members: list[dict] = field(default_factory=list)
    income: tuple[int, Decimal] | None = None


def _save(
    spool: Spool, validator: Validator, *, job: HouseholdImport, actor, report: ErrorReport, save: bool
) -> tuple[list[int], int]:
    """Go through the checked rows in file order: report the bad ones, save the valid households
    CHUNK by CHUNK (each a savepoint). Returns (household ids, members created)."""
    all_or_nothing = job.mode == ImportMode.ALL_OR_NOTHING
    created_ids: list[int] = []
    created_m = 0
    waiting: deque[Row] = deque()  # rows whose fate is not yet written, in file order
    gathering: dict[str, Group] = {}  # valid households whose last row is still to come
    chunk: list[Group] = []
    failed = False  # all-or-nothing: a chunk conflicted, nothing more is saved

    def flush():
        nonlocal created_m, failed
        if not chunk:
            return
        if save and not failed:
            try:
                with transaction.atomic(), actor_context(actor, import_id=job.pk):
                    ids, m = package._commit(chunk, actor=actor, job=job)
            except IntegrityError:
                # Someone registered one of these people or file numbers meanwhile: report, keep going.
                logger.warning("import %s: a chunk conflicted with concurrent registrations", job.pk)
                for g in chunk:
                    g.rows[0].error(
                        "id_number",
                        _("Conflicts with a household registered meanwhile; upload this row again."),
                    )
                if all_or_nothing:
                    failed = True
                    transaction.set_rollback(True)  # the savepoint around all chunks
            else:
                created_ids.extend(ids)
                created_m += m
        for g in chunk:
            for row in g.rows:
                row.done = True
        chunk.clear()
        drain()

    def drain():
        while waiting and waiting[0].done:
            row = waiting.popleft()
            if row.errors:
                report.add(row)

    for row in spool:
        waiting.append(row)
        if not validator.settle(row):
            row.done = True
        else:
            seen = validator.seen[row.file_number]
            group = gathering.get(row.file_number)
            if group is None:
                group = gathering[row.file_number] = Group(file_number=row.file_number, rows=[])
            if row.household is not None:
                group.household, group.village, group.income = row.household
            group.rows.append(row)
            group.members.append(row.member)
            if row.number == seen.last:
                chunk.append(gathering.pop(row.file_number))
                if len(chunk) >= package.CHUNK:
                    flush()
        drain()
    flush()
    if failed:
        return [], 0
    return created_ids, created_m


def _copy(cursor, model, rows: list[dict], now) -> None:
    """COPY rows (dicts by attname) into the model's table; fields a row leaves out get the
    model's default, as save() would give it (timestamps: `now`; a database default, such as a
    household's change_xid, is left to the database). Triggers fire as on INSERT."""
    given = rows[0].keys()
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.attname in given or not (f.primary_key or f.has_db_default())
    ]
    defaults = {}
    for f in fields:
        if f.attname in given:
            continue
        if isinstance(f, models.DateTimeField) and (
            f.auto_now or f.auto_now_add or f.default is timezone.now
        ):
            defaults[f.attname] = now
        else:  # the field's default; "" for text fields without one, as Model() gives
            defaults[f.attname] = f.get_db_prep_save(f.get_default(), connection)
            if defaults[f.attname] is None and not f.null:
                raise ValueError(f"{model.__name__}.{f.attname}: no value and no default")
    names = [f.attname for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[n] if n in row else defaults[n] for n in names])


@functools.cache
def _history(model) -> tuple[str, str]:
    """(pgid of the model's pghistory insert trigger, the same insert events written set-based).

    Row by row, the trigger costs several times the COPY it follows (a PL/pgSQL call, an insert
    and a context upsert per row). The chunk's COPYs skip it (pgtrigger's own transaction-local
    ignore setting) and this statement writes the very rows it would have: the event table's
    tracked columns copied from the new rows, pgh_obj_id, the label, NOW() and the history context
    (_pgh_attach_context(): the actor_context() of the chunk, attached once). `%s`: the ids of
    the parent households (column `key`)."""
    trigger = next(t for m, t in pgtrigger.registered() if m is model and t.name == "insert_insert")
    event = trigger.event_model
    tracked = {f.name for f in model._meta.fields}
    columns = sorted(
        f.column
        for f in event._meta.fields
        if f.concrete and not isinstance(f, models.AutoField) and f.name in tracked
    )
    assert {f.column for f in event._meta.concrete_fields} == {  # noqa: S101 - the trigger's shape
        *columns,
        "pgh_id",
        "pgh_created_at",
        "pgh_label",
        "pgh_obj_id",
        "pgh_context_id",
    }, f"{event.__name__}: pghistory event columns changed; update imports._history"
    quoted = [connection.ops.quote_name(c) for c in columns]
    obj = connection.ops.quote_name(model._meta.pk.column)
    table = connection.ops.quote_name(model._meta.db_table)
    key = connection.ops.quote_name("id" if model is Household else "household_id")
    sql = (
        f"WITH context AS (SELECT _pgh_attach_context() AS id) "  # noqa: S608 - names from the models
        f"INSERT INTO {connection.ops.quote_name(event._meta.db_table)} "
        f"({', '.join(quoted)}, pgh_obj_id, pgh_label, pgh_created_at, pgh_context_id) "
        f"SELECT {', '.join('t.' + c for c in quoted)}, t.{obj}, '{trigger.label}', NOW(), context.id "
        f"FROM {table} t, context WHERE t.{key} = ANY(%s)"
    )
    return trigger.get_pgid(model), sql


def _commit(groups: list[Group], *, actor, job: HouseholdImport) -> tuple[list[int], int]:
    """Insert the households of a chunk with their members, incomes and status rows: four COPYs.
    Exactly what the register service stores: members' ID numbers encrypted, keyed-hashed and
    masked as Member.set_id_number does; a status row; the audit history rows, with the uploader
    and the import as their context (see _history).

    An import of applications (the clerk's import, 应进则进) stores applicants as
    `household_register` does: status APPLYING and the entry procedure open at its first step
    (three more COPYs: the cases, their '' → open rows, the application steps), so each household
    then goes through the village and township reviews, the public notice and the county's
    approval. Only the migration of an existing register (ImportKind.MIGRATION, a county
    administrator's mode) stores the households as registered."""
    now = timezone.now()
    migration = job.kind == ImportKind.MIGRATION
    status = HouseholdStatus.REGISTERED if migration else HouseholdStatus.APPLYING
    if migration:
        reason = _("Migrated from the existing register %(file)s (row %(row)d).")
    else:
        reason = _("Application imported from %(file)s (row %(row)d).")
    tracked = (Household, Member, Income)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Household._meta.db_table, len(groups)],
        )
        ids = [r[0] for r in cursor.fetchall()]
        households, members, incomes, changes = [], [], [], []
        for g, pk in zip(groups, ids, strict=True):
            head = next(m for m in g.members if m.get("relation") == Relation.HEAD)
            households.append(
                {
                    **{k: v for k, v in g.household.items() if k != "file_number"},
                    "id": pk,
                    "file_number": g.file_number,
                    "village_id": g.village,
                    "head_name": head["name"],
                    "member_count": len(g.members),
                    "status": status,
                    "status_changed_at": now,
                }
            )
            for m in g.members:
                number = pii.normalise_id(m["id_number"])
                members.append(
                    {
                        **{k: v for k, v in m.items() if not k.startswith("_") and k != "id_number"},
                        "household_id": pk,
                        "id_number_cipher": pii.encrypt(number),
                        "id_number_hash": m["_hash"],  # pii.keyed_hash of the same number
                        "id_number_key_version": m["_key_version"],
                        "id_number_masked": pii.mask_id(number),
                        "is_active": True,
                        "is_current": True,
                    }
                )
            if g.income:
                incomes.append(
                    {"household_id": pk, "year": g.income[0], "per_capita_net_income": g.income[1]}
                )
            changes.append(
                {
                    "household_id": pk,
                    "from_status": "",
                    "to_status": status,
                    "actor_id": actor.pk,
                    "note": reason % {"file": job.file_name, "row": g.rows[0].number},
                    "at": now,
                }
            )
        cursor.execute("SELECT current_setting('pgtrigger.ignore', true)")
        ignored = cursor.fetchone()[0] or "{}"
        skip = "{" + ",".join(_history(model)[0] for model in tracked) + "}"
        cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [skip])
        for model, rows in ((Household, households), (Member, members), (Income, incomes)):
            if rows:
                _copy(cursor, model, rows, now)
        cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [ignored])
        _copy(cursor, HouseholdStatusChange, changes, now)
        if not migration:
            _open_entry_cases(cursor, groups, ids, actor=actor, now=now, notes=[c["note"] for c in changes])
        # The history rows, through cursor.execute: pghistory attaches the chunk's context there.
        for model in tracked:
            cursor.execute(_history(model)[1], [ids])
    return ids, len(members)


def _open_entry_cases(cursor, groups: list[Group], ids: list[int], *, actor, now, notes: list[str]) -> None:
    """The entry procedure of each applicant, open at its application step, as household_register
    opens it: one COPY each for the cases, their first status rows ('' → open) and the steps."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [ProcedureCase._meta.db_table, len(groups)],
    )
    case_ids = [r[0] for r in cursor.fetchall()]
    today = timezone.localdate()
    cases, opened, steps = [], [], []
    for case_id, household_id, note in zip(case_ids, ids, notes, strict=True):
        cases.append(
            {
                "id": case_id,
                "household_id": household_id,
                "kind": ProcedureKind.ENTRY,
                "state": CaseState.OPEN,
                "last_step": Step.APPLICATION,
                "started_by_id": actor.pk,
            }
        )
        opened.append(
            {
                "case_id": case_id,
                "from_status": "",
                "to_status": CaseState.OPEN,
                "actor_id": actor.pk,
                "at": now,
            }
        )
        steps.append(
            {
                "case_id": case_id,
                "step": Step.APPLICATION,
                "actor_id": actor.pk,
                "at": now,
                "date": today,
                "note": note,
                "data": "{}",
            }
        )
    _copy(cursor, ProcedureCase, cases, now)
    _copy(cursor, ProcedureCaseStatusChange, opened, now)
    _copy(cursor, ProcedureStep, steps, now)
