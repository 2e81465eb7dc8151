"""Excel import of households with members (one row per member, grouped by file number) and export.

The import validates the whole file first (a few bulk queries, no query per row), then commits:
in valid-rows mode every household whose rows are all valid, chunk by chunk (savepoints of one
transaction that also completes the job), with a per-row error report; in all-or-nothing mode
nothing at all if any row is wrong. Writes use bulk_create, under the uploader's history context,
with the same rules as the register service (households/validation.py).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from core import pii
from core.audit import actor_context
from core.exceptions import DomainError
from core.models import Region, RegionLevel
from core.regions import prefix_from_code
from core.scoping import ensure_can_write, scope_prefix

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
)
from .validation import GUARANTEE_FIELDS, clean_household, clean_member, parse_decimal

logger = logging.getLogger(__name__)

MAX_ROWS = 200_000
CHUNK = 500  # households per transaction in valid-rows mode

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


@dataclass
class Row:
    number: int  # the spreadsheet row number (header is row 1)
    values: dict
    raw: list
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field key, message)

    def error(self, key: str, message: str) -> None:
        self.errors.append((key, str(message)))


@dataclass
class Group:
    file_number: str
    rows: list[Row]
    household: dict | None = None
    village: str = ""
    members: list[dict] = field(default_factory=list)
    income: tuple[int, Decimal] | None = None

    @property
    def valid(self) -> bool:
        return not any(r.errors for r in self.rows)


def label_of(key: str) -> str:
    for k, label, _kind in COLUMNS:
        if k == key:
            return str(label)
    return key


def read_rows(data: bytes) -> list[Row]:
    """Parse the first sheet. Unknown columns (such as the error column of a report) are ignored."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise DomainError(_("The file is not a readable .xlsx workbook."), field="file") from exc
    sheet = book.worksheets[0]
    rows_iter = sheet.iter_rows(values_only=True)
    header = next(rows_iter, None)
    if not header:
        raise DomainError(_("The sheet is empty."), field="file")
    mapping = _header_map()
    keys = [mapping.get(_text(h).lower()) for h in header]
    missing = [label_of(k) for k in ("file_number", "village", "name", "id_number") if k not in keys]
    if missing:
        raise DomainError(
            _("The header row lacks these columns: %(cols)s. Start from the template.")
            % {"cols": "、".join(missing)},
            field="file",
        )
    rows = []
    for number, raw in enumerate(rows_iter, start=2):
        if raw is None or all(v in (None, "") for v in raw):
            continue
        values = {k: raw[i] for i, k in enumerate(keys) if k and i < len(raw)}
        rows.append(Row(number=number, values=values, raw=list(raw)))
        if len(rows) > MAX_ROWS:
            raise DomainError(_("A file holds at most %(n)d rows.") % {"n": MAX_ROWS}, field="file")
    book.close()
    return rows


