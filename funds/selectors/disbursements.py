"""Reads of disbursement requests (scoped by the region of the account paid from), their status
changes, and the public disclosure of a village's payments."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from core.pii import mask_name
from core.scoping import scope

from ..models import (
    DisbursementRequest,
    DisbursementStatusChange,
    Entry,
    EntryKind,
    PayeeKind,
    Project,
    RequestStatus,
)


def request_list(*, actor, status: str = "", project: Project | None = None) -> QuerySet[DisbursementRequest]:
    qs = scope(
        DisbursementRequest.objects.select_related(
            "from_account", "from_account__fund", "project", "household", "maker", "checker", "entry"
        ),
        actor=actor,
        field="region_id",
    )
    if status:
        qs = qs.filter(status=status)
    if project is not None:
        qs = qs.filter(project=project)
    return qs.order_by("-created_at", "-id")


def request_get(*, actor, pk: int) -> DisbursementRequest:
    return get_object_or_404(request_list(actor=actor), pk=pk)


def request_status_changes(*, request: DisbursementRequest) -> QuerySet[DisbursementStatusChange]:
    """The request's status changes, oldest first, with who made each (the request is already
    read through `request_get`, so in scope)."""
    return request.status_changes.select_related("actor").order_by("at", "id")


def pending_count(*, actor) -> int:
    return request_list(actor=actor, status=RequestStatus.PENDING).count()


def village_fund_disclosure(*, village_code: str) -> list[dict]:
    """公告公示 of fund use in one village, for the public notice board. Public: no actor.

    Paid disbursements (not reversed) to the village's projects and households: project,
    amount, payee kind, date. Household payees are masked; enterprises are named.

    Paid means what the payer says: an enterprise is paid by the treasury when its request is
    approved; a household's payment only once the bank's return file says paid (惠民惠农一卡通,
    issue 20.4) — approved, sent to the bank or returned by it, it is not on the board.
    """
    payments = (
        Entry.objects.filter(kind=EntryKind.DISBURSEMENT, reversed_by__isnull=True, request__isnull=False)
        .filter(Q(request__project__village_id=village_code) | Q(request__household__village_id=village_code))
        .filter(
            Q(request__payee_kind=PayeeKind.ORGANISATION, request__status=RequestStatus.APPROVED)
            | Q(request__payee_kind=PayeeKind.HOUSEHOLD, request__status=RequestStatus.PAID)
        )
        .select_related("request", "request__project", "fund")
        .order_by("-booked_on", "-id")
    )
    rows = []
    for entry in payments:
        request = entry.request
        household = request.payee_kind == PayeeKind.HOUSEHOLD
        rows.append(
            {
                "date": entry.booked_on,
                "project": request.project.name if request.project_id else "",
                "fund": entry.fund.name,
                "purpose": request.purpose,
                "amount": entry.amount,
                "payee_kind": request.payee_kind,
                "payee_kind_label": request.get_payee_kind_display(),
                "payee": mask_name(request.payee_name) if household else request.payee_name,
            }
        )
    return rows
