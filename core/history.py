"""Read audit history (django-pghistory events) for display: who, when, before → after.

The one presenter of history for every page (issue 21): each change reads in words — the field's
verbose name, a choice's label, the related object's name, money in yuan (12,345.60), dates as
2017年5月12日 and times in local time — never a column name, an id or a stored enum value. The raw
change stays on `HistoryEntry.changes` for code that compares values."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from pghistory.models import Events

from core import pii

HIDDEN_FIELDS = {
    "updated_at", "created_at", "password", "id_number_cipher", "id_number_hash", "id_number_key_version",
}  # fmt: skip
# Fields that, beside a masked ID number, would give its hidden digits back (issue 15.1): shown to
# roles that may reveal full numbers; others see the birth year only, and never a mask (old event
# rows kept the older, weaker masks).
PERSONAL_FIELDS_HIDDEN = {"id_number_masked"}
PERSONAL_DATE_FIELDS = {"birth_date"}


@dataclass
class Change:
    """One change in words: the field's verbose name and the values as a person reads them."""

    field: str
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    at: object
    actor: str
    label: str
    changes: list[tuple[str, object, object]]
    url: str
    words: list[Change] = dataclass_field(default_factory=list)
    subject: str = ""  # what changed when a page merges several models' history (a member, a measure)

    @property
    def action(self) -> str:
        return {
            "insert": pgettext("history", "created"),
            "update": pgettext("history", "changed"),
            "delete": pgettext("history", "deleted"),
        }.get(self.label, self.label)


def _personal(changes: list[tuple[str, object, object]]) -> list[tuple[str, object, object]]:
    """The changes as a role without the reveal permission may see them."""
    out = []
    for field, before, after in changes:
        if field in PERSONAL_FIELDS_HIDDEN:
            continue
        if field in PERSONAL_DATE_FIELDS:
            before, after = (str(v)[:4] if v else v for v in (before, after))
            if before == after:
                continue
        out.append((field, before, after))
    return out


def history_for(*objs, limit: int = 100, actor=None, name_each: bool = False) -> list[HistoryEntry]:
    """`actor`: personal fields (birth date, ID mask) in full only if they may reveal ID numbers.
    `name_each`: each entry names what changed (a member) even when all are of one model — for a page
    that lists them beside another's (the household's page lists its members' changes with its own)."""
    reveal = pii.can_reveal(actor)
    events = list(Events.objects.tracks(*objs).order_by("-pgh_created_at", "-pgh_id")[:limit])
    user_ids = {
        (e.pgh_context or {}).get("user") for e in events if (e.pgh_context or {}).get("user") is not None
    }
    names = {u.pk: str(u) for u in get_user_model().objects.filter(pk__in=user_ids)}
    entries, labels = [], []
    for e in events:
        ctx = e.pgh_context or {}
        diff = e.pgh_diff or {}
        changes = [(k, v[0], v[1]) for k, v in sorted(diff.items()) if k not in HIDDEN_FIELDS]
        if not reveal:
            changes = _personal(changes)
        if e.pgh_label != "update" or changes:
            labels.append((e.pgh_obj_model, e.pgh_obj_id))
            entries.append(
                HistoryEntry(
                    at=e.pgh_created_at,
                    actor=names.get(ctx.get("user"), "—" if ctx.get("user") is None else f"#{ctx['user']}"),
                    label=e.pgh_label,
                    changes=changes,
                    url=ctx.get("url", ""),
                )
            )
    _in_words(entries, labels, name_each=name_each)
    return entries


# --- in words ---------------------------------------------------------------------------------------

MONEY_HINTS = ("amount", "balance", "budget", "money", "income", "price", "fee", "yuan", "subsidy")


def _fields_by_key(model) -> dict[str, models.Field]:
    """A model's concrete fields by name, attname and column (event diffs use either)."""
    out = {}
    for f in model._meta.concrete_fields:
        for key in {f.name, f.attname, f.column}:
            out[key] = f
    return out


def _in_words(
    entries: list[HistoryEntry], tracked: list[tuple[str, object]], *, name_each: bool = False
) -> None:
    """Fill each entry's `words`, and its `subject` when the entries are of several models, reading
    every related object's name in one query per related model."""
    kept = [(entry, label, obj_id) for entry, (label, obj_id) in zip(entries, tracked, strict=True)]
    fields_of = {}
    wanted: dict[type, set] = defaultdict(set)
    several = name_each or len({label for _e, label, _i in kept}) > 1
    for entry, label, obj_id in kept:
        model = _model(label)
        if several and model is not None:
            wanted[model].add(obj_id)
        fields_of[label] = _fields_by_key(model) if model else {}
        for key, before, after in entry.changes:
            f = fields_of[label].get(key)
            if f is not None and f.is_relation and f.related_model is not None:
                wanted[f.related_model].update(v for v in (before, after) if v not in (None, ""))
    names = {}
    for related, ids in wanted.items():
        try:
            objs = related._base_manager.in_bulk(list(ids))
        except (ValueError, TypeError):
            objs = {}
        names[related] = {str(k): pii.mask_id_numbers(str(v)) for k, v in objs.items()}
    for entry, label, obj_id in kept:
        model = _model(label)
        if several and model is not None:
            name = names.get(model, {}).get(str(obj_id), "")
            entry.subject = f"{model._meta.verbose_name} {name}".strip()
        fields = fields_of[label]
        for key, before, after in entry.changes:
            f = fields.get(key)
            entry.words.append(
                Change(
                    field=key,
                    label=str(f.verbose_name) if f is not None else key,
                    before=_value(f, before, names),
                    after=_value(f, after, names),
                )
            )


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _value(f, value, names) -> str:
    """A stored value as a person reads it."""
    if value is None or value == "" or value == []:
        return "—"
    if f is None:
        return pii.mask_id_numbers(str(value))
    if f.is_relation and f.related_model is not None:
        return names.get(f.related_model, {}).get(str(value), "—")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return pgettext("history", "yes") if value else pgettext("history", "no")
    if isinstance(f, models.DateTimeField):
        return _datetime(value)
    if isinstance(f, models.DateField):
        day = _date(value)
        return f"{day.year}年{day.month}月{day.day}日" if day else str(value)
    if isinstance(f, models.DecimalField):
        return _number(value, money=f.decimal_places == 2 and any(h in f.name for h in MONEY_HINTS))
    if isinstance(f, models.JSONField):
        text = json.dumps(value, ensure_ascii=False)
        return pii.mask_id_numbers(text if len(text) <= 80 else text[:79] + "…")
    return pii.mask_id_numbers(str(value))


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _datetime(value) -> str:
    try:
        moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def _number(value, *, money: bool) -> str:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if money:
        return _("%(amount)s yuan") % {"amount": f"{number.quantize(Decimal('0.01'), ROUND_HALF_UP):,.2f}"}
    return f"{number:,}"
