"""数据比对: start a cross-check run, match a department's list, decide each flag.

The list is read once by a worker (households.tasks.run_crosscheck): ID numbers are never kept,
only matched by the keyed hash under every live key (core.pii.keyed_hashes), against members of
the uploader's county only; the file is deleted when the run ends. A payment to a deceased member
is read from the apps that pay households: each may name, in its AppConfig,
`crosscheck_payment_readers` — functions `(deaths: {household_id: date}) → {household_id: [facts]}`
(funds does); households imports none of them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterator

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core import pii, uploads, xlsx
from core.exceptions import DomainError
from core.idnumbers import parse_id_number, stored_as_number, stored_as_number_message
from core.models import RegionLevel
from core.scoping import ensure_can_write, ensure_in_scope, region_rows
from core.transitions import transition

from ..models import (
    ACTIVE_STATUSES,
    REMOVAL_RULES,
    CrossCheckFlag,
    CrossCheckRule,
    CrossCheckRun,
    CrossCheckSource,
    FlagAction,
    FlagStatus,
    HouseholdStatus,
    Member,
)

logger = logging.getLogger(__name__)

PERMISSION = "households.run_crosscheck"
MAX_ROWS = 200_000
BATCH = 2000  # rows matched together: one query for their hashes
FACT_COLUMNS = 8  # columns of the list kept on a flag besides the ID number
FACT_CHARS = 100
NOTES = 3  # unreadable rows named in the run's message
# Households the asset and payroll rules concern: poor on the register now.
POOR_NOW = (HouseholdStatus.REGISTERED, HouseholdStatus.RETURNED)
ID_HEADERS = ("身份证号", "身份证号码", "公民身份号码", "证件号码", "身份证", "id number", "id_number")
DATE_HEADERS = ("死亡日期", "注销日期", "迁出日期", "迁移日期", "日期", "date")
# What a list's match means, by the list it came from.
SOURCE_RULES = {
    CrossCheckSource.VEHICLES: (CrossCheckRule.OWNS_VEHICLE,),
    CrossCheckSource.BUSINESSES: (CrossCheckRule.OWNS_BUSINESS,),
    CrossCheckSource.PROPERTY: (CrossCheckRule.OWNS_PROPERTY,),
    CrossCheckSource.PUBLIC_PAYROLL: (CrossCheckRule.PUBLIC_PAYROLL,),
    CrossCheckSource.DEATHS: (CrossCheckRule.DECEASED_COUNTED, CrossCheckRule.PAID_AFTER_DEATH),
    CrossCheckSource.MOVES: (CrossCheckRule.MOVED_COUNTED,),
}


def crosscheck_folder() -> str:
    return f"households/crosschecks/{timezone.now():%Y/%m}"


def _county_of(actor) -> str:
    region = getattr(actor, "region", None)
    if region is None or region.level != RegionLevel.COUNTY:
        raise DomainError(
            _("A cross-check covers one county: your account's region is not a county."), code="forbidden"
        )
    return region.code


def crosscheck_start(*, actor, upload, source: str) -> CrossCheckRun:
    """Check and store the list (xlsx or CSV, core.uploads), queue the run once the transaction commits."""
    from ..tasks import run_crosscheck

    ensure_can_write(actor)
    if not actor.has_perm(PERMISSION):
        raise DomainError(_("Your role may not run cross-checks."), code="forbidden")
    if source not in CrossCheckSource.values:
        raise DomainError(_("Choose the list you upload."), field="source")
    county = _county_of(actor)
    # Refused files are never stored or queued; stored encrypted (full ID numbers), deleted after the run.
    stored = uploads.store_upload(upload, kinds=uploads.TABLES, folder=crosscheck_folder(), field="file")
    run = CrossCheckRun(
        source=source, file=stored.path, file_name=stored.original_name, created_by=actor, region_id=county
    )
    try:
        run.save()
    except Exception:
        uploads.delete_stored(stored.path)
        raise
    transaction.on_commit(lambda: run_crosscheck.delay(run.pk))
    return run


# --- the run (a worker) -------------------------------------------------------------------------


def _rows(data: bytes, name: str) -> Iterator[tuple[int, list]]:
    if data.startswith(b"PK\x03\x04"):
        try:
            yield from xlsx.read_sheet(data)
        except xlsx.UnreadableWorkbook as exc:
            raise DomainError(
                _("The workbook cannot be read: %(error)s") % {"error": exc}, field="file"
            ) from None
    else:
        yield from xlsx.read_csv(data)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _column(headers: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.lower() for h in headers]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    except ValueError:
        return None


def _payments_after(deaths: dict[int, dt.date]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = defaultdict(list)
    if not deaths:
        return found
    for config in apps.get_app_configs():
        for dotted in getattr(config, "crosscheck_payment_readers", ()):
            for household_id, facts in import_string(dotted)(deaths).items():
                found[household_id].extend(facts)
    return found


def _flags_for(
    run: CrossCheckRun, matches: list[tuple[int, dict, dt.date | None, Member]]
) -> list[CrossCheckFlag]:
    rules = SOURCE_RULES[run.source]
    flags = []
    paid = {}
    if CrossCheckRule.PAID_AFTER_DEATH in rules:
        deaths: dict[int, dt.date] = {}
        for _n, _f, date, member in matches:
            if date is not None:
                deaths[member.household_id] = min(date, deaths.get(member.household_id, date))
        paid = _payments_after(deaths)
    for number, facts, date, member in matches:
        household = member.household
        current = member.is_active and household.status in ACTIVE_STATUSES
        for rule in rules:
            extra = {}
            if rule in REMOVAL_RULES:
                hit = member.is_active and household.status in POOR_NOW
            elif rule == CrossCheckRule.PAID_AFTER_DEATH:
                payments = [p for p in paid.get(household.pk, []) if date and p["date"] >= date.isoformat()]
                hit = bool(payments)
                extra = {"payments": payments[:20]}
            else:
                hit = current
            if hit:
                flags.append(CrossCheckFlag(
                    run=run, rule=rule, household=household, member=member, row_number=number,
                    facts={**facts, **extra}, event_date=date,
                ))  # fmt: skip
    return flags


def _match(run: CrossCheckRun, batch: list[tuple[int, str, dict, dt.date | None]]) -> list[CrossCheckFlag]:
    by_hash: dict[str, list[tuple[int, dict, dt.date | None]]] = defaultdict(list)
    for number, id_number, facts, date in batch:
        for digest in pii.keyed_hashes(id_number):
            by_hash[digest].append((number, facts, date))
    # Only the uploader's county: a list may name anyone in the province.
    members = region_rows(
        Member.objects.select_related("household").filter(id_number_hash__in=list(by_hash)),
        field="household__village_id",
        region=run.region_id,
    )
    matches = [(n, f, d, m) for m in members for n, f, d in by_hash[m.id_number_hash]]
    run.matched_rows += len({n for n, _f, _d, _m in matches})
    return _flags_for(run, matches)


def crosscheck_run(run: CrossCheckRun) -> CrossCheckRun:
    """Read the list, match it, raise the flags; the run's figures are saved with its flags in one
    transaction, so a run repeated after a killed worker starts again from nothing (the unique
    flag per run, member and rule makes a repeat harmless all the same)."""
    try:
        data = uploads.read_stored(run.file.name)
    except FileNotFoundError:
        raise DomainError(_("The uploaded list is gone; upload it again."), field="file") from None
    rows = _rows(data, run.file_name)
    header = next(rows, None)
    if header is None:
        raise DomainError(_("The list is empty."), field="file")
    headers = [_text(v) for v in header[1]]
    id_col = _column(headers, ID_HEADERS)
    if id_col is None:
        raise DomainError(_("The list has no ID number column (身份证号)."), field="file")
    date_col = _column(headers, DATE_HEADERS)
    fact_cols = [i for i, h in enumerate(headers) if i != id_col and h][:FACT_COLUMNS]
    body = list(rows)
    if len(body) > MAX_ROWS:
        raise DomainError(_("The list has more than %(n)d rows; split it.") % {"n": MAX_ROWS}, field="file")
    run.total_rows = len(body)
    run.processed_rows = run.matched_rows = run.unreadable_rows = 0
    CrossCheckRun.objects.filter(pk=run.pk).update(total_rows=run.total_rows, processed_rows=0)
    flags: list[CrossCheckFlag] = []
    batch: list[tuple[int, str, dict, dt.date | None]] = []
    notes: list[str] = []  # why the first unreadable rows whose cause is the spreadsheet were not read
    for number, values in body:
        cells = list(values) + [None] * (len(headers) - len(values))
        id_cell = cells[id_col]
        if type(id_cell) is xlsx.Uncomputed or stored_as_number(id_cell):
            # A formula saved without its result, or 18 digits the spreadsheet made a number.
            run.unreadable_rows += 1
            if len(notes) < NOTES:
                notes.append(
                    xlsx.uncomputed_message(number, headers[id_col])
                    if type(id_cell) is xlsx.Uncomputed
                    else _("Row %(row)d: %(message)s")
                    % {"row": number, "message": stored_as_number_message()}
                )
            continue
        try:
            id_number = parse_id_number(_text(id_cell)).number
        except (ValidationError, AttributeError):
            run.unreadable_rows += 1
            continue
        facts = {headers[i]: _text(cells[i])[:FACT_CHARS] for i in fact_cols if _text(cells[i])}
        batch.append((number, id_number, facts, _date(cells[date_col]) if date_col is not None else None))
        if len(batch) >= BATCH:
            flags += _match(run, batch)
            batch = []
            run.processed_rows = min(run.total_rows, number)
            CrossCheckRun.objects.filter(pk=run.pk).update(processed_rows=run.processed_rows)
    if batch:
        flags += _match(run, batch)
    with transaction.atomic():
        CrossCheckFlag.objects.bulk_create(flags, ignore_conflicts=True, batch_size=1000)
        run.flags_raised = CrossCheckFlag.objects.filter(run=run).count()
        run.processed_rows = run.total_rows
        run.finished_at = timezone.now()
        run.message = "；".join(notes)
        CrossCheckRun.objects.filter(pk=run.pk).update(
            total_rows=run.total_rows, processed_rows=run.processed_rows, matched_rows=run.matched_rows,
            unreadable_rows=run.unreadable_rows, flags_raised=run.flags_raised, finished_at=run.finished_at,
            message=run.message,
        )  # fmt: skip
    logger.info(
        "crosscheck %s (%s, county %s): %s rows, %s matched, %s flags",
        run.pk, run.source, run.region_id, run.total_rows, run.matched_rows, run.flags_raised,
    )  # fmt: skip
    return run


def crosscheck_discard_file(run_id: int) -> bool:
    """Delete the run's list (it holds full ID numbers) once the run has ended, done or failed."""
    path = CrossCheckRun.objects.filter(pk=run_id).values_list("file", flat=True).first()
    if not path:
        return False
    uploads.delete_stored(path)
    CrossCheckRun.objects.filter(pk=run_id).update(file="")
    return True


