"""Excel import of households with members (one row per member, grouped by file number) and export.

The import checks the whole file first, streamed in batches (a few bulk queries per batch, no
query per row, memory flat), then commits: in valid-rows mode every household whose rows are all
valid, chunk by chunk (savepoints of one transaction that also completes the job), with a per-row
error report; in all-or-nothing mode nothing at all if any row is wrong. Writes are COPYs, under
the uploader's history context, with the same rules as the register service
(households/validation.py). See run() for the steps.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import pickle
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core import pii, uploads, xlsx
from core.audit import actor_context
from core.exceptions import DomainError
from core.models import Region, RegionLevel
from core.regions import prefix_from_code

from .duplicate_finder import duplicates_scan
from .models import (
    Disability,
    Education,
    Health,
    Household,
    HouseholdAttribute,
    HouseholdImport,
    HouseholdStatus,
    HouseholdStatusChange,
    ImportMode,
    ImportStatus,
    Income,
    LabourAbility,
    Member,
    PovertyCause,
    Relation,
    Schooling,
    choice_labels,
)
from .validation import GUARANTEE_FIELDS, clean_household, clean_member, parse_decimal

logger = logging.getLogger(__name__)

MAX_ROWS = 200_000
CHECK_ROWS = 5000  # rows checked together: one query for their file numbers, one for their ID numbers
CHUNK = 2000  # households saved together (a savepoint, four COPYs)

# (key, header label, choices or kind). The first 15 columns describe the household and are read from
# the first row of each file number; the rest describe one member per row.
COLUMNS = [
    ("file_number", pgettext_lazy("excel column", "File number"), None),
    ("village", pgettext_lazy("excel column", "Village code"), None),
    ("address", pgettext_lazy("excel column", "Address"), None),
    ("phone", pgettext_lazy("excel column", "Phone"), None),
    ("attribute", pgettext_lazy("excel column", "Household attribute"), HouseholdAttribute),
    ("identified_year", pgettext_lazy("excel column", "Identification year"), None),
    ("main_cause", pgettext_lazy("excel column", "Main poverty cause"), PovertyCause),
    ("secondary_causes", pgettext_lazy("excel column", "Other poverty causes"), PovertyCause),
    ("food_secure", pgettext_lazy("excel column", "Enough food"), bool),
    ("clothing_secure", pgettext_lazy("excel column", "Enough clothing"), bool),
    ("education_secured", pgettext_lazy("excel column", "Compulsory education secured"), bool),
    ("medical_secured", pgettext_lazy("excel column", "Basic medical care secured"), bool),
    ("housing_secured", pgettext_lazy("excel column", "Safe housing secured"), bool),
    ("income_year", pgettext_lazy("excel column", "Income year"), None),
    ("per_capita_net_income", pgettext_lazy("excel column", "Per-capita net income (yuan)"), None),
    ("name", pgettext_lazy("excel column", "Name"), None),
    ("id_number", pgettext_lazy("excel column", "ID number"), None),
    ("relation", pgettext_lazy("excel column", "Relation to head"), Relation),
    ("health", pgettext_lazy("excel column", "Health"), Health),
    ("disability", pgettext_lazy("excel column", "Disability"), Disability),
    ("education", pgettext_lazy("excel column", "Education"), Education),
    ("schooling", pgettext_lazy("excel column", "Schooling"), Schooling),
    ("labour_ability", pgettext_lazy("excel column", "Labour ability"), LabourAbility),
    ("migrant_worker", pgettext_lazy("excel column", "Migrant worker"), bool),
    ("migrant_months", pgettext_lazy("excel column", "Months of migrant work"), None),
]
HOUSEHOLD_KEYS = [c[0] for c in COLUMNS[:15]]
MEMBER_KEYS = [c[0] for c in COLUMNS[15:]]
TRUE = {"是", "有", "yes", "y", "true", "1", "√", "✓"}
FALSE = {"否", "无", "no", "n", "false", "0", ""}


def _labels(key_label) -> set[str]:
    out = set()
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            out.add(str(key_label).strip().lower())
    return out


def _header_map() -> dict[str, str]:
    mapping = {}
    for key, label, _kind in COLUMNS:
        mapping[key] = key
        for text in _labels(label):
            mapping[text] = key
    return mapping


def _choice_map(choices) -> dict[str, str]:
    mapping = {}
    for value, label in choices.choices:
        mapping[value.lower()] = value
        for text in _labels(label):
            mapping[text] = value
    return mapping


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


@dataclass(slots=True)
class Row:
    number: int  # the spreadsheet row number
    values: dict | None  # column key → cell value (dropped once the row is checked)
    raw: list  # the cells as read, for the error report
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field key, message)
    file_number: str = ""
    household: tuple | None = None  # (cleaned fields, village, income) on a household's first row
    member: dict | None = None  # the cleaned member
    done: bool = False  # saved, refused, or (all-or-nothing with errors) left out

    def error(self, key: str, message: str) -> None:
        self.errors.append((key, str(message)))


@dataclass(slots=True)
class Seen:
    """What the check keeps of a file number across the whole file (rows need not be adjacent)."""

    first: int  # row number of its first row (the household columns are read there)
    last: int
    rows: int = 0
    heads: int = 0
    bad: list[int] = field(default_factory=list)  # rows with errors, in file order


@dataclass
class Group:
    """A household whose rows are all valid, gathered for saving."""

    file_number: str
    rows: list[Row]
    household: dict | None = None
    village: str = ""
    members: list[dict] = field(default_factory=list)
    income: tuple[int, Decimal] | None = None


def label_of(key: str) -> str:
    for k, label, _kind in COLUMNS:
        if k == key:
            return str(label)
    return key


class RowReader:
    """The data rows of the first sheet, streamed; the header row is read on creation.
    Unknown columns (such as the error column of a report) are ignored."""

    def __init__(self, data: bytes):
        try:
            self._sheet = xlsx.read_sheet(data)
            first = next(((n, raw) for n, raw in self._sheet if any(v not in (None, "") for v in raw)), None)
        except xlsx.UnreadableWorkbook as exc:
            raise DomainError(_("The file is not a readable .xlsx workbook."), field="file") from exc
        if first is None:
            raise DomainError(_("The sheet is empty."), field="file")
        mapping = _header_map()
        self.keys = [mapping.get(_text(h).lower()) for h in first[1]]
        missing = [label_of(k) for k in ("file_number", "village", "name", "id_number") if k not in self.keys]
        if missing:
            raise DomainError(
                _("The header row lacks these columns: %(cols)s. Start from the template.")
                % {"cols": "、".join(missing)},
                field="file",
            )
        self.count = 0

    def __iter__(self) -> Iterator[Row]:
        keys = list(enumerate(self.keys))
        try:
            for number, raw in self._sheet:
                if all(v in (None, "") for v in raw):
                    continue
                self.count += 1
                if self.count > MAX_ROWS:
                    raise DomainError(_("A file holds at most %(n)d rows.") % {"n": MAX_ROWS}, field="file")
                values = {k: raw[i] for i, k in keys if k and i < len(raw)}
                yield Row(number=number, values=values, raw=raw)
        except xlsx.UnreadableWorkbook as exc:
            raise DomainError(_("The file is not a readable .xlsx workbook."), field="file") from exc


class Validator:
    def __init__(self, *, actor, region_code: str):
        self.actor = actor
        self.prefix = prefix_from_code(region_code)
        self.choice_maps = {key: _choice_map(kind) for key, _l, kind in COLUMNS if kind not in (None, bool)}
        self.choice_cache: dict[str, dict[str, tuple[tuple, tuple]]] = {}
        self.this_year = timezone.localdate().year
        villages = Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=self.prefix)
        self.villages = set(villages.values_list("code", flat=True))
        self.other_villages: dict[str, bool] = {}  # code outside the region → is it a village at all
        self.seen: dict[str, Seen] = {}  # file number → what the check kept of it
        self.id_rows: dict[str, int] = {}  # keyed hash of an ID number → the row it first appears in
        self.orphans = 0  # rows without a file number

    def _bool(self, row: Row, key: str) -> bool:
        text = _text(row.values.get(key)).lower()
        if text in TRUE:
            return True
        if text not in FALSE:
            row.error(key, _("Write 是 or 否."))
        return False

    def _choice(self, row: Row, key: str, *, many: bool = False):
        text = _text(row.values.get(key))
        if not text:
            return [] if many else ""
        # A column holds a handful of distinct texts: each is looked up once per file.
        cache = self.choice_cache.setdefault(key, {})
        known = cache.get(text)
        if known is None:
            mapping = self.choice_maps[key]
            parts = [p.strip() for p in text.replace("，", ",").replace("、", ",").split(",") if p.strip()]
            out, unknown = [], []
            for part in parts if many else [text]:
                value = mapping.get(part.lower())
                if value is None:
                    unknown.append(part)
                else:
                    out.append(value)
            known = cache[text] = (tuple(out), tuple(unknown))
        out, unknown = known
        for part in unknown:
            row.error(key, _("“%(value)s” is not one of the allowed values.") % {"value": part})
        return list(out) if many else (out[0] if out else "")

    @staticmethod
    def _add(row: Row, errors: dict) -> None:
        """Add rule errors, except where the cell was already refused (e.g. an unknown value)."""
        already = {key for key, _m in row.errors}
        for key, messages in errors.items():
            if key not in already:
                for message in messages:
                    row.error(key, message)

    def member(self, row: Row) -> dict:
        data = {
            "name": _text(row.values.get("name")),
            "id_number": _text(row.values.get("id_number")),
            "migrant_worker": self._bool(row, "migrant_worker"),
            "migrant_months": _text(row.values.get("migrant_months")) or 0,
        }
        for key in ("relation", "health", "disability", "education", "schooling", "labour_ability"):
            data[key] = self._choice(row, key)
        cleaned, errors = clean_member(data)
        self._add(row, errors)
        return cleaned

    def _outside(self, village: str) -> bool:
        """True if the code is a village (outside the region), False if it is no village code."""
        known = self.other_villages.get(village)
        if known is None:
            known = self.other_villages[village] = Region.objects.filter(
                code=village, level=RegionLevel.VILLAGE
            ).exists()
        return known

    def household(self, row: Row) -> tuple[dict, str, tuple | None]:
        data = {
            "file_number": _text(row.values.get("file_number")),
            "address": _text(row.values.get("address"))[:200],
            "phone": _text(row.values.get("phone")),
            "attribute": self._choice(row, "attribute"),
            "identified_year": _text(row.values.get("identified_year")),
            "main_cause": self._choice(row, "main_cause"),
            "secondary_causes": self._choice(row, "secondary_causes", many=True),
        }
        for key in GUARANTEE_FIELDS:
            data[key] = self._bool(row, key)
        cleaned, errors = clean_household(data)
        self._add(row, errors)
        village = _text(row.values.get("village"))
        if village not in self.villages:
            if self._outside(village):
                row.error("village", _("The village must lie within your region."))
            else:
                row.error("village", _("“%(value)s” is not a 12-digit village code.") % {"value": village})
        income = None
        amount_text = _text(row.values.get("per_capita_net_income"))
        if amount_text:
            errors = {}
            amount = parse_decimal(amount_text, "per_capita_net_income", errors)
            try:
                year = int(_text(row.values.get("income_year")) or cleaned.get("identified_year") or 0)
            except ValueError:
                year = 0
            if not 2013 <= year <= self.this_year:
                row.error("income_year", _("The year lies between 2013 and this year."))
            for message in errors.get("per_capita_net_income", []):
                row.error("per_capita_net_income", message)
            if amount is not None and year >= 2013:
                income = (year, amount)
        return cleaned, village, income

    def check(self, rows: list[Row]) -> None:
        """Check a batch of rows: each row's rules, then the file numbers that first appear in the
        batch and its ID numbers against the register (one query each) and against the file so far."""
        new_files: dict[str, Row] = {}
        with_id: list[Row] = []
        for row in rows:
            file_number = _text(row.values.get("file_number"))
            if not file_number:
                row.error("file_number", _("Enter the household's file number."))
                self.member(row)
                self.orphans += 1
                continue
            row.file_number = file_number
            seen = self.seen.get(file_number)
            if seen is None:
                seen = self.seen[file_number] = Seen(first=row.number, last=row.number)
                row.household = self.household(row)
                new_files[file_number] = row
            seen.last = row.number
            seen.rows += 1
            member = row.member = self.member(row)
            if member.get("relation") == Relation.HEAD:
                seen.heads += 1
            if "id_number" in member:
                digest = member["_hash"] = pii.keyed_hash(member["id_number"])
                member["_key_version"] = pii.key_version()
                first = self.id_rows.get(digest)
                if first is not None:
                    row.error(
                        "id_number",
                        _("The same ID number is already in row %(row)d of this file.") % {"row": first},
                    )
                else:
                    self.id_rows[digest] = row.number
                with_id.append(row)
        if new_files:
            taken = Household.objects.filter(file_number__in=list(new_files)).values_list(
                "file_number", flat=True
            )
            for file_number in taken:
                new_files[file_number].error("file_number", _("This file number is already in use."))
        if with_id:
            from .services.registry import duplicate_message

            by_hash: dict[str, list[Row]] = {}
            for row in with_id:
                # Under every configured key: a rotation leaves old hashes beside new ones.
                for digest in pii.keyed_hashes(row.member["id_number"]):
                    by_hash.setdefault(digest, []).append(row)
            holders = Member.objects.select_related("household__village").filter(
                id_number_hash__in=list(by_hash), is_current=True
            )
            for holder in holders:
                message = duplicate_message(actor=self.actor, holder=holder)
                for row in by_hash[holder.id_number_hash]:
                    row.error("id_number", message)
        for row in rows:
            row.values = None
            if row.errors and row.file_number:
                self.seen[row.file_number].bad.append(row.number)

    def finish(self) -> int:
        """After the last batch: a household has exactly one head, else its first row is wrong.
        Returns how many rows will be reported (every row of a household with a wrong row)."""
        bad_rows = self.orphans
        for seen in self.seen.values():
            if seen.heads != 1 and seen.first not in seen.bad[:1]:
                seen.bad.insert(0, seen.first)
            if seen.bad:
                bad_rows += seen.rows
        return bad_rows

    def settle(self, row: Row) -> bool:
        """Add the household-wide errors to a checked row (in file order); True if it may be saved."""
        if not row.file_number:
            return False
        seen = self.seen[row.file_number]
        if row.number == seen.first and seen.heads != 1:
            row.error(
                "relation",
                _("A household has exactly one head; %(n)d are marked as head.") % {"n": seen.heads},
            )
        if seen.bad and not row.errors:
            # A household goes in whole or not at all: its other rows are named in the report.
            row.error(
                "file_number",
                _("Not imported: another row of household %(file)s is invalid (row %(rows)s).")
                % {"file": row.file_number, "rows": ", ".join(map(str, seen.bad))},
            )
        return not seen.bad


def _copy(cursor, model, rows: list[dict], now) -> None:
    """COPY rows (dicts by attname) into the model's table; fields a row leaves out get the
    model's default, as save() would give it (timestamps: `now`). Triggers fire as on INSERT."""
    given = rows[0].keys()
    fields = [f for f in model._meta.concrete_fields if f.attname in given or not f.primary_key]
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
    Exactly what the register service stores for a registered household: members' ID numbers
    encrypted, keyed-hashed and masked as Member.set_id_number does; a status row; the audit
    history rows, with the uploader and the import as their context (see _history)."""
    now = timezone.now()
    reason = _("Imported from %(file)s (row %(row)d).")
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
                    "status": HouseholdStatus.REGISTERED,
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
                    "to_status": HouseholdStatus.REGISTERED,
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
        # The history rows, through cursor.execute: pghistory attaches the chunk's context there.
        for model in tracked:
            cursor.execute(_history(model)[1], [ids])
    return ids, len(members)


class ErrorReport:
    """Sheet 1: one line per error (row, field, rule). Sheet 2: the failed rows with an error column,
    ready to correct and upload again. Written as rows fail, in file order."""

    def __init__(self):
        self.book = None
        self.rows = 0

    def add(self, row: Row) -> None:
        if self.book is None:
            self.book = xlsx.Workbook()
            self.errors = self.book.sheet(_("Errors"), headers=[_("Row"), _("Field"), _("Error")])
            self.data = self.book.sheet(
                _("Rows to correct"),
                headers=[_("Row"), *[str(label) for _k, label, _kind in COLUMNS], _("Error")],
            )
        self.rows += 1
        for key, message in row.errors:
            self.errors.append([row.number, label_of(key), message])
        message = "；".join(f"{label_of(k)}：{m}" for k, m in row.errors)
        self.data.append([row.number, *row.raw, message])

    def content(self) -> bytes:
        return self.book.content()


class Spool:
    """Checked rows on disk between the check and the save, so memory does not grow with the file."""

    def __init__(self):
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()

    def write(self, rows: list[Row]) -> None:
        # Plain tuples: unpickling them is several times faster than unpickling the objects.
        records = [(r.number, r.raw, r.errors, r.file_number, r.household, r.member) for r in rows]
        pickle.dump(records, self.file, protocol=pickle.HIGHEST_PROTOCOL)

    def __iter__(self) -> Iterator[Row]:
        self.file.seek(0)
        while True:
            try:
                records = pickle.load(self.file)  # noqa: S301 - our own temporary file
            except EOFError:
                return
            for number, raw, errors, file_number, household, member in records:
                yield Row(number, None, raw, errors, file_number, household, member)

    def close(self) -> None:
        self.file.close()


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
                    ids, m = _commit(chunk, actor=actor, job=job)
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
                if len(chunk) >= CHUNK:
                    flush()
        drain()
    flush()
    if failed:
        return [], 0
    return created_ids, created_m


def run(job: HouseholdImport) -> HouseholdImport:
    """Process a claimed import job (status RUNNING). Called by the Celery task.

    1. Check: the rows are streamed from the file and checked CHECK_ROWS at a time (one query for
       their file numbers, one for their ID numbers), progress written after each batch; checked
       rows go to a temporary file, so memory stays flat whatever the file's size.
    2. Save, in one transaction with the job's completion (a worker killed mid-save leaves
       nothing; the re-run starts clean): the valid households CHUNK at a time, each chunk a
       savepoint and four COPYs. All-or-nothing saves nothing if any row is wrong.
    """
    actor = job.created_by
    with translation.override(translation.get_language() or "zh-hans"):
        try:
            data = uploads.read_stored(job.file.name)  # decrypted
        except FileNotFoundError:
            raise DomainError(
                _("The uploaded file was deleted after its retention period."), field="file"
            ) from None
        clock = time.monotonic()
        seconds = {}
        reader = RowReader(data)
        estimate = xlsx.count_rows(data)
        HouseholdImport.objects.filter(pk=job.pk).update(total_rows=estimate, message=_("Checking rows…"))
        validator = Validator(actor=actor, region_code=job.region_id)
        spool = Spool()
        try:
            batch: list[Row] = []
            for row in reader:
                batch.append(row)
                if len(batch) == CHECK_ROWS:
                    validator.check(batch)
                    spool.write(batch)
                    batch = []
                    HouseholdImport.objects.filter(pk=job.pk).update(
                        processed_rows=reader.count, total_rows=max(estimate, reader.count)
                    )
            if batch:
                validator.check(batch)
                spool.write(batch)
            del data, batch
            bad_rows = validator.finish()
            seconds["check"], clock = time.monotonic() - clock, time.monotonic()
            total = reader.count
            job.total_rows = job.processed_rows = total
            HouseholdImport.objects.filter(pk=job.pk).update(
                total_rows=total, processed_rows=total, error_rows=bad_rows, message=_("Saving households…")
            )
            report = ErrorReport()
            all_or_nothing = job.mode == ImportMode.ALL_OR_NOTHING
            with transaction.atomic():
                if all_or_nothing and bad_rows:
                    _save(spool, validator, job=job, actor=actor, report=report, save=False)
                    created_ids, created_m = [], 0
                    message = _(
                        "Nothing was imported: %(n)d rows have errors. Correct them and upload the file again."
                    ) % {"n": bad_rows}
                else:
                    with transaction.atomic():  # all-or-nothing: undone whole if a chunk conflicts
                        created_ids, created_m = _save(
                            spool, validator, job=job, actor=actor, report=report, save=True
                        )
                    bad_rows = report.rows
                    message = _("%(h)d households with %(m)d members imported; %(bad)d rows have errors.") % {
                        "h": len(created_ids),
                        "m": created_m,
                        "bad": bad_rows,
                    }
                seconds["save"], clock = time.monotonic() - clock, time.monotonic()
                if report.rows:
                    # Encrypted like the upload (it repeats the rows, ID numbers included).
                    job.error_report = uploads.store_bytes(
                        report.content(), kind="xlsx", folder=import_folder()
                    )
                job.households_created = len(created_ids)
                job.members_created = created_m
                job.error_rows = bad_rows
                job.message = message
                job.status = ImportStatus.DONE
                job.finished_at = timezone.now()
                job.save()
                if created_ids:
                    duplicates_scan(household_ids=created_ids)
                seconds["report and duplicate scan"] = time.monotonic() - clock
        finally:
            spool.close()
    logger.info(
        "import %s: %s households, %s members, %s bad rows (seconds: %s)",
        job.pk,
        len(created_ids),
        created_m,
        bad_rows,
        ", ".join(f"{k} {v:.1f}" for k, v in seconds.items()),
    )
    return job


def import_folder() -> str:
    """Where this month's import workbooks and error reports are stored."""
    return f"households/imports/{timezone.now():%Y/%m}"


