"""Reads of month-end batch review: the pending requests a batch may hold, a page's rows with
their flags, the batches in scope, and how a request was approved in a batch."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.scoping import scope

from ..models import BatchApproval, DisbursementRequest, RequestStatus, ReviewBatch, ReviewPage
from .errors import with_off_register_now
from .rules import RuleReads, request_flags

# What a checker is warned of on a row (never pre-selected; approved only with a note).
ROW_FLAGS = {
    "household_not_registered": gettext_lazy("the household is not registered (在册)"),
    "household_other_county": gettext_lazy("the household lives outside the account's county"),
    "paid_this_month": gettext_lazy("this payee already has a payment for this measure this month"),
    "above_balance": gettext_lazy("the account does not hold this amount now"),
    "own_request": gettext_lazy("you made this request (maker ≠ checker)"),
    "payment_rules": gettext_lazy("the project's payment rules refuse or flag it (below)"),
}
# Statuses of a request that count as a payment made or on its way.
LIVE = (RequestStatus.PENDING, RequestStatus.APPROVED, RequestStatus.SENT, RequestStatus.PAID)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime(month.year, month.month, 1, tzinfo=tz)
    end = dt.datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=tz)
    return start, end


def batch_candidates(
    *, actor, from_account, month: dt.date, purpose: str = ""
) -> QuerySet[DisbursementRequest]:
    """Pending requests of one account made in one month (and of one purpose), in id order."""
    start, end = month_bounds(month)
    qs = scope(DisbursementRequest.objects.all(), actor=actor, field="region_id").filter(
        status=RequestStatus.PENDING, from_account=from_account, created_at__gte=start, created_at__lt=end
    )
    if purpose:
        qs = qs.filter(purpose=purpose)
    return qs.order_by("id")


def batch_list(*, actor) -> QuerySet[ReviewBatch]:
    return scope(
        ReviewBatch.objects.select_related("from_account", "opened_by"), actor=actor, field="region_id"
    )


def batch_get(*, actor, pk: int) -> ReviewBatch:
    return get_object_or_404(batch_list(actor=actor), pk=pk)


def page_get(*, batch: ReviewBatch, pk: int) -> ReviewPage:
    return get_object_or_404(ReviewPage.objects.select_related("checker"), batch=batch, pk=pk)


def batch_approval_of(*, request: DisbursementRequest) -> BatchApproval | None:
    """ "Approved in batch B by C": for the request's page (the request is read in scope already)."""
    return BatchApproval.objects.select_related("batch", "page", "checker").filter(request=request).first()


@dataclass
class Row:
    request: DisbursementRequest
    flags: list[str] = field(default_factory=list)
    note: str = ""  # the checker's note, kept when a confirmation is refused
    rule_messages: list[str] = field(default_factory=list)  # the project rules' words (payment_rules)

    @property
    def flag_labels(self) -> list[str]:
        return [str(ROW_FLAGS[f]) for f in self.flags if f != "payment_rules"] + [
            str(m) for m in self.rule_messages
        ]

    @property
    def pending(self) -> bool:
        return self.request.status == RequestStatus.PENDING


def page_rows(*, actor, ids: list[int]) -> list[Row]:
    """The rows of a page, in id order, each with the flags a checker must see, in a number of
    queries that does not grow with the rows (tests/funds/test_batch_queries.py)."""
    requests = list(
        with_off_register_now(scope(DisbursementRequest.objects.all(), actor=actor, field="region_id"))
        .filter(pk__in=ids)
        .select_related("from_account__project", "household", "measure__plan", "maker", "checker", "payee")
        .order_by("id")
    )
    if not requests:
        return []
    # Other live requests of the same household and measure in the same month (one grouped query).
    keys = {(r.household_id, r.measure_id) for r in requests if r.household_id}
    months = {timezone.localtime(r.created_at).date().replace(day=1) for r in requests}
    counts: dict[tuple, int] = defaultdict(int)
    if keys:
        earliest = month_bounds(min(months))[0]
        latest = month_bounds(max(months))[1]
        rows = (
            DisbursementRequest.objects.filter(
                household_id__in={k[0] for k in keys},
                status__in=LIVE,
                created_at__gte=earliest,
                created_at__lt=latest,
            )
            .annotate(m=TruncMonth("created_at"))
            .values("household_id", "measure_id", "m")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            counts[(row["household_id"], row["measure_id"], timezone.localtime(row["m"]).date())] += row["n"]
    reads = RuleReads()  # the project rules' reads, once for the page
    reads.prime([r for r in requests if r.project_id and r.status == RequestStatus.PENDING])
    result = []
    for r in requests:
        flags = []
        if r.household_id:
            if r.off_register:  # the fund error's definition (funds.selectors.errors)
                flags.append("household_not_registered")
            if not r.household.village_id.startswith(r.from_account.region_id[:6]):
                flags.append("household_other_county")
            month = timezone.localtime(r.created_at).date().replace(day=1)
            if counts.get((r.household_id, r.measure_id, month), 0) > 1:
                flags.append("paid_this_month")
        if r.status == RequestStatus.PENDING and r.from_account.balance < r.amount:
            flags.append("above_balance")
        if r.maker_id == getattr(actor, "pk", None):
            flags.append("own_request")
        rules = []
        if r.project_id and r.status == RequestStatus.PENDING:
            # A contractor payment queued before the project rules started: what they would
            # refuse today is flagged to its checker (issue 20.1), in the rules' own words.
            rules = request_flags(r, reads)
            if rules:
                flags.append("payment_rules")
        result.append(Row(r, flags, rule_messages=rules))
    return result


def batch_progress(batch: ReviewBatch) -> dict:
    """How far the batch is: requests still pending, approved, otherwise decided; the approved total."""
    qs = DisbursementRequest.objects.filter(pk__in=batch.request_ids)
    agg = qs.aggregate(
        pending=Count("id", filter=Q(status=RequestStatus.PENDING)),
        in_batch=Count("batch_approval", filter=Q(batch_approval__batch=batch)),
    )
    total = sum(
        (a for a in qs.filter(batch_approval__batch=batch).values_list("amount", flat=True)), Decimal("0.00")
    )
    return {"pending": agg["pending"], "approved_here": agg["in_batch"], "approved_total": total}
