"""Evidence of a measure's progress: an upload done through core.uploads."""

from __future__ import annotations

from django.db import transaction

from core.audit import actor_context
from core.models import User
from core.uploads import delete_stored, store_upload

from ..models import Evidence, Measure
from .common import _ensure_household_writable, _touch_plan

EVIDENCE_KINDS = ("jpg", "png", "pdf", "xlsx")


@transaction.atomic
def evidence_attach(*, measure: Measure, actor: User, upload, note: str = "") -> Evidence:
    """Store an uploaded file under MEDIA_ROOT (random name) and link it to the measure."""
    _ensure_household_writable(actor, measure.plan.household)
    # The type comes from the file's bytes, not the name or what the browser claimed
    # (a "photo" that is really HTML would otherwise be served back as HTML); stored encrypted.
    stored = store_upload(
        upload, kinds=EVIDENCE_KINDS, folder=f"assistance/evidence/{measure.plan_id}", field="file"
    )
    evidence = Evidence(
        measure=measure,
        file=stored.path,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size=stored.size,
        note=(note or "").strip()[:200],
        uploaded_by=actor,
    )
    with actor_context(actor):
        try:
            evidence.save()
        except Exception:
            delete_stored(stored.path)
            raise
        _touch_plan(measure.plan_id)
    return evidence
