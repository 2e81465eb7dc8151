"""The rectification ledger (整改台账): items closed one by one, their evidence and status changes."""

from __future__ import annotations

from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.audit import tracked
from core.models import Region, Role, TimeStampedModel, Unit, User
from core.transitions import StatusChange, Transitions

from .reports import Finding


class ItemKind(models.TextChoices):
    KEY = "key", _("key (province notice)")  # 重点整改
    COMMON = "common", _("common (all-round)")  # 全面整改
    SYSTEM = "system", _("system-wide (sector)")  # 系统整改


class ItemStatus(models.TextChoices):
    OPEN = "open", _("open")
    SUBMITTED = "submitted", _("submitted for verification")
    CLOSED = "closed", _("verified and closed")


# open → submitted (with evidence) → closed (an inspector verifies), or → open (sent back).
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    ItemStatus.OPEN: {ItemStatus.SUBMITTED},
    ItemStatus.SUBMITTED: {ItemStatus.CLOSED, ItemStatus.OPEN},
    ItemStatus.CLOSED: set(),
}


def evidence_submitter_ids(item) -> set[int]:
    """Who submitted the item's current evidence: the actor of its latest move to submitted, and
    whoever uploaded its evidence files. None of them may close it (逐项销号 is verified independently)."""
    latest = (
        item.status_changes.filter(to_status=ItemStatus.SUBMITTED).order_by("-at", "-id").values_list("actor_id", flat=True).first()
    )  # fmt: skip
    ids = set(item.evidence_files.values_list("uploaded_by_id", flat=True))
    if latest is not None:
        ids.add(latest)
    return ids


def _item_move_permitted(item, to: str, actor) -> bool:
    """The responsible unit submits; only an inspector closes an item or sends it back, and never
    the one who submitted its evidence closes it."""
    if getattr(actor, "is_read_only", False):
        return False
    if to == ItemStatus.SUBMITTED:
        return actor.has_perm("inspections.change_rectificationitem")
    if not actor.has_role(Role.INSPECTOR):
        return False
    return to != ItemStatus.CLOSED or actor.pk not in evidence_submitter_ids(item)


@tracked()
class RectificationItem(TimeStampedModel):
    """A line of the rectification ledger (整改台账), closed one by one (逐项销号)."""

    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.PROTECT, related_name="rectification_items"
    )
    description = models.TextField(_("rectification required"))
    responsible_unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="rectification_items"
    )
    # The responsible unit's region (copied by the service): the scoping rule filters on it.
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices, default=ItemKind.COMMON)
    deadline = models.DateField(pgettext_lazy("rectification", "deadline"))
    status = models.CharField(_("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    evidence_note = models.TextField(_("evidence of rectification"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        User, verbose_name=_("verified by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_back_reason = models.TextField(_("reason sent back"), blank=True)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)

    transitions = Transitions(ALLOWED_TRANSITIONS, log="ItemStatusChange", permits=_item_move_permitted)

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(evidence_note=""),
                name="rectification_submitted_needs_evidence",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_by__isnull=False, closed_at__isnull=False),
                name="rectification_closed_has_verifier",
            ),
        ]
        indexes = [
            models.Index(OpClass("region_id", name="varchar_pattern_ops"), name="rectification_region_idx"),
            # Daily overdue job: status = 'open' AND deadline < today AND overdue_since IS NULL.
            models.Index(
                fields=["deadline"], name="rectification_overdue_idx",
                condition=Q(status="open", overdue_since__isnull=True),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"#{self.pk} {self.description[:30]}"


class RectificationEvidence(models.Model):
    """A file attached as evidence when an item is submitted."""

    item = models.ForeignKey(
        RectificationItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="evidence_files"
    )
    file = models.FileField(_("file"), upload_to="inspections/evidence/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=100)  # a .docx's is 71 characters
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["item_id", "id"]

    def __str__(self) -> str:
        return self.file.name


class ItemStatusChange(StatusChange):
    """Every status change of a ledger item: who, when, from, to and why."""

    item = models.ForeignKey(
        RectificationItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=ItemStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=ItemStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["item_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_status or '—'} → {self.to_status}"
