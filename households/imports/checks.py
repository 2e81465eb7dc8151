"""The checks of the import: each row's rules (the register's, households/validation.py), then per batch
the file numbers and ID numbers against the register and the file so far, then the household-wide
rules (one head, a household goes in whole or not at all).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from core import pii
from core.idnumbers import stored_as_number, stored_as_number_message
from core.models import Region, RegionLevel
from core.regions import prefix_from_code

from ..models import (
    Household,
    Member,
    Relation,
)
from ..validation import clean_household, clean_member, parse_decimal
from .columns import COLUMNS, FALSE, TRUE, _choice_map, _text
from .rows import Row


def _year(value) -> str:
    """A year cell: a date typed where a year belongs (2016-01-01, or 2016年 read as a date) gives
    its year; anything else is read as text."""
    if isinstance(value, dt.date):
        return str(value.year)
    return _text(value)


def _refused(row: Row, key: str) -> bool:
    """Was the cell already refused (a formula without its result: reader.RowReader)?"""
    return any(k == key for k, _m in row.errors)


@dataclass(slots=True)
class Seen:
    """What the check keeps of a file number across the whole file (rows need not be adjacent)."""

    first: int  # row number of its first row (the household columns are read there)
    last: int
    rows: int = 0
    heads: int = 0
    bad: list[int] = field(default_factory=list)  # rows with errors, in file order


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
        id_cell = row.values.get("id_number")
        if stored_as_number(id_cell):
            # A numeric cell, or a CSV's "4.10821E+17": the last digits are gone (core.idnumbers).
            row.error("id_number", stored_as_number_message())
            id_cell = None
        data = {
            "name": _text(row.values.get("name")),
            "id_number": _text(id_cell),
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
            "identified_year": _year(row.values.get("identified_year")),
            "main_cause": self._choice(row, "main_cause"),
            "secondary_causes": self._choice(row, "secondary_causes", many=True),
        }
        cleaned, errors = clean_household(data)
        self._add(row, errors)
        village = _text(row.values.get("village"))
        if village not in self.villages and not _refused(row, "village"):
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
                year = int(_year(row.values.get("income_year")) or cleaned.get("identified_year") or 0)
            except ValueError:
                year = 0
            if not 2013 <= year <= self.this_year and not _refused(row, "identified_year"):
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
                if not _refused(row, "file_number"):
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
            from ..services.registry import duplicate_message

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
