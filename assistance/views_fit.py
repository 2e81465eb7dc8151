"""因户施策 pages: a measure's own facts (member employed, loan, resettlement: recorded, and read on
the plan page), the kinds' table a county extends, and the measures under review for their cause.

The plan page itself is `views.PlanView` (imported where it is rendered again: views imports this
module)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from core.exceptions import DomainError
from core.web import PageMixin, add_domain_error, paginate, querystring_without
from households.models import PovertyCause

from . import selectors, services
from .forms import FitDecisionForm, KindCauseForm, MeasureDetailsForm
from .models import FitDecision


class MeasureDetailsView(PageMixin, View):
    """Record the facts of a measure's kind: the member employed, the loan, the resettlement."""

    permission_required = "assistance.change_measure"

    def post(self, request, pk: int):
        measure = selectors.measure_get(actor=request.user, pk=pk)
        household = selectors.household_get(actor=request.user, pk=measure.plan.household_id)
        form = MeasureDetailsForm(
            request.POST, prefix=f"measure-{pk}", members=services.member_choices(household)
        )
        if form.is_valid():
            try:
                services.measure_update(
                    measure=measure, actor=request.user, data=form.service_data(measure.kind)
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Measure details recorded."))
                url = reverse("assistance:plan", args=[measure.plan.household_id])
                return redirect(f"{url}?year={measure.plan.year}#measure-{measure.pk}")
        from .views import PlanView  # the plan page again, with this form's errors

        return PlanView.render_page(
            request, household, measure.plan.year, details_forms={measure.pk: form}, status=400
        )


class KindCauseListView(PageMixin, View):
    """Which causes each kind of measure answers: the defaults and the county's own additions."""

    permission_required = "assistance.view_kindcause"

    def get(self, request, form=None, status=200):
        counties = selectors.counties_in_scope(actor=request.user)
        can_add = not request.user.is_read_only and request.user.has_perm("assistance.add_kindcause")
        if form is None and can_add:
            form = KindCauseForm(counties=counties)
        context = {"rows": selectors.kind_table(actor=request.user), "form": form if can_add else None}
        return render(request, "assistance/kind_causes.html", context, status=status)


class KindCauseAddView(PageMixin, View):
    permission_required = "assistance.add_kindcause"

    def post(self, request):
        form = KindCauseForm(request.POST, counties=selectors.counties_in_scope(actor=request.user))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.kind_cause_add(
                    actor=request.user, county=data["county"], kind=data["kind"], cause=data["cause"],
                    note=data["note"],
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("The county now counts this kind for this cause."))
                return redirect("assistance:kind_causes")
        return KindCauseListView().get(request, form=form, status=400)


class FitReviewListView(PageMixin, View):
    """Measures that claim a cause their kind does not answer, each to be decided."""

    permission_required = "assistance.view_measurefitreview"

    def get(self, request, forms=None, status=200):
        decision = request.GET.get("decision") or "open"
        if decision not in ("open", "all", *FitDecision.values):
            decision = "open"
        page = paginate(
            request, selectors.fit_review_list(actor=request.user, filters={"decision": decision})
        )
        labels = dict(PovertyCause.choices)
        can_decide = not request.user.is_read_only and request.user.has_perm(
            "assistance.change_measurefitreview"
        )
        forms = forms or {}
        for review in page:
            review.cause_labels = [labels.get(c, c) for c in review.causes]
            review.plan_url = (
                reverse("assistance:plan", args=[review.measure.plan.household_id])
                + f"?year={review.measure.plan.year}"
            )
            if can_decide and review.is_open:
                review.form = forms.get(review.pk) or FitDecisionForm(prefix=f"review-{review.pk}")
        context = {
            "page": page,
            "decision": decision,
            "decisions": [("open", _("to be reviewed")), ("all", _("all")), *FitDecision.choices[1:]],
            "querystring": querystring_without(request, "page"),
            "open_count": selectors.open_fit_review_count(actor=request.user),
            "can_decide": can_decide,
        }
        return render(request, "assistance/fit_reviews.html", context, status=status)


class FitReviewDecideView(PageMixin, View):
    permission_required = "assistance.change_measurefitreview"

    def post(self, request, pk: int):
        review = selectors.fit_review_get(actor=request.user, pk=pk)
        form = FitDecisionForm(request.POST, prefix=f"review-{pk}")
        if form.is_valid():
            try:
                services.fit_review_decide(
                    review=review, actor=request.user, decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Review decided."))
                return redirect("assistance:fit_reviews")
        return FitReviewListView().get(request, forms={review.pk: form}, status=400)


class FitReviewScanView(PageMixin, View):
    """Look again for measures that claim a cause their kind does not answer (written by an import
    or another path around the services since the last look); each found is listed once."""

    permission_required = "assistance.change_measurefitreview"

    def post(self, request):
        found = services.fit_reviews_open(actor=request.user)
        messages.success(
            request,
            ngettext("%(n)s more measure listed for review.", "%(n)s more measures listed for review.", found)
            % {"n": found},
        )
        return redirect("assistance:fit_reviews")
