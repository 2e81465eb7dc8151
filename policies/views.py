from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.uploads import serve_upload
from core.web import PageMixin, add_domain_error, paginate, querystring_without

from . import selectors, services
from .forms import EvidenceForm
from .models import TaskStatus


class PolicyListView(PageMixin, View):
    permission_required = "policies.view_policy"

    def get(self, request):
        return render(
            request, "policies/policy_list.html", {"policies": selectors.policy_list(actor=request.user)}
        )


def _filters(request) -> dict:
    return {k: request.GET.get(k, "") for k in ("policy", "region", "status", "flag")}


class TaskListView(PageMixin, View):
    permission_required = "policies.view_policytask"

    def get(self, request):
        filters = _filters(request)
        if filters["policy"] and not filters["policy"].isdigit():
            filters["policy"] = ""
        page = paginate(request, selectors.task_list(actor=request.user, filters=filters))
        return render(request, "policies/task_list.html", {
            "page": page, "filters": filters, "statuses": TaskStatus.choices,
            "querystring": querystring_without(request, "page"),
        })  # fmt: skip


class PolicyDetailView(PageMixin, View):
    permission_required = "policies.view_policy"

    def get(self, request, pk: int):
        policy = selectors.policy_get(actor=request.user, pk=pk)
        tasks = selectors.task_list(actor=request.user, filters={"policy": policy.pk})
        return render(request, "policies/policy_detail.html", {"policy": policy, "tasks": tasks})


class TaskDetailView(PageMixin, View):
    permission_required = "policies.view_policytask"
    upload_fields = ("file",)  # evidence: core.uploads, in policy_task_add_evidence

    def _render(self, request, task, form, status=200):
        return render(request, "policies/task_detail.html", {
            "task": task, "form": form, "evidence": task.evidence.select_related("uploaded_by"),
            "items": task.rectification_items.select_related("responsible_unit"),
            "changes": task.status_changes.select_related("actor"),
            "can_answer": request.user.has_perm("policies.add_policyevidence") and not request.user.is_read_only,
        }, status=status)  # fmt: skip

    def get(self, request, pk: int):
        return self._render(request, selectors.task_get(actor=request.user, pk=pk), EvidenceForm())

    def post(self, request, pk: int):
        if not request.user.has_perm("policies.add_policyevidence"):
            raise PermissionDenied
        task = selectors.task_get(actor=request.user, pk=pk)
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.policy_task_add_evidence(
                    task=task, actor=request.user, title=form.cleaned_data["title"],
                    url=form.cleaned_data["url"], upload=form.cleaned_data["file"],
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Evidence added: the task is implemented."))
                return redirect("policies:task_detail", pk=task.pk)
        return self._render(request, task, form, status=400)


class EvidenceFileView(PageMixin, View):
    permission_required = "policies.view_policyevidence"

    def get(self, request, pk: int):
        evidence = selectors.evidence_get(actor=request.user, pk=pk)
        if not evidence.file:
            raise Http404
        # The type from the stored bytes, never from the name (core.uploads).
        suffix = PurePosixPath(evidence.file.name).suffix
        return serve_upload(evidence.file.name, download_name=f"{evidence.title[:100]}{suffix}")
