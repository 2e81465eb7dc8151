"""Pages of the rectification ledger (整改台账) and of the units' notifications."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.history import history_for
from core.transitions import can_transition
from core.uploads import serve_upload
from core.web import PageMixin, add_domain_error, paginate, querystring_without, sort

from .. import exports, selectors, services
from ..forms import ItemSubmitForm, ReasonForm
from ..models import ItemKind, ItemStatus
from .common import page_filters

# The ledger's sortable columns (core.web.sort): the deadline first by default.
LEDGER_ORDER = {
    "deadline": ("deadline",),
    "unit": ("responsible_unit__name",),
    "status": ("status", "deadline"),
    "kind": ("kind", "deadline"),
}


class ItemListView(PageMixin, View):
    permission_required = "inspections.view_rectificationitem"

    def get(self, request):
        filters = page_filters(request, "q", "status", "kind", "overdue", ids=("responsible_unit",))
        qs, sorting = sort(
            request, selectors.item_list(actor=request.user, filters=filters), LEDGER_ORDER, "deadline"
        )
        if request.GET.get("format") == "xlsx":
            return exports.ledger_response(qs)
        return render(request, "inspections/item_list.html", {
            "page": paginate(request, qs), "filters": filters, "statuses": ItemStatus.choices, "kinds": ItemKind.choices,
            "querystring": querystring_without(request, "page"), "export_qs": querystring_without(request, "page", "format"),
            "sorting": sorting,
        })  # fmt: skip


class ItemDetailView(PageMixin, View):
    permission_required = "inspections.view_rectificationitem"
    upload_fields = ("files",)  # evidence: core.uploads, in rectification_item_submit

    def _render(self, request, item, submit_form=None, reason_form=None, status=200):
        return render(request, "inspections/item_detail.html", {
            "item": item, "changes": selectors.status_changes(actor=request.user, obj=item),
            "evidence": item.evidence_files.all(),
            "is_inspector": selectors.is_inspector(request.user) and not request.user.is_read_only,
            "can_submit": can_transition(item, ItemStatus.SUBMITTED, request.user),
            "can_verify": can_transition(item, ItemStatus.CLOSED, request.user),
            "can_send_back": item.status == ItemStatus.SUBMITTED and can_transition(item, ItemStatus.OPEN, request.user),
            "submit_form": submit_form or ItemSubmitForm(), "reason_form": reason_form or ReasonForm(),
            "history": history_for(item, limit=30),
        }, status=status)  # fmt: skip

    def get(self, request, pk: int):
        return self._render(request, selectors.item_get(actor=request.user, pk=pk))

    def post(self, request, pk: int):
        item = selectors.item_get(actor=request.user, pk=pk)
        action = request.POST.get("action")
        if action == "submit":
            form = ItemSubmitForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    services.rectification_item_submit(
                        actor=request.user, item=item, evidence_note=form.cleaned_data["evidence_note"],
                        files=request.FILES.getlist("files"),
                    )  # fmt: skip
                except DomainError as exc:
                    add_domain_error(form, exc)
                else:
                    messages.success(request, _("Submitted for verification."))
                    return redirect("inspections:item_detail", pk=item.pk)
            return self._render(request, item, submit_form=form, status=400)
        form = ReasonForm(request.POST)
        form.is_valid()
        try:
            if action == "close":
                services.rectification_item_close(
                    actor=request.user, item=item, note=form.cleaned_data.get("reason", "")
                )
                messages.success(request, _("Verified and closed."))
            elif action == "send_back":
                services.rectification_item_send_back(
                    actor=request.user, item=item, reason=form.cleaned_data.get("reason", "")
                )
                messages.success(request, _("Sent back to the responsible unit."))
            else:
                raise Http404
        except DomainError as exc:
            add_domain_error(form, exc)
            return self._render(
                request, item, reason_form=form, status=400 if exc.status_code == 400 else exc.status_code
            )
        return redirect("inspections:item_detail", pk=item.pk)


class EvidenceFileView(PageMixin, View):
    permission_required = "inspections.view_rectificationitem"

    def get(self, request, pk: int, file_pk: int):
        item = selectors.item_get(actor=request.user, pk=pk)
        evidence = get_object_or_404(item.evidence_files, pk=file_pk)
        return serve_upload(evidence.file.name, download_name=PurePosixPath(evidence.file.name).name)


class NotificationListView(PageMixin, View):
    permission_required = "inspections.view_notification"

    def get(self, request):
        qs = selectors.notification_list(actor=request.user, unread_only=request.GET.get("unread") == "1")
        return render(request, "inspections/notification_list.html", {
            "page": paginate(request, qs), "querystring": querystring_without(request, "page"),
        })  # fmt: skip

    def post(self, request):
        note = get_object_or_404(
            selectors.notification_list(actor=request.user), pk=request.POST.get("id") or 0
        )
        services.notification_mark_read(actor=request.user, notification=note)
        return redirect(note.url or reverse("inspections:notification_list"))
