"""Pages of findings: the list, one finding (confirm, dismiss, assign items), a new finding, photos."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core import selectors as core_selectors
from core.exceptions import DomainError
from core.history import history_for
from core.models import Unit
from core.regions import pad_code
from core.transitions import can_transition
from core.uploads import serve_upload
from core.web import PageMixin, add_domain_error, paginate, querystring_without

from .. import selectors, services
from ..forms import FindingCreateForm, ItemCreateForm, ReasonForm
from ..models import FindingCategory, FindingSource, FindingStatus
from .common import page_filters


class FindingListView(PageMixin, View):
    permission_required = "inspections.view_finding"

    def get(self, request):
        filters = page_filters(
            request, "q", "category", "severity", "source", "status", "region", ids=("responsible_unit",)
        )
        qs = selectors.finding_list(actor=request.user, filters=filters).order_by("-created_at", "-id")
        unit = None
        if filters.get("responsible_unit", "").isdigit():
            unit = Unit.objects.filter(pk=filters["responsible_unit"]).first()
        return render(request, "inspections/finding_list.html", {
            "page": paginate(request, qs), "filters": filters, "unit": unit,
            "counts": selectors.finding_counts(actor=request.user),
            "categories": FindingCategory.choices, "sources": FindingSource.choices,
            "statuses": FindingStatus.choices, "querystring": querystring_without(request, "page"),
            "is_inspector": selectors.is_inspector(request.user),
        })  # fmt: skip


class FindingDetailView(PageMixin, View):
    permission_required = "inspections.view_finding"

    def _render(self, request, finding, item_form=None, reason_form=None, status=200):
        inspector = selectors.is_inspector(request.user) and not request.user.is_read_only
        return render(request, "inspections/finding_detail.html", {
            "finding": finding, "photos": finding.photos.all(),
            "items": selectors.items_for_finding(actor=request.user, finding=finding),
            "officers": finding.responsible_officers.all(), "is_inspector": inspector,
            "item_form": item_form or (_item_form(request, finding, initial={"responsible_unit": finding.responsible_unit_id}) if inspector else None),
            "reason_form": reason_form or ReasonForm(), "history": history_for(finding, limit=30),
            "can_decide": inspector and not finding.report_id and can_transition(finding, FindingStatus.CONFIRMED),
            "changes": selectors.status_changes(actor=request.user, obj=finding),
        }, status=status)  # fmt: skip

    def get(self, request, pk: int):
        return self._render(request, selectors.finding_get(actor=request.user, pk=pk))

    def post(self, request, pk: int):
        finding = selectors.finding_get(actor=request.user, pk=pk)
        action = request.POST.get("action")
        try:
            if action == "confirm":
                services.finding_confirm(actor=request.user, finding=finding)
                messages.success(request, _("Finding confirmed."))
            elif action == "dismiss":
                services.finding_dismiss(
                    actor=request.user, finding=finding, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Finding dismissed."))
            elif action == "add_item":
                form = _item_form(request, finding, data=request.POST)
                if not form.is_valid():
                    return self._render(request, finding, item_form=form, status=400)
                try:
                    services.rectification_item_create(
                        actor=request.user, finding=finding, **form.cleaned_data
                    )
                except DomainError as exc:
                    add_domain_error(form, exc)
                    return self._render(request, finding, item_form=form, status=400)
                messages.success(request, _("Rectification item added to the ledger."))
            else:
                raise Http404
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("inspections:finding_detail", pk=finding.pk)


class FindingCreateView(PageMixin, View):
    """Record a finding. Once recorded, the page comes back empty for the next one (a notice lists
    several problems), with the confirmation and a link to the finding at the top."""

    permission_required = "inspections.add_finding"

    def _form(self, request, data=None):
        counties = core_selectors.region_list(actor=request.user, level="county")
        return FindingCreateForm(data, actor=request.user, counties=counties)

    def get(self, request):
        recorded = None
        if request.GET.get("recorded", "").isdigit():
            recorded = selectors.finding_list(actor=request.user).filter(pk=request.GET["recorded"]).first()
        return render(
            request, "inspections/finding_form.html", {"form": self._form(request), "recorded": recorded}
        )

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                finding = services.finding_create(actor=request.user, data=form.service_data())
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect(f"{reverse('inspections:finding_create')}?recorded={finding.pk}#recorded")
        return render(request, "inspections/finding_form.html", {"form": form}, status=400)


def _item_form(request, finding, *, data=None, initial=None) -> ItemCreateForm:
    """The item form of a finding: units of the finding's county or above it."""
    return ItemCreateForm(data, actor=request.user, county=pad_code(finding.region_id[:6]), initial=initial)


class PhotoView(PageMixin, View):
    """Evidence photos are served only to users who may see the finding."""

    permission_required = "inspections.view_finding"

    def get(self, request, pk: int):
        photo = selectors.photo_get(actor=request.user, pk=pk)
        return serve_upload(photo.file.name, download_name=PurePosixPath(photo.file.name).name)
