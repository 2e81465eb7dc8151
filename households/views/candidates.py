"""应退未退 and 漏评 pages (issue 17.3): the two lists, page by page in the reader's scope, and the
decision on a possible omission. Reads through selectors.candidates, writes through
services.candidates."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.web import PageMixin, paginate

from ..models import OmissionDecision, PovertyCause
from ..selectors.candidates import (
    exit_due,
    omission_candidate_get,
    omission_candidates,
    omission_reviews,
)
from ..selectors.guarantees import guarantees_met_many
from ..services.candidates import omission_review_decide


class ExitDueListView(PageMixin, View):
    """应退未退: registered households that meet every exit condition and have no exit procedure."""

    permission_required = "households.view_procedurecase"

    def get(self, request):
        page = paginate(request, exit_due(actor=request.user), per_page=25)
        households = list(page)
        met = guarantees_met_many(households)  # the facts as they stand today, one read for the page
        rows = [(h, met[h.pk]) for h in households]
        return render(request, "households/exit_due.html", {"page": page, "rows": rows})


class OmissionListView(PageMixin, View):
    """漏评: households not on the poor register whose income or guarantees say they may be poor."""

    permission_required = "households.view_omissionreview"

    def get(self, request):
        page = paginate(request, omission_candidates(actor=request.user), per_page=25)
        decided = omission_reviews(actor=request.user).exclude(status=OmissionDecision.OPEN)[:20]
        return render(
            request,
            "households/omissions.html",
            {
                "page": page,
                "decided": decided,
                "causes": PovertyCause.choices,
                "may_decide": request.user.has_perm("households.review_omission")
                and not request.user.is_read_only,
            },
        )


class OmissionDecideView(PageMixin, View):
    permission_required = "households.review_omission"

    def post(self, request, pk: int):
        household = omission_candidate_get(actor=request.user, pk=pk)
        try:
            review = omission_review_decide(
                household=household,
                actor=request.user,
                decision=request.POST.get("decision", ""),
                reason=request.POST.get("reason", ""),
                cause=request.POST.get("cause", ""),
            )
        except DomainError as error:
            messages.error(request, " ".join(m for ms in error.as_dict().values() for m in ms))
            return redirect("households:omissions")
        if review.status == OmissionDecision.ENTRY_STARTED:
            messages.success(request, _("Procedure started for %(household)s.") % {"household": household})
            return redirect("households:detail", pk=household.pk)
        messages.success(request, _("Dismissed: %(household)s.") % {"household": household})
        return redirect("households:omissions")
