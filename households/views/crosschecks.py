"""数据比对 pages: upload a department's list, follow its run, review the flags to a decision."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.exceptions import DomainError
from core.transitions import next_statuses
from core.web import PageMixin, add_domain_error, paginate, querystring_without

from ..models import CrossCheckRule, CrossCheckSource, FlagStatus
from ..selectors import crosschecks as selectors
from ..services import crosschecks as services

PERMISSION = "households.run_crosscheck"


class CrossCheckUploadForm(forms.Form):
    source = forms.ChoiceField(label=gettext_lazy("List"), choices=CrossCheckSource.choices)
    file = forms.FileField(
        label=gettext_lazy("File (.xlsx or .csv)"),
        help_text=gettext_lazy("The first row names the columns; one column holds the ID number (身份证号)."),
    )


class FlagDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (FlagStatus.CONFIRMED, gettext_lazy("confirm")),
            (FlagStatus.DISMISSED, gettext_lazy("dismiss")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Reason"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required to dismiss; kept with the correction or removal when confirmed."),
    )  # fmt: skip


class CrossCheckUploadView(PageMixin, View):
    permission_required = PERMISSION
    upload_fields = ("file",)  # checked in the request by services.crosscheck_start (core.uploads)

    def _render(self, request, form, status=200):
        runs = selectors.crosscheck_run_list(actor=request.user)[:20]
        return render(
            request, "households/crosscheck_upload.html", {"form": form, "runs": runs}, status=status
        )

    def get(self, request):
        return self._render(request, CrossCheckUploadForm())

    def post(self, request):
        form = CrossCheckUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    run = services.crosscheck_start(
                        actor=request.user,
                        upload=form.cleaned_data["file"],
                        source=form.cleaned_data["source"],
                    )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect("households:crosscheck_run", pk=run.pk)
        return self._render(request, form, status=400)


class CrossCheckRunView(PageMixin, View):
    permission_required = PERMISSION

    def get(self, request, pk: int):
        run = selectors.crosscheck_run_get(actor=request.user, pk=pk)
        if request.GET.get("format") == "json":
            return JsonResponse({
                "status": run.status, "status_label": run.get_status_display(), "percent": run.percent,
                "message": run.message, "flags_raised": run.flags_raised, "finished": run.finished,
            })  # fmt: skip
        return render(request, "households/crosscheck_run.html", {"run": run})


class CrossCheckFlagListView(PageMixin, View):
    permission_required = PERMISSION

    def get(self, request):
        rule, status = request.GET.get("rule", ""), request.GET.get("status", FlagStatus.OPEN)
        run = request.GET.get("run", "")
        flags = selectors.crosscheck_flag_list(
            actor=request.user, rule=rule, status=status, run=int(run) if run.isdigit() else None
        )
        return render(request, "households/crosscheck_flags.html", {
            "page": paginate(request, flags), "rule": rule, "status": status, "run": run,
            "rules": CrossCheckRule.choices, "statuses": FlagStatus.choices,
            "querystring": querystring_without(request, "page"),
        })  # fmt: skip


class CrossCheckFlagView(PageMixin, View):
    permission_required = PERMISSION

    def _render(self, request, flag, form, status=200):
        return render(request, "households/crosscheck_flag.html", {
            "flag": flag, "form": form, "changes": selectors.crosscheck_flag_changes(flag=flag),
            "can_decide": bool(next_statuses(flag, request.user)) and not request.user.is_read_only,
        }, status=status)  # fmt: skip

    def get(self, request, pk: int):
        flag = selectors.crosscheck_flag_get(actor=request.user, pk=pk)
        return self._render(request, flag, FlagDecisionForm())

    def post(self, request, pk: int):
        flag = selectors.crosscheck_flag_get(actor=request.user, pk=pk)
        form = FlagDecisionForm(request.POST)
        if form.is_valid():
            try:
                flag = services.crosscheck_flag_decide(
                    flag=flag, actor=request.user, decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request, _("Decision recorded: %(status)s.") % {"status": flag.get_status_display()}
                )
                return redirect("households:crosscheck_flag", pk=flag.pk)
        return self._render(request, flag, form, status=400)
