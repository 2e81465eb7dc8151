"""Month-end batch review (资金一笔一笔审核, issue 20.3): a checker opens the pending requests of
one account (a purpose, a month) as a batch, reviews it a page of at most 200 rows at a time, and
confirms each page. Each request is still checked and approved on its own (the single approval).

- `ReviewBatch`: what was opened — the filter, and the ids it held then (in id order), its count
  and total, who opened it and when;
- `ReviewPage`: one page as it was shown to a checker — the ids in view and which were flagged
  (what the checker saw is recorded, not what the browser sent back), and once confirmed what was
  selected, approved and refused (row by row);
- `BatchApproval`: "approved in batch B, page P, by C" — one per request (UNIQUE: a request is
  approved in at most one batch), written in the same savepoint as the approval itself.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Region

from .catalogue import MONEY, ZERO
from .disbursements import DisbursementRequest
from .ledger import Account

PAGE_ROWS = 200  # the most rows a checker confirms at once


class ReviewBatch(models.Model):
    """A month-end batch of pending requests, opened by a checker."""

    from_account = models.ForeignKey(
        Account, verbose_name=_("paid from"), on_delete=models.PROTECT, related_name="review_batches"
    )
    purpose = models.CharField(_("purpose"), max_length=200, blank=True, help_text=_("Empty: every purpose."))
    month = models.DateField(_("month"), help_text=_("The first day of the month the requests were made in."))
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    request_ids = ArrayField(models.BigIntegerField(), verbose_name=_("requests"), default=list)
    count = models.PositiveIntegerField(_("requests"), default=0)
    total = models.DecimalField(_("total (yuan)"), default=ZERO, **MONEY)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)

    class Meta:
        verbose_name = _("review batch")
        verbose_name_plural = _("review batches")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="batch_total_not_negative"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.month:%Y-%m} {self.purpose or '*'}"

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // PAGE_ROWS))

    def ids_on_page(self, number: int) -> list[int]:
        start = (number - 1) * PAGE_ROWS
        return list(self.request_ids[start : start + PAGE_ROWS])


class ReviewPage(models.Model):
    """One page of a batch as shown to a checker, and its confirmation."""

    batch = models.ForeignKey(
        ReviewBatch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="review_pages"
    )
    number = models.PositiveIntegerField(_("page"))
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checker"), on_delete=models.PROTECT, related_name="+"
    )
    shown_at = models.DateTimeField(_("shown at"), default=timezone.now)
    request_ids = ArrayField(models.BigIntegerField(), verbose_name=_("requests shown"), default=list)
    flagged = models.JSONField(_("flags shown"), default=dict, help_text=_("Request id → the flags shown."))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    selected_ids = ArrayField(models.BigIntegerField(), verbose_name=_("selected"), default=list)
    approved_ids = ArrayField(models.BigIntegerField(), verbose_name=_("approved"), default=list)
    failures = models.JSONField(
        _("refused"), default=dict, help_text=_("Request id → why it was not approved.")
    )

    class Meta:
        verbose_name = _("review page")
        verbose_name_plural = _("review pages")
        ordering = ["batch_id", "number", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1), name="review_page_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.number}"


class BatchApproval(models.Model):
    """How a request was approved in a batch: the batch, the page shown, the checker, the note
    the checker gave for a flagged row. Append-only in spirit: written once with the approval."""

    request = models.OneToOneField(
        DisbursementRequest, verbose_name=_("disbursement request"), on_delete=models.PROTECT,
        related_name="batch_approval",
    )  # fmt: skip
    batch = models.ForeignKey(
        ReviewBatch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="approvals"
    )
    page = models.ForeignKey(
        ReviewPage, verbose_name=_("page"), on_delete=models.PROTECT, related_name="approvals"
    )
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checker"), on_delete=models.PROTECT, related_name="+"
    )
    flags = ArrayField(
        models.CharField(max_length=40), verbose_name=_("flags shown"), default=list, blank=True
    )
    note = models.CharField(_("note on the flags"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("batch approval")
        verbose_name_plural = _("batch approvals")
        constraints = [
            # A flagged row is approved only with the checker's own note.
            models.CheckConstraint(condition=Q(flags=[]) | ~Q(note=""), name="batch_flagged_needs_note"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} ∈ {self.batch_id}/{self.page_id}"
