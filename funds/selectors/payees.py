"""A payee's page (issue 20): a household or an enterprise/cooperative (a project's contractor
among them) — its payments in the reader's scope, its bank card, its status and its flags.

The flags are the ones the checker and the auditor see elsewhere, asked here of one payee: a
pending request's flags (`rules.request_flags`, the same words as on its page and in a batch), a
household paid while not registered (在册), a payment the bank returned, and for a contractor each
project it won paid beyond its contract (with recorded changes) or its approved amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from core.scoping import scope
from core.templatetags.core_tags import yuan

from ..models import ZERO, DisbursementRequest, Payee, PayeeBankAccount, Project, RequestStatus
from .rules import COMMITTED, RuleReads, contract_total, project_cap, project_committed, request_flags

# Pending requests asked for their flags on one page (each is assessed as its checker sees it).
MAX_PENDING_ASSESSED = 20


@dataclass
class PayeeSummary:
    """What a payee page shows beside its payments."""

    requests: QuerySet
    totals: dict = field(default_factory=dict)
    flags: list[tuple[int | None, str]] = field(default_factory=list)  # (request id or None, words)
    cards: list = field(default_factory=list)
    projects: list[dict] = field(default_factory=list)


def household_payee_get(*, actor, pk: int):
    from households.models import Household

    qs = scope(Household.objects.select_related("village"), actor=actor, field="village_id")
    return get_object_or_404(qs, pk=pk)


def payee_get(*, actor, pk: int) -> Payee:
    return get_object_or_404(
        scope(Payee.objects.select_related("county"), actor=actor, field="county_id"), pk=pk
    )


def _requests(actor, **by) -> QuerySet[DisbursementRequest]:
    return (
        scope(DisbursementRequest.objects.all(), actor=actor, field="region_id")
        .filter(**by)
        .select_related(
            "from_account",
            "from_account__fund",
            "project",
            "household",
            "payee",
            "measure",
            "maker",
            "checker",
            "payment_line",
        )
        .order_by("-created_at", "-id")
    )


def _totals(requests: QuerySet) -> dict:
    sums = {row["status"]: row["s"] for row in requests.order_by().values("status").annotate(s=Sum("amount"))}
    return {
        "pending": sums.get(RequestStatus.PENDING, ZERO),
        # Approved and not (or not yet) sent: a household's payment waits for the bank.
        "approved": sums.get(RequestStatus.APPROVED, ZERO),
        "sent": sums.get(RequestStatus.SENT, ZERO),
        "awaiting_bank": sums.get(RequestStatus.APPROVED, ZERO) + sums.get(RequestStatus.SENT, ZERO),
        "paid": sums.get(RequestStatus.PAID, ZERO),
        "failed": sums.get(RequestStatus.FAILED, ZERO),
    }


def _request_flags(requests: QuerySet) -> list[tuple[int | None, str]]:
    flags: list[tuple[int | None, str]] = []
    pending = list(
        requests.filter(status=RequestStatus.PENDING)
        .select_related("from_account__project", "household", "measure__plan", "payee")
        .order_by("created_at", "id")[:MAX_PENDING_ASSESSED]
    )
    reads = RuleReads()
    reads.prime(pending)
    for request in pending:
        flags += [(request.pk, words) for words in request_flags(request, reads)]
    for request in requests.filter(status=RequestStatus.FAILED):
        line = getattr(request, "payment_line", None)
        flags.append((request.pk, _("The bank returned the payment: %(reason)s") % {
            "reason": (line.reason if line else "") or _("refused by the bank")}))  # fmt: skip
    return flags


def household_payee_summary(*, actor, household) -> PayeeSummary:
    from households.models import HouseholdStatus

    requests = _requests(actor, household=household)
    summary = PayeeSummary(requests=requests, totals=_totals(requests), flags=_request_flags(requests))
    if household.status != HouseholdStatus.REGISTERED:
        paid = requests.filter(status__in=[s for s in COMMITTED if s != RequestStatus.PENDING])
        if paid.exists():
            summary.flags.insert(0, (None, _(
                "The household is %(status)s, not registered (在册), and has payments approved or paid."
            ) % {"status": household.get_status_display()}))  # fmt: skip
    summary.cards = list(
        PayeeBankAccount.objects.select_related("bank").filter(household=household).order_by("-active", "-created_at")
    )  # fmt: skip
    return summary


def payee_summary(*, actor, payee: Payee) -> PayeeSummary:
    requests = _requests(actor, payee=payee)
    summary = PayeeSummary(requests=requests, totals=_totals(requests), flags=_request_flags(requests))
    for project in scope(Project.objects.filter(contractor=payee), actor=actor, field="region_id").order_by(
        "id"
    ):
        total, contractor_paid = project_committed(project)
        limit = contract_total(project)
        cap = project_cap(project)
        summary.projects.append(
            {
                "project": project,
                "contract": limit,
                "contractor_paid": contractor_paid,
                "total": total,
                "cap": cap,
            }
        )
        if limit is not None and contractor_paid > limit:
            summary.flags.append((None, _(
                "%(project)s: contractor payments of %(paid)s yuan are above the contract with its changes "
                "(%(limit)s yuan)."
            ) % {"project": project.name, "paid": yuan(contractor_paid), "limit": yuan(limit)}))  # fmt: skip
        if total > cap:
            summary.flags.append((None, _(
                "%(project)s: payments of %(paid)s yuan are above the %(cap)s yuan approved for it."
            ) % {"project": project.name, "paid": yuan(total), "cap": yuan(cap)}))  # fmt: skip
    return summary


def card_number_shown(*, actor, card: PayeeBankAccount) -> str:
    """A card number as this reader may see it: in full for finance officers who send payment
    files (they hold it in the bank's file anyway), else its last four digits."""
    if actor.has_perm("funds.add_entry") and not getattr(actor, "is_read_only", False):
        from core import pii

        return pii.decrypt(card.number_encrypted)
    return card.masked


def payee_list(*, actor, q: str = "") -> QuerySet[Payee]:
    """The enterprises and cooperatives of the reader's counties, by name; `q`: part of the name,
    or the credit code."""
    from ..pickers import PAYEES

    qs = PAYEES.rows(actor)
    q = (q or "").strip()
    return PAYEES.search(qs, q) if q else qs
