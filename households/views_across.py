"""Pages for what crosses a county line (issue 15.4, 15.5): transfers of households between
regions — released by one side, accepted or declined by the other — and the city's queue of
possible duplicates in two counties. Reads through selectors, writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.exceptions import DomainError
from core.history import history_for
from core.transitions import can_transition
from core.web import PageMixin, paginate, querystring_without

from . import selectors, services
from .models import DuplicateStatus, TransferStatus

DECIDED_MESSAGES = {
    "accept": gettext_lazy("Transfer accepted: the household now belongs to %(village)s."),
    "decline": gettext_lazy("Transfer declined: the household stays in %(village)s."),
    "cancel": gettext_lazy("Transfer withdrawn: the household stays in %(village)s."),
}


def _error_text(error: DomainError) -> str:
    return " ".join(message for messages in error.as_dict().values() for message in messages)


class TransferListView(PageMixin, View):
    """The receiving clerk's inbox of households released to their region, and what their side
    released and awaits an answer."""

    permission_required = "households.change_household"

    def get(self, request):
        return render(
            request,
            "households/transfer_list.html",
            {
                "incoming": list(selectors.transfer_list(actor=request.user, direction="incoming")[:200]),
                "outgoing": list(selectors.transfer_list(actor=request.user, direction="outgoing")[:200]),
                "decided": list(
                    selectors.transfer_list(actor=request.user, direction="incoming", status="").exclude(
                        status=TransferStatus.PENDING
                    )[:50]
                ),
            },
        )


class TransferDecideView(PageMixin, View):
    permission_required = "households.change_household"

    def post(self, request, pk: int):
        transfer = selectors.transfer_get(actor=request.user, pk=pk)
        decision = request.POST.get("decision", "")
        service = services.TRANSFER_DECISIONS.get(decision)
        if service is None:
            messages.error(request, _("Choose accept, decline or withdraw."))
            return redirect("households:transfers")
        try:
            result = service(transfer=transfer, actor=request.user, note=request.POST.get("note", ""))
        except DomainError as error:
            messages.error(request, _error_text(error))
            return redirect("households:transfers")
        village = result.to_village if decision == "accept" else transfer.from_village
        messages.success(request, DECIDED_MESSAGES[decision] % {"village": village.name})
        if decision == "accept":
            return redirect("households:detail", pk=transfer.household_id)
        return redirect("households:transfers")


class DuplicateCityQueueView(PageMixin, View):
    """The city reviewer's queue: pairs of households in two counties, both sides in full."""

    permission_required = "households.view_cross_county_duplicates"

    def get(self, request):
        status = request.GET.get("status", DuplicateStatus.OPEN)
        if status not in {"", *DuplicateStatus.values}:
            status = DuplicateStatus.OPEN
        queue = selectors.duplicate_city_queue(actor=request.user, status=status).prefetch_related(
            "household_a__members", "household_b__members"
        )
        page = paginate(request, queue, per_page=20)
        rows = []
        for pair in page:
            rows.append(
                {
                    "pair": pair,
                    "sides": [
                        (h, sorted((m for m in h.members.all() if m.is_active), key=lambda m: m.pk))
                        for h in (pair.household_a, pair.household_b)
                    ],
                    "history": history_for(pair, limit=10) if pair.status != DuplicateStatus.OPEN else [],
                    "reviewable": can_transition(pair, DuplicateStatus.SAME_PERSON),
                }
            )
        return render(
            request,
            "households/duplicate_city_queue.html",
            {
                "page": page,
                "rows": rows,
                "status": status,
                "statuses": [
                    (v, label) for v, label in DuplicateStatus.choices if v != DuplicateStatus.MERGED
                ],
                "querystring": querystring_without(request, "page"),
                "can_review": request.user.has_perm("households.review_cross_county_duplicates")
                and not request.user.is_read_only,
            },
        )


class DuplicateCityReviewView(PageMixin, View):
    permission_required = "households.review_cross_county_duplicates"

    def post(self, request, pk: int):
        candidate = selectors.duplicate_city_get(actor=request.user, pk=pk)
        keep = request.POST.get("keep", "")
        try:
            services.duplicate_city_review(
                candidate=candidate, actor=request.user, decision=request.POST.get("decision", ""),
                keep_id=int(keep) if keep.isdigit() else None, note=request.POST.get("note", ""),
            )  # fmt: skip
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Decision recorded."))
        return redirect("households:duplicate_city_queue")