class Validator:
    def __init__(self, *, actor, region_code: str):
        self.actor = actor
        self.prefix = prefix_from_code(region_code)
        self.choice_maps = {key: _choice_map(kind) for key, _l, kind in COLUMNS if kind not in (None, bool)}
        villages = Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=self.prefix)
        self.villages = set(villages.values_list("code", flat=True))

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
        mapping = self.choice_maps[key]
        parts = [p.strip() for p in text.replace("，", ",").replace("、", ",").split(",") if p.strip()]
        out = []
        for part in parts if many else [text]:
            value = mapping.get(part.lower())
            if value is None:
                row.error(key, _("“%(value)s” is not one of the allowed values.") % {"value": part})
            else:
                out.append(value)
        return out if many else (out[0] if out else "")

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
            if Region.objects.filter(code=village, level=RegionLevel.VILLAGE).exists():
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
            if not 2013 <= year <= timezone.localdate().year:
                row.error("income_year", _("The year lies between 2013 and this year."))
            for message in errors.get("per_capita_net_income", []):
                row.error("per_capita_net_income", message)
            if amount is not None and year >= 2013:
                income = (year, amount)
        return cleaned, village, income

    def validate(self, rows: list[Row], progress=None) -> list[Group]:
        groups: dict[str, Group] = {}
        order: list[Group] = []
        for i, row in enumerate(rows):
            file_number = _text(row.values.get("file_number"))
            if not file_number:
                row.error("file_number", _("Enter the household's file number."))
                member = self.member(row)
                continue
            group = groups.get(file_number)
            if group is None:
                group = groups[file_number] = Group(file_number=file_number, rows=[])
                order.append(group)
                group.household, group.village, group.income = self.household(row)
            group.rows.append(row)
            member = self.member(row)
            member["_row"] = row
            group.members.append(member)
            if progress and i % 1000 == 999:
                progress(i + 1)
        self._check_groups(order)
        self._check_register(order)
        # A household goes in whole or not at all: its other rows are named in the report.
        for group in order:
            bad = [r.number for r in group.rows if r.errors]
            if bad:
                for row in group.rows:
                    if not row.errors:
                        row.error(
                            "file_number",
                            _("Not imported: another row of household %(file)s is invalid (row %(rows)s).")
                            % {"file": group.file_number, "rows": ", ".join(map(str, bad))},
                        )
        return order

    def _check_groups(self, groups: list[Group]) -> None:
        seen: dict[str, Row] = {}
        for group in groups:
            heads = [m for m in group.members if m.get("relation") == Relation.HEAD]
            if len(heads) != 1:
                group.rows[0].error(
                    "relation",
                    _("A household has exactly one head; %(n)d are marked as head.") % {"n": len(heads)},
                )
            for member in group.members:
                if "id_number" not in member:
                    continue
                digest = pii.keyed_hash(member["id_number"])
                member["_hash"] = digest
                first = seen.get(digest)
                if first is not None:
                    member["_row"].error(
                        "id_number",
                        _("The same ID number is already in row %(row)d of this file.")
                        % {"row": first.number},
                    )
                else:
                    seen[digest] = member["_row"]

    def _check_register(self, groups: list[Group]) -> None:
        files = [g.file_number for g in groups]
        taken = set()
        for i in range(0, len(files), 5000):
            taken.update(
                Household.objects.filter(file_number__in=files[i : i + 5000]).values_list(
                    "file_number", flat=True
                )
            )
        for group in groups:
            if group.file_number in taken:
                group.rows[0].error("file_number", _("This file number is already in use."))
        by_hash = {m["_hash"]: m for g in groups for m in g.members if "_hash" in m}
        hashes = list(by_hash)
        from .services.registry import duplicate_message

        for i in range(0, len(hashes), 5000):
            holders = Member.objects.select_related("household__village").filter(
                id_number_hash__in=hashes[i : i + 5000], is_current=True
            )
            for holder in holders:
                member = by_hash[holder.id_number_hash]
                member["_row"].error("id_number", duplicate_message(actor=self.actor, holder=holder))


def _commit(groups: list[Group], *, actor, job: HouseholdImport) -> tuple[list[int], int]:
    """Insert households, members, incomes and status rows for valid groups (bulk, a handful of queries)."""
    now = timezone.now()
    households = []
    for g in groups:
        head = next(m for m in g.members if m.get("relation") == Relation.HEAD)
        data = {k: v for k, v in g.household.items() if k != "file_number"}
        households.append(
            Household(
                file_number=g.file_number,
                village_id=g.village,
                head_name=head["name"],
                member_count=len(g.members),
                status=HouseholdStatus.REGISTERED,
                status_changed_at=now,
                created_at=now,
                **data,
            )
        )
    Household.objects.bulk_create(households, batch_size=1000)
    members, incomes, changes = [], [], []
    reason = _("Imported from %(file)s (row %(row)d).")
    for g, household in zip(groups, households, strict=True):
        for m in g.members:
            member = Member(
                household_id=household.pk,
                is_current=True,
                created_at=now,
                **{k: v for k, v in m.items() if not k.startswith("_") and k != "id_number"},
            )
            member.id_number_cipher = pii.encrypt(m["id_number"])
            member.id_number_hash = m["_hash"]
            member.id_number_masked = pii.mask_id(m["id_number"])
            members.append(member)
        if g.income:
            incomes.append(
                Income(household_id=household.pk, year=g.income[0], per_capita_net_income=g.income[1])
            )
        changes.append(
            HouseholdStatusChange(
                household_id=household.pk,
                from_status="",
                to_status=HouseholdStatus.REGISTERED,
                actor=actor,
                reason=reason % {"file": job.file_name, "row": g.rows[0].number},
                at=now,
            )
        )
    Member.objects.bulk_create(members, batch_size=2000)
    Income.objects.bulk_create(incomes, batch_size=2000)
    HouseholdStatusChange.objects.bulk_create(changes, batch_size=2000)
    return [h.pk for h in households], len(members)