# --- decisions ----------------------------------------------------------------------------------


def _lock(flag: CrossCheckFlag) -> CrossCheckFlag:
    return (
        CrossCheckFlag.objects.select_for_update()
        .select_related("household", "member", "run")
        .get(pk=flag.pk)
    )


def _require_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) < 2:
        raise DomainError(_("Give the reason."), field="note")
    return note


def _correct(flag: CrossCheckFlag, *, actor, note: str) -> str:
    """Start the correction or removal procedure the flag's rule calls for; returns what was done."""
    from .registry import member_update
    from .status import household_remove

    label = flag.get_rule_display()
    reason = _("Cross-check (%(rule)s): %(note)s") % {"rule": label, "note": note or label}
    if flag.rule in REMOVAL_RULES:
        if flag.household.status == HouseholdStatus.REMOVED:
            return FlagAction.ALREADY_DONE
        household_remove(household=flag.household, actor=actor, reason=reason)
        return FlagAction.HOUSEHOLD_REMOVED
    if not flag.member.is_active:
        return FlagAction.ALREADY_DONE
    left = (
        _("deceased") if flag.rule != CrossCheckRule.MOVED_COUNTED else _("household registration moved away")
    )
    if flag.event_date:
        left = f"{left} {flag.event_date.isoformat()}"
    member_update(member=flag.member, actor=actor, data={"is_active": False, "left_reason": left[:100]})
    return FlagAction.MEMBER_LEFT


@transaction.atomic
def crosscheck_flag_decide(*, flag: CrossCheckFlag, actor, decision: str, note: str = "") -> CrossCheckFlag:
    """Confirm a flag (its correction or removal procedure starts in the same transaction) or
    dismiss it with a reason."""
    if not actor.has_perm(PERMISSION):
        raise DomainError(_("Your role may not decide cross-check flags."), code="forbidden")
    ensure_can_write(actor, flag.household.village_id)
    ensure_in_scope(actor, flag.household.village_id)
    flag = _lock(flag)
    note = (note or "").strip()
    if decision == FlagStatus.DISMISSED:
        note = _require_note(note)
        action = FlagAction.NONE
    elif decision == FlagStatus.CONFIRMED:
        if flag.status != FlagStatus.OPEN:
            transition(flag, decision, actor=actor, note=note)  # refused: TransitionNotAllowed
        action = _correct(flag, actor=actor, note=note)
    else:
        raise DomainError(_("Confirm or dismiss the flag."), field="decision")
    return transition(
        flag, decision, actor=actor, note=note,
        updates={"decision_note": note, "action": action, "decided_by": actor, "decided_at": timezone.now()},
    )  # fmt: skip