def import_files_expire_at(job: HouseholdImport) -> dt.datetime:
    """When the uploaded workbook and its error report are deleted (UPLOAD_RETENTION_DAYS)."""
    return job.created_at + dt.timedelta(days=settings.UPLOAD_RETENTION_DAYS)


def import_files_expired(job: HouseholdImport) -> bool:
    """Past the retention period (the daily job may not have deleted the files yet: they are
    refused from this moment all the same), or already deleted."""
    return not job.file or timezone.now() >= import_files_expire_at(job)


def import_files_purge(*, now: dt.datetime | None = None) -> dict:
    """Delete uploaded workbooks and error reports older than UPLOAD_RETENTION_DAYS (they hold
    full ID numbers; the job's row and figures stay). Idempotent: a file already gone is skipped,
    and a job is cleared only after its files are deleted, so a re-run finishes an interrupted one."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.UPLOAD_RETENTION_DAYS)
    expired = HouseholdImport.objects.filter(created_at__lt=cutoff).exclude(file="", error_report="")
    jobs = files = 0
    for pk, upload, report in expired.values_list("pk", "file", "error_report").iterator():
        files += sum(uploads.delete_stored(path) for path in (upload, report) if path)
        jobs += HouseholdImport.objects.filter(pk=pk).update(file="", error_report="")
    logger.info(
        "purge_expired_imports: %s imports older than %s days cleared, %s files deleted",
        jobs,
        settings.UPLOAD_RETENTION_DAYS,
        files,
    )
    return {"imports": jobs, "files_deleted": files}


def template_workbook() -> bytes:
    """The downloadable template: headers, one example household, drop-down lists for coded columns."""
    book = xlsx.Workbook()
    sheet = book.sheet(_("Households"), headers=[str(label) for _k, label, _kind in COLUMNS])
    lists = book.sheet(_("Allowed values"))
    widths = [16] * len(COLUMNS)
    widths[16] = 22  # the ID number
    sheet.column_widths(widths)
    columns: list[list[str]] = []  # the lists, column by column
    for index, (key, label, kind) in enumerate(COLUMNS, start=1):
        if kind is None:
            continue
        values = [_("yes"), _("no")] if kind is bool else [str(lbl) for _v, lbl in kind.choices]
        values = ["是", "否"] if kind is bool and translation.get_language().startswith("zh") else values
        columns.append([str(label), *values])
        if key != "secondary_causes":
            letter, list_letter = xlsx.column_letter(index), xlsx.column_letter(len(columns))
            sheet.list_validation(
                f"{letter}2:{letter}{MAX_ROWS}",
                f"'{lists.title}'!${list_letter}$2:${list_letter}${len(values) + 1}",
            )
    lists.header([c[0] for c in columns], style=xlsx.BOLD)
    lists.freeze_panes(None)
    for r in range(1, max(len(c) for c in columns)):
        lists.append([c[r] if r < len(c) else None for c in columns])
    return book.content()


def export_workbook(queryset) -> bytes:
    """Any filtered household list as .xlsx (ID numbers masked, formula-like text neutralised).

    One query, streamed in a transaction (a server-side cursor over plain values, not model
    instances, without JIT); choice labels are translated once, not per row; the sheet is written
    by the core writer (core.xlsx: formula-like text as quote-prefixed text, income as yuan).
    """
    from django.db.models import OuterRef, Subquery

    head_id = Member.objects.filter(household=OuterRef("pk"), relation=Relation.HEAD, is_active=True).values(
        "id_number_masked"
    )[:1]
    latest_income = (
        Income.objects.filter(household=OuterRef("pk")).order_by("-year").values("per_capita_net_income")[:1]
    )
    fields = (
        "file_number", "village__parent__parent__name", "village__parent__name", "village__name", "head_name",
        "head_id", "member_count", "attribute", "status", "main_cause", "secondary_causes", "identified_year",
        "phone", "address", "food_secure", "clothing_secure", "education_secured", "medical_secured",
        "housing_secured", "income",
    )  # fmt: skip
    qs = queryset.annotate(head_id=Subquery(head_id), income=Subquery(latest_income)).values_list(*fields)
    header = [
        _("File number"), _("County"), _("Township"), _("Village"), _("Head of household"), _("ID number"),
        _("Members"), _("Household attribute"), _("Status"), _("Main poverty cause"), _("Other poverty causes"),
        _("Identification year"), _("Phone"), _("Address"), _("Two no-worries, three guarantees"),
        _("Per-capita net income (yuan)"),
    ]  # fmt: skip
    attributes = choice_labels(HouseholdAttribute)
    statuses = choice_labels(HouseholdStatus)
    causes = choice_labels(PovertyCause)
    met, not_met = str(_("met")), str(_("not met"))

    def rows():
        for (
            file_number, county, township, village, head_name, head_id, member_count, attribute, status,
            main_cause, secondary, year, phone, address, food, clothing, education, medical, housing, income,
        ) in qs.iterator(chunk_size=5000):  # fmt: skip
            yield [
                file_number, county or "", township or "", village, head_name, head_id or "", member_count,
                attributes.get(attribute, attribute), statuses.get(status, status),
                causes.get(main_cause, main_cause), "、".join(causes.get(c, c) for c in secondary),
                year, phone, pii.mask_id_numbers(address),  # free text (core.pii)
                met if food and clothing and education and medical and housing else not_met,
                income,  # a Decimal: yuan, #,##0.00
            ]  # fmt: skip

    book = xlsx.Workbook()
    sheet = book.sheet(_("Households"), headers=header)
    with transaction.atomic(), connection.cursor() as cursor:
        # The planner's estimate for 100,000 rows with two subqueries each passes jit_above_cost; the
        # JIT compilation then takes longer (seconds) than the whole query without it.
        cursor.execute("SET LOCAL jit = off")
        sheet.extend(rows())
    return book.content()
