"""Read audit history (django-pghistory events) for display: who, when, before → after."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
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
class HistoryEntry:
    at: object
    actor: str
    label: str
    changes: list[tuple[str, object, object]]
    url: str


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


def history_for(*objs, limit: int = 100, actor=None) -> list[HistoryEntry]:
    """`actor`: personal fields (birth date, ID mask) in full only if they may reveal ID numbers."""
    reveal = pii.can_reveal(actor)
    events = list(Events.objects.tracks(*objs).order_by("-pgh_created_at", "-pgh_id")[:limit])
    user_ids = {
        (e.pgh_context or {}).get("user") for e in events if (e.pgh_context or {}).get("user") is not None
    }
    names = {u.pk: str(u) for u in get_user_model().objects.filter(pk__in=user_ids)}
    entries = []
    for e in events:
        ctx = e.pgh_context or {}
        diff = e.pgh_diff or {}
        changes = [(k, v[0], v[1]) for k, v in sorted(diff.items()) if k not in HIDDEN_FIELDS]
        if not reveal:
            changes = _personal(changes)
        if e.pgh_label != "update" or changes:
            entries.append(
                HistoryEntry(
                    at=e.pgh_created_at,
                    actor=names.get(ctx.get("user"), "—" if ctx.get("user") is None else f"#{ctx['user']}"),
                    label=e.pgh_label,
                    changes=changes,
                    url=ctx.get("url", ""),
                )
            )
    return entries
