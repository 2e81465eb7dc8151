"""Excel imports: upload, progress, error report, template."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.uploads import serve_upload
from core.web import PageMixin, add_domain_error

from .. import imports, selectors, services
from ..forms import ImportForm
from ..models import ImportStatus
from .common import XLSX


class ImportView(PageMixin, View):
    permission_required = "households.import_households"
    upload_fields = ("file",)  # checked in the request by services.import_start (core.uploads)

    def _render(self, request, form, status=200):
        jobs = selectors.import_list(actor=request.user).order_by("-created_at")[:20]
        return render(request, "households/import.html", {"form": form, "jobs": jobs}, status=status)

    def get(self, request):
        return self._render(request, ImportForm(kinds=services.import_kinds(actor=request.user)))

    def post(self, request):
        form = ImportForm(request.POST, request.FILES, kinds=services.import_kinds(actor=request.user))
        status = 400
        if form.is_valid():
            try:
                with transaction.atomic():
                    job = services.import_start(
                        actor=request.user,
                        upload=form.cleaned_data["file"],
                        mode=form.cleaned_data["mode"],
                        kind=form.cleaned_data["kind"],
                    )
            except DomainError as error:
                add_domain_error(form, error)
                status = error.status_code
            else:
                return redirect("households:import_status", pk=job.pk)
        return self._render(request, form, status=status)


class ImportStatusView(PageMixin, View):
    permission_required = "households.import_households"

    def get(self, request, pk: int):
        job = selectors.import_get(actor=request.user, pk=pk)
        if request.GET.get("format") == "json":
            return JsonResponse({
                "status": job.status, "status_label": job.get_status_display(), "percent": job.percent,
                "message": job.message, "households_created": job.households_created, "error_rows": job.error_rows,
                "finished": job.status in (ImportStatus.DONE, ImportStatus.FAILED),
            })  # fmt: skip
        return render(
            request, "households/import_status.html", {"job": job, "expired": _expired_message(job)}
        )


def _expired_message(job) -> str:
    if not imports.import_files_expired(job):
        return ""
    return _(
        "The uploaded workbook and its error report were deleted on %(date)s, %(days)d days after the "
        "upload, because they hold full ID numbers. Upload the file again if you still need it."
    ) % {
        "date": imports.import_files_expire_at(job).date().isoformat(),
        "days": settings.UPLOAD_RETENTION_DAYS,
    }


class ImportReportView(PageMixin, View):
    permission_required = "households.import_households"

    def get(self, request, pk: int):
        job = selectors.import_get(actor=request.user, pk=pk)
        expired = _expired_message(job)
        if expired:  # past the retention period: say so rather than a bare 404
            return render(
                request, "households/import_status.html", {"job": job, "expired": expired}, status=410
            )
        if not job.error_report:
            raise Http404
        return serve_upload(job.error_report.name, download_name=f"errors-{job.pk}.xlsx")


class ImportTemplateView(PageMixin, View):
    permission_required = "households.import_households"

    def get(self, request):
        response = HttpResponse(imports.template_workbook(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="households-template.xlsx"'
        return response