def error_report(rows: list[Row], header: list[str]) -> bytes:
    """Sheet 1: one line per error (row, field, rule). Sheet 2: the failed rows with an error column,
    ready to correct and upload again."""
    book = Workbook(write_only=True)
    errors = book.create_sheet(_("Errors"))
    errors.append([_("Row"), _("Field"), _("Error")])
    failed = [r for r in rows if r.errors]
    for row in failed:
        for key, message in row.errors:
            errors.append([row.number, label_of(key), safe_cell(message)])
    data = book.create_sheet(_("Rows to correct"))
    data.append([_("Row"), *header, _("Error")])
    for row in failed:
        message = "；".join(f"{label_of(k)}：{m}" for k, m in row.errors)
        data.append([row.number, *[safe_cell(v) for v in row.raw], safe_cell(message)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(job: HouseholdImport) -> HouseholdImport:
    """Process a claimed import job (status RUNNING). Called by the Celery task."""
    actor = job.created_by
    with translation.override(translation.get_language() or "zh-hans"):
        job.file.open("rb")
        try:
            data = job.file.read()
        finally:
            job.file.close()
        rows = read_rows(data)
        HouseholdImport.objects.filter(pk=job.pk).update(total_rows=len(rows), message=_("Checking rows…"))
        job.total_rows = len(rows)

        def progress(n):
            HouseholdImport.objects.filter(pk=job.pk).update(processed_rows=n)

        validator = Validator(actor=actor, region_code=job.region_id)
        groups = validator.validate(rows, progress=progress)
        valid = [g for g in groups if g.valid]
        bad_rows = sum(1 for r in rows if r.errors)
        job.processed_rows = len(rows)
        job.error_rows = bad_rows
        HouseholdImport.objects.filter(pk=job.pk).update(
            processed_rows=len(rows), error_rows=bad_rows, message=_("Saving households…")
        )
        # The households, the job's completion and the duplicate scan commit together (chunks are
        # savepoints): a worker killed mid-save leaves nothing, and the re-run starts clean.
        with transaction.atomic():
            created_h = created_m = 0
            created_ids: list[int] = []
            if job.mode == ImportMode.ALL_OR_NOTHING and bad_rows:
                message = _(
                    "Nothing was imported: %(n)d rows have errors. Correct them and upload the file again."
                ) % {"n": bad_rows}
            else:
                chunks = (
                    [valid]
                    if job.mode == ImportMode.ALL_OR_NOTHING
                    else [valid[i : i + CHUNK] for i in range(0, len(valid), CHUNK)]
                )
                for chunk in chunks:
                    try:
                        with transaction.atomic(), actor_context(actor, import_id=job.pk):
                            h, m = _commit(chunk, actor=actor, job=job)
                    except IntegrityError:
                        # Someone registered one of these people or file numbers meanwhile: report, keep going.
                        logger.warning("import %s: a chunk conflicted with concurrent registrations", job.pk)
                        for g in chunk:
                            g.rows[0].error(
                                "id_number",
                                _("Conflicts with a household registered meanwhile; upload this row again."),
                            )
                        if job.mode == ImportMode.ALL_OR_NOTHING:
                            created_h = created_m = 0
                            created_ids = []
                            break
                        continue
                    created_ids += h
                    created_h += len(h)
                    created_m += m
                    HouseholdImport.objects.filter(pk=job.pk).update(
                        households_created=created_h, members_created=created_m
                    )
                bad_rows = sum(1 for r in rows if r.errors)
                message = _("%(h)d households with %(m)d members imported; %(bad)d rows have errors.") % {
                    "h": created_h,
                    "m": created_m,
                    "bad": bad_rows,
                }
            if bad_rows:
                header = [str(label) for _k, label, _kind in COLUMNS]
                job.error_report.save(
                    f"errors-{job.pk}.xlsx", ContentFile(error_report(rows, header)), save=False
                )
            job.households_created = created_h
            job.members_created = created_m
            job.error_rows = bad_rows
            job.message = message
            job.status = ImportStatus.DONE
            job.finished_at = timezone.now()
            job.save()
            if created_ids:
                from .services.duplicates import duplicates_scan

                duplicates_scan(household_ids=created_ids)
    logger.info("import %s: %s households, %s members, %s bad rows", job.pk, created_h, created_m, bad_rows)
    return job


def import_start(*, actor, upload, mode: str) -> HouseholdImport:
    """Store the upload and queue the task once the transaction commits."""
    ensure_can_write(actor)
    if not actor.has_perm("households.import_households"):
        raise DomainError(_("Your role may not import households."), code="forbidden")
    name = getattr(upload, "name", "upload.xlsx")
    if not name.lower().endswith(".xlsx"):
        raise DomainError(_("Upload an .xlsx file (Excel 2007 or later)."), field="file")
    if mode not in ImportMode.values:
        raise DomainError(_("Choose an import mode."), field="mode")
    prefix = scope_prefix(actor)
    region = (
        actor.region_id or Region.objects.filter(parent__isnull=True).values_list("code", flat=True).first()
    )
    if prefix is None or region is None:
        raise DomainError(_("Your account has no region."), code="forbidden")
    job = HouseholdImport(file_name=name[:200], mode=mode, created_by=actor, region_id=region)
    job.file.save(f"import-{timezone.now():%Y%m%d%H%M%S}.xlsx", upload, save=False)
    job.save()
    from .tasks import run_import

    transaction.on_commit(lambda: run_import.delay(job.pk))
    return job


def template_workbook() -> bytes:
    """The downloadable template: headers, one example household, drop-down lists for coded columns."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Households")
    sheet.append([str(label) for _k, label, _kind in COLUMNS])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
    sheet.freeze_panes = "A2"
    lists = book.create_sheet(_("Allowed values"))
    col = 1
    for index, (_key, label, kind) in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 16
        if kind is None:
            continue
        values = [_("yes"), _("no")] if kind is bool else [str(lbl) for _v, lbl in kind.choices]
        values = ["是", "否"] if kind is bool and translation.get_language().startswith("zh") else values
        list_letter = lists.cell(row=1, column=col).column_letter
        lists.cell(row=1, column=col, value=str(label)).font = bold
        for r, v in enumerate(values, start=2):
            lists.cell(row=r, column=col, value=v)
        if _key != "secondary_causes":
            dv = DataValidation(
                type="list",
                formula1=f"'{lists.title}'!${list_letter}$2:${list_letter}${len(values) + 1}",
                allow_blank=True,
            )
            sheet.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{MAX_ROWS}")
        col += 1
    sheet.column_dimensions["Q"].width = 22
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export_workbook(queryset) -> bytes:
    """Any filtered household list as .xlsx (ID numbers masked, formula-like text neutralised)."""
    from django.db.models import OuterRef, Subquery

    head_id = Member.objects.filter(household=OuterRef("pk"), relation=Relation.HEAD, is_active=True).values(
        "id_number_masked"
    )[:1]
    latest_income = (
        Income.objects.filter(household=OuterRef("pk")).order_by("-year").values("per_capita_net_income")[:1]
    )
    qs = queryset.select_related("village__parent__parent").annotate(
        head_id=Subquery(head_id), income=Subquery(latest_income)
    )
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Households"))
    header = [
        _("File number"), _("County"), _("Township"), _("Village"), _("Head of household"), _("ID number"),
        _("Members"), _("Household attribute"), _("Status"), _("Main poverty cause"), _("Other poverty causes"),
        _("Identification year"), _("Phone"), _("Address"), _("Two no-worries, three guarantees"),
        _("Per-capita net income (yuan)"),
    ]  # fmt: skip
    sheet.append([WriteOnlyCell(sheet, value=str(h)) for h in header])
    causes = dict(PovertyCause.choices)
    for h in qs.iterator(chunk_size=2000):
        village = h.village
        township = village.parent
        county = township.parent if township else None
        row = [
            h.file_number, county.name if county else "", township.name if township else "", village.name,
            h.head_name, h.head_id or "", h.member_count, h.get_attribute_display(), h.get_status_display(),
            h.get_main_cause_display(), "、".join(str(causes.get(c, c)) for c in h.secondary_causes),
            h.identified_year, h.phone, h.address, _("met") if h.guarantees_met else _("not met"),
            float(h.income) if h.income is not None else None,
        ]  # fmt: skip
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=safe_cell(value))
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
