"""Possible duplicates and re-verification campaigns: the review pages of a county."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.transitions import can_transition
from core.web import PageMixin, add_domain_error, paginate, querystring_without

from .. import selectors, services
from ..forms import (
    CampaignForm,
    CheckForm,
)
from ..models import (
    CampaignStatus,
    DuplicateStatus,
)


class DuplicateListView(PageMixin, View):
    permission_required = "households.view_duplicatecandidate"

    def get(self, request):
        status = request.GET.get("status", DuplicateStatus.OPEN)
        page = paginate(request, selectors.duplicate_list(actor=request.user, status=status))
        for pair in page:
            pair.reviewable = can_transition(pair, DuplicateStatus.DIFFERENT, request.user)
        return render(request, "households/duplicate_list.html", {
            "page": page, "status": status,
            "statuses": [(v, label) for v, label in DuplicateStatus.choices if v != DuplicateStatus.SAME_PERSON],
            "querystring": querystring_without(request, "page"),
            # Pairs with a household outside the reader's region: only their own side, and who reviews it.
            "outside": selectors.duplicate_outside_notices(actor=request.user) if status == DuplicateStatus.OPEN else [],
        })  # fmt: skip

    def post(self, request):
        """Scan the user's region for new candidate pairs."""
        if not request.user.has_perm("households.change_duplicatecandidate"):
            raise PermissionDenied
        found = services.duplicates_scan(actor=request.user)
        messages.success(request, _("%(n)d new possible duplicates found.") % {"n": found})
        return redirect("households:duplicates")


class DuplicateReviewView(PageMixin, View):
    permission_required = "households.change_duplicatecandidate"

    def post(self, request, pk: int):
        candidate = selectors.duplicate_get(actor=request.user, pk=pk)
        decision = request.POST.get("decision", "")
        keep = request.POST.get("keep")
        try:
            services.duplicate_review(
                candidate=candidate, actor=request.user, decision=decision,
                keep_id=int(keep) if keep and keep.isdigit() else None, note=request.POST.get("note", ""),
            )  # fmt: skip
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Review saved."))
        return redirect("households:duplicates")


class CampaignListView(PageMixin, View):
    permission_required = "households.view_verificationcampaign"

    def _render(self, request, form, status=200):
        campaigns = selectors.campaign_list(actor=request.user).order_by("-created_at")[:100]
        return render(
            request, "households/campaign_list.html", {"campaigns": campaigns, "form": form}, status=status
        )

    def get(self, request):
        return self._render(request, CampaignForm(actor=request.user))

    def post(self, request):
        if not request.user.has_perm("households.add_verificationcampaign"):
            raise PermissionDenied
        form = CampaignForm(request.POST, actor=request.user)
        if form.is_valid():
            try:
                campaign = services.campaign_create(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Campaign started."))
                return redirect("households:campaign", pk=campaign.pk)
        return self._render(request, form, status=400)


class CampaignDetailView(PageMixin, View):
    permission_required = "households.view_verificationcampaign"

    def get(self, request, pk: int):
        campaign = selectors.campaign_get(actor=request.user, pk=pk)
        checks = selectors.campaign_checks(actor=request.user, campaign=campaign)
        status = request.GET.get("status", "")
        if status:
            checks = checks.filter(status=status)
        if request.GET.get("village"):
            checks = checks.filter(village_id=request.GET["village"])
        return render(request, "households/campaign_detail.html", {
            "campaign": campaign, "progress": selectors.campaign_progress(actor=request.user, campaign=campaign),
            "campaign_open": can_transition(campaign, CampaignStatus.CLOSED, request.user),
            "status_changes": list(campaign.status_changes.select_related("actor")),
            "page": paginate(request, checks), "status": status,
            "querystring": querystring_without(request, "page"),
        })  # fmt: skip


class CheckView(PageMixin, View):
    permission_required = "households.change_verificationcheck"
    FIELDS = ("address", "phone", "attribute", "main_cause")

    def _render(self, request, check, form, status=200):
        return render(request, "households/check_form.html", {"check": check, "form": form}, status=status)

    def get(self, request, pk: int):
        check = selectors.check_get(actor=request.user, pk=pk)
        initial = {f: getattr(check.household, f) for f in self.FIELDS} | {"findings": check.findings}
        return self._render(request, check, CheckForm(initial=initial))

    def post(self, request, pk: int):
        check = selectors.check_get(actor=request.user, pk=pk)
        form = CheckForm(request.POST)
        if form.is_valid():
            corrections = {
                f: form.cleaned_data[f]
                for f in self.FIELDS
                if form.cleaned_data[f] != getattr(check.household, f)
            }
            try:
                services.campaign_check_record(
                    check=check,
                    actor=request.user,
                    findings=form.cleaned_data["findings"],
                    corrections=corrections,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Check recorded."))
                return redirect("households:campaign", pk=check.campaign_id)
        return self._render(request, check, form, status=400)
