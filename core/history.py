"""Read audit history (django-pghistory events) for display: who, when, before → after."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from pghistory.models import Events

HIDDEN_FIELDS = {
    "updated_at", "created_at", "password", "id_number_cipher", "id_number_hash", "id_number_key_version",
}  # fmt: skip


@dataclass
class HistoryEntry:
    at: object
    actor: str
    label: str
    changes: list[tuple[str, object, object]]
    url: str


def history_for(*objs, limit: int = 100) -> list[HistoryEntry]:
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
