"""The rectification ledger (整改台账): items, their status transitions, and the overdue job."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import uploads
from core.audit import actor_context
from core.exceptions import DomainError, full_clean
from core.models import Unit
from core.regions import in_line, pad_code
from core.scoping import ensure_can_write
from core.transitions import record_created, transition

from ..models import (
    Finding,
    FindingStatus,
    ItemKind,
    ItemStatus,
    NotificationKind,
    RectificationEvidence,
    RectificationItem,
    evidence_submitter_ids,
)
from ..selectors import is_inspector, overdue_on
from .notify import notify

logger = logging.getLogger(__name__)


def _item_url(item: RectificationItem) -> str:
    return reverse("inspections:item_detail", args=[item.pk])


@transaction.atomic
def rectification_item_create(
    *,
    actor,
    finding: Finding,
    responsible_unit: Unit,
    deadline: dt.date,
    description: str,
    kind: str = ItemKind.COMMON,
    self_check: bool = False,
    spot_check: bool = False,
) -> RectificationItem:
    """Add an item to the ledger for a confirmed finding and notify the responsible unit.

    Inspectors assign items; a recipient of a province list adds its own (`self_check`); a spot check
    that found a first secretary absent adds the absence's (`spot_check`, services/absences.py).
    """
    if not (self_check or spot_check) and not is_inspector(actor):
        raise DomainError(_("Only inspectors assign rectification items."), field="responsible_unit")
    # Every region the item touches (issue 15.4): the finding's, and the responsible unit's — of the
    # finding's county or a region above it, never another county's.
    ensure_can_write(actor, finding.region_id)
    if not in_line(responsible_unit.region_id, pad_code(finding.region_id[:6])):
        raise DomainError(
            _("The responsible unit must belong to the inspected county or a region above it."),
            field="responsible_unit",
        )
    if finding.status != FindingStatus.CONFIRMED:
        raise DomainError(_("Items can be assigned only on a confirmed finding."), field="finding")
    if kind not in ItemKind.values:
        raise DomainError(_("Choose the kind of rectification."), field="kind")
    if not (description or "").strip():
        raise DomainError(_("Describe what must be rectified."), field="description")
    if deadline is None or deadline < timezone.localdate():
        raise DomainError(_("The deadline must be today or later."), field="deadline")
    with actor_context(actor):
        item = RectificationItem(
            finding=finding, responsible_unit=responsible_unit, region_id=responsible_unit.region_id,
            deadline=deadline, description=description.strip(), kind=kind,
        )  # fmt: skip
        full_clean(item)
        item.save()
    record_created(item, actor=actor)
    notify(
        unit=responsible_unit, kind=NotificationKind.ASSIGNED, item=item, url=_item_url(item),
        message=_("Rectification assigned, due %(deadline)s: %(text)s") % {"deadline": deadline, "text": item.description[:80]},
    )  # fmt: skip
    return item


@transaction.atomic
def rectification_item_submit(
    *, actor, item: RectificationItem, evidence_note: str, files=()
) -> RectificationItem:
    """The responsible unit reports the rectification done, with its evidence."""
    ensure_can_write(actor, item.region_id)
    evidence_note = (evidence_note or "").strip()
    if not evidence_note:
        raise DomainError(_("Describe the evidence of rectification."), field="evidence_note")
    for upload in files:  # every file checked before anything is written (core.uploads)
        uploads.validate_upload(upload, kinds=uploads.DOCUMENTS, field="files")
    locked = transition(
        item, ItemStatus.SUBMITTED, actor=actor, note=evidence_note,
        updates={"evidence_note": evidence_note, "submitted_at": timezone.now()},
    )  # fmt: skip
    with actor_context(actor):
        for upload in files:
            stored = uploads.store_upload(
                upload,
                kinds=uploads.DOCUMENTS,
                folder=f"inspections/evidence/{timezone.now():%Y/%m}",
                field="files",
            )
            try:
                RectificationEvidence.objects.create(
                    item=locked, file=stored.path, content_type=stored.content_type[:100], size=stored.size,
                    uploaded_by=actor,
                )  # fmt: skip
            except Exception:
                uploads.delete_stored(stored.path)
                raise
    return locked


@transaction.atomic
def rectification_item_close(*, actor, item: RectificationItem, note: str = "") -> RectificationItem:
    """逐项销号: an inspector verifies the evidence and closes the item."""
    if not is_inspector(actor):
        raise DomainError(_("Only an inspector closes a rectification item."), field="status")
    ensure_can_write(actor)
    item = RectificationItem.objects.select_for_update().get(pk=item.pk)
    if item.status == ItemStatus.SUBMITTED and not item.evidence_note.strip():
        raise DomainError(_("An item cannot be closed without evidence."), field="evidence_note")
    if item.status == ItemStatus.SUBMITTED and actor.pk in evidence_submitter_ids(item):
        # 逐项销号 is an independent check: whoever submitted the evidence does not verify it.
        raise DomainError(
            _("You submitted this item's evidence, so another inspector must verify and close it."),
            field="status",
        )
    locked = transition(
        item,
        ItemStatus.CLOSED,
        actor=actor,
        note=note,
        updates={"closed_at": timezone.now(), "closed_by": actor},
    )
    notify(
        unit=locked.responsible_unit, kind=NotificationKind.CLOSED, item=locked, url=_item_url(locked),
        message=_("Rectification verified and closed: %(text)s") % {"text": locked.description[:80]},
    )  # fmt: skip
    return locked


@transaction.atomic
def rectification_item_send_back(*, actor, item: RectificationItem, reason: str) -> RectificationItem:
    """The inspector refuses the evidence: the item returns to open, the reason is kept."""
    if not is_inspector(actor):
        raise DomainError(_("Only an inspector sends an item back."), field="status")
    ensure_can_write(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for sending the item back."), field="reason")
    locked = transition(item, ItemStatus.OPEN, actor=actor, note=reason, updates={"sent_back_reason": reason})
    notify(
        unit=locked.responsible_unit, kind=NotificationKind.SENT_BACK, item=locked, url=_item_url(locked),
        message=_("Rectification sent back: %(reason)s") % {"reason": reason[:120]},
    )  # fmt: skip
    return locked


def rectification_flag_overdue(*, today: dt.date | None = None) -> list[int]:
    """Flag open items past their deadline and notify their units. Idempotent: a second run
    (or a concurrent one) flags nothing more — the UPDATE claims only unflagged rows, and the
    notification's dedupe key allows one per item."""
    today = today or timezone.localdate()
    with transaction.atomic():
        ids = list(
            RectificationItem.objects.select_for_update(skip_locked=True)
            .filter(overdue_on(today), status=ItemStatus.OPEN, overdue_since__isnull=True)
            .values_list("id", flat=True)
        )
        RectificationItem.objects.filter(id__in=ids, overdue_since__isnull=True).update(
            overdue_since=today, updated_at=timezone.now()
        )
        for item in RectificationItem.objects.filter(id__in=ids).select_related("responsible_unit"):
            notify(
                unit=item.responsible_unit, kind=NotificationKind.OVERDUE, item=item, url=_item_url(item),
                dedupe_key=f"overdue:{item.pk}",
                message=_("Rectification overdue since %(deadline)s: %(text)s")
                % {"deadline": item.deadline, "text": item.description[:80]},
            )  # fmt: skip
    logger.info("rectification_flag_overdue: %s item(s) flagged on %s", len(ids), today)
    return ids
