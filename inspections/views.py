"""HTML pages of inspections. Every read goes through the selectors (scope + secrecy)."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.history import history_for
from core.inputs import query_filters
from core.models import Region, Unit
from core.scoping import scope
from core.uploads import serve_upload
from core.web import PageMixin, add_domain_error, paginate, querystring_without

from . import exports, selectors, services
from .forms import (
    FindingCreateForm,
    ItemCreateForm,
    ItemSubmitForm,
    PlanDrawForm,
    ProblemListImportForm,
    ReasonForm,
)
from .models import (
    AnswerStatus,
    FindingCategory,
    FindingSource,
    FindingStatus,
    ItemKind,
    ItemStatus,
    PlanStatus,
    ProblemAnswer,
    ProblemListRecipient,
    ReportStatus,
    Severity,
)


def _filters(request, *keys, ids: tuple[str, ...] = ()):
    return query_filters(request.GET, *keys, ids=ids)


def _units(actor):
    return scope(Unit.objects.filter(is_active=True), actor=actor, field="region_id").order_by(
        "region_id", "name"
    )


# --- findings -----------------------------------------------------------------------------


class FindingListView(PageMixin, View):
    permission_required = "inspections.view_finding"

    def get(self, request):
        filters = _filters(
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
            "item_form": item_form or (ItemCreateForm(units=_units(request.user), initial={"responsible_unit": finding.responsible_unit_id}) if inspector else None),
            "reason_form": reason_form or ReasonForm(), "history": history_for(finding, limit=30),
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
                form = ItemCreateForm(request.POST, units=_units(request.user))
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
    permission_required = "inspections.add_finding"

    def _form(self, request, data=None):
        return FindingCreateForm(data, units=_units(request.user))

    def get(self, request):
        return render(request, "inspections/finding_form.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["county"] = data["county"].code
            data["responsible_unit"] = data["responsible_unit"].pk if data["responsible_unit"] else None
            try:
                finding = services.finding_create(actor=request.user, data=data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Finding recorded."))
                return redirect("inspections:finding_detail", pk=finding.pk)
        return render(request, "inspections/finding_form.html", {"form": form}, status=400)


class PhotoView(PageMixin, View):
    """Evidence photos are served only to users who may see the finding."""

    permission_required = "inspections.view_finding"

    def get(self, request, pk: int):
        photo = selectors.photo_get(actor=request.user, pk=pk)
        return serve_upload(photo.file.name, download_name=PurePosixPath(photo.file.name).name)


# --- plans and reports --------------------------------------------------------------------


class PlanListView(PageMixin, View):
    permission_required = "inspections.view_visitplan"

    def get(self, request):
        filters = _filters(request, "q", "status", ids=("group",))
        qs = (
            selectors.plan_list(actor=request.user, filters=filters)
            .annotate(n_targets=Count("targets"))
            .order_by("-month", "group_id", "county_id")
        )
        return render(request, "inspections/plan_list.html", {
            "page": paginate(request, qs), "filters": filters, "statuses": PlanStatus.choices,
            "querystring": querystring_without(request, "page"), "can_draw": selectors.sees_secrets(request.user) and request.user.has_perm("inspections.add_visitplan"),
        })  # fmt: skip


class PlanCreateView(PageMixin, View):
    permission_required = "inspections.add_visitplan"

    def _form(self, request, data=None):
        counties = scope(Region.objects.filter(level="county"), actor=request.user, field="code").order_by(
            "code"
        )
        return PlanDrawForm(
            data, counties=counties, groups=selectors.group_list(actor=request.user).filter(is_active=True)
        )

    def get(self, request):
        if not selectors.sees_secrets(request.user):
            raise Http404
        return render(request, "inspections/plan_form.html", {"form": self._form(request)})

    def post(self, request):
        if not selectors.sees_secrets(request.user):
            raise Http404
        form = self._form(request, request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                plan = services.visit_plan_draw(
                    actor=request.user, group=d["group"], county=d["county"], month=d["month"],
                    counts={k: d[k] for k in ("townships", "villages_per_township", "households_per_village")},
                )  # fmt: skip
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Targets drawn. Keep this plan confidential."))
                return redirect("inspections:plan_detail", pk=plan.pk)
        return render(request, "inspections/plan_form.html", {"form": form}, status=400)


class PlanDetailView(PageMixin, View):
    permission_required = "inspections.view_visitplan"

    def get(self, request, pk: int):
        plan = selectors.plan_get(actor=request.user, pk=pk)
        verify = None
        if request.GET.get("verify"):
            matches, redrawn, _stored = services.visit_plan_verify_draw(plan=plan)
            verify = {"matches": matches, "count": len(redrawn)}
        return render(request, "inspections/plan_detail.html", {
            "plan": plan, "targets": selectors.plan_targets(actor=request.user, plan=plan), "verify": verify,
            "reports": selectors.report_list(actor=request.user).filter(plan=plan),
            "can_file": selectors.is_inspector(request.user) and selectors.sees_secrets(request.user),
        })  # fmt: skip


class ReportListView(PageMixin, View):
    permission_required = "inspections.view_visitreport"

    def get(self, request):
        filters = _filters(request, "q", "status")
        qs = (
            selectors.report_list(actor=request.user, filters=filters)
            .annotate(n_findings=Count("findings"))
            .order_by("-visit_date", "-id")
        )
        return render(request, "inspections/report_list.html", {
            "page": paginate(request, qs), "filters": filters, "statuses": ReportStatus.choices,
            "querystring": querystring_without(request, "page"),
            "can_file": selectors.is_inspector(request.user) and selectors.sees_secrets(request.user),
        })  # fmt: skip


class ReportDetailView(PageMixin, View):
    permission_required = "inspections.view_visitreport"

    def get(self, request, pk: int):
        report = selectors.report_get(actor=request.user, pk=pk)
        return render(request, "inspections/report_detail.html", {
            "report": report,
            "findings": report.findings.select_related("region", "responsible_unit", "household").prefetch_related("photos"),
            "households": report.households_visited.all(),
            "can_file": selectors.is_inspector(request.user) and not request.user.is_read_only,
        })  # fmt: skip

    def post(self, request, pk: int):
        report = selectors.report_get(actor=request.user, pk=pk)
        try:
            services.visit_report_file(actor=request.user, report=report)
            messages.success(request, _("Report filed. The county can now see the visit and its findings."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("inspections:report_detail", pk=report.pk)


class ReportFilingView(PageMixin, View):
    """The phone page: works offline, keeps the draft (photos included) in IndexedDB, sends it later."""

    permission_required = "inspections.add_visitreport"

    def get(self, request):
        if not selectors.sees_secrets(request.user) or not selectors.is_inspector(request.user):
            raise Http404
        plans = (
            selectors.plan_list(actor=request.user).filter(status=PlanStatus.PLANNED).order_by("-month")[:20]
        )
        counties = scope(Region.objects.filter(level="county"), actor=request.user, field="code").order_by(
            "code"
        )
        return render(request, "inspections/report_file.html", {
            "plans": plans, "counties": counties, "categories": FindingCategory.choices,
            "severities": Severity.choices,
            "units": _units(request.user).select_related("region")[:1000],
        })  # fmt: skip


def service_worker(request):
    """The filing page's service worker, served from /inspections/ so its scope covers the page."""
    from django.contrib.staticfiles import finders
    from django.http import HttpResponse

    path = finders.find("inspections/sw.js")
    with open(path, "rb") as fh:
        response = HttpResponse(fh.read(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/inspections/"
    response["Cache-Control"] = "no-cache"
    return response


# --- ledger -------------------------------------------------------------------------------


class ItemListView(PageMixin, View):
    permission_required = "inspections.view_rectificationitem"

    def get(self, request):
        filters = _filters(request, "q", "status", "kind", "overdue", ids=("responsible_unit",))
        qs = selectors.item_list(actor=request.user, filters=filters).order_by("deadline", "id")
        if request.GET.get("format") == "xlsx":
            return exports.ledger_response(qs)
        return render(request, "inspections/item_list.html", {
            "page": paginate(request, qs), "filters": filters, "statuses": ItemStatus.choices, "kinds": ItemKind.choices,
            "querystring": querystring_without(request, "page"), "export_qs": querystring_without(request, "page", "format"),
        })  # fmt: skip


class ItemDetailView(PageMixin, View):
    permission_required = "inspections.view_rectificationitem"
    upload_fields = ("files",)  # evidence: core.uploads, in rectification_item_submit

    def _render(self, request, item, submit_form=None, reason_form=None, status=200):
        return render(request, "inspections/item_detail.html", {
            "item": item, "changes": item.status_changes.select_related("actor"),
            "evidence": item.evidence_files.all(),
            "is_inspector": selectors.is_inspector(request.user) and not request.user.is_read_only,
            "can_submit": request.user.has_perm("inspections.change_rectificationitem") and not request.user.is_read_only,
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


# --- notifications ------------------------------------------------------------------------


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


# --- province problem lists ---------------------------------------------------------------


class ProblemListListView(PageMixin, View):
    permission_required = "inspections.view_provinceproblemlist"

    def get(self, request):
        lists = selectors.problem_list_list(actor=request.user).order_by("-issued_on", "-id")
        mine = scope(
            ProblemListRecipient.objects.select_related("unit", "problem_list"),
            actor=request.user,
            field="region_id",
        )
        return render(request, "inspections/problem_list_list.html", {
            "lists": lists, "mine": mine.filter(problem_list__sent_at__isnull=False)[:50],
            "can_import": selectors.sees_secrets(request.user) and request.user.has_perm("inspections.add_provinceproblemlist"),
        })  # fmt: skip


class ProblemListImportView(PageMixin, View):
    permission_required = "inspections.add_provinceproblemlist"
    upload_fields = ("file",)  # core.uploads checks it before it is read (problem_list_import)

    def get(self, request):
        return render(request, "inspections/problem_list_import.html", {"form": ProblemListImportForm()})

    def post(self, request):
        form = ProblemListImportForm(request.POST, request.FILES)
        row_errors = []
        if form.is_valid():
            d = form.cleaned_data
            try:
                plist = services.problem_list_import(
                    actor=request.user, upload=d["file"], title=d["title"], issued_on=d["issued_on"],
                    answer_deadline=d["answer_deadline"], issued_by=d["issued_by"],
                )  # fmt: skip
            except DomainError as exc:
                add_domain_error(form, exc)
                row_errors = getattr(exc, "errors", [])
            else:
                messages.success(
                    request,
                    _("Imported %(n)s problems. Send the list to the counties and departments when ready.")
                    % {"n": plist.problems.count()},
                )
                return redirect("inspections:problem_list_detail", pk=plist.pk)
        return render(
            request,
            "inspections/problem_list_import.html",
            {"form": form, "row_errors": row_errors},
            status=400,
        )


class ProblemListDetailView(PageMixin, View):
    permission_required = "inspections.view_provinceproblemlist"

    def get(self, request, pk: int):
        plist = selectors.problem_list_get(actor=request.user, pk=pk)
        return render(request, "inspections/problem_list_detail.html", {
            "plist": plist, "recipients": selectors.recipient_progress(actor=request.user, problem_list=plist),
            "problems": plist.problems.all()[:500],
            "can_send": selectors.sees_secrets(request.user) and request.user.has_perm("inspections.change_provinceproblemlist") and not request.user.is_read_only,
        })  # fmt: skip

    def post(self, request, pk: int):
        plist = selectors.problem_list_get(actor=request.user, pk=pk)
        try:
            added = services.problem_list_send(actor=request.user, problem_list=plist)
            messages.success(request, _("Sent to %(n)s recipients.") % {"n": added})
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("inspections:problem_list_detail", pk=plist.pk)


class RecipientDetailView(PageMixin, View):
    permission_required = "inspections.view_problemanswer"

    def get(self, request, pk: int, error=None, status=200):
        recipient = selectors.recipient_get(actor=request.user, pk=pk)
        answers = selectors.answers_for_recipient(actor=request.user, recipient=recipient)
        progress = answers.aggregate(
            total=Count("id"), answered=Count("id", filter=~Q(status=AnswerStatus.UNANSWERED))
        )
        return render(request, "inspections/recipient_detail.html", {
            "recipient": recipient, "answers": answers, "progress": progress, "error": error,
            "can_answer": request.user.has_perm("inspections.change_problemanswer") and not request.user.is_read_only,
            "kinds": ItemKind.choices,
        }, status=status)  # fmt: skip

    def post(self, request, pk: int):
        recipient = selectors.recipient_get(actor=request.user, pk=pk)
        answer = get_object_or_404(ProblemAnswer, pk=request.POST.get("answer") or 0, recipient=recipient)
        items = []
        if request.POST.get("item_description"):
            items.append({
                "description": request.POST["item_description"], "deadline": request.POST.get("item_deadline") or None,
                "kind": request.POST.get("item_kind") or ItemKind.COMMON,
            })  # fmt: skip
        try:
            services.problem_answer_set(
                actor=request.user, answer=answer, status=request.POST.get("status", ""),
                note=request.POST.get("note", ""), items=items,
            )  # fmt: skip
        except DomainError as exc:
            return self.get(request, pk, error=f"{answer.problem.number}: {exc.message}", status=400)
        messages.success(request, _("Answer saved."))
        return redirect(
            reverse("inspections:recipient_detail", args=[recipient.pk]) + f"#p{answer.problem.number}"
        )
