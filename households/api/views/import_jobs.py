"""Excel imports and the poverty lines they are checked against."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import ERROR_COMPONENT
from core.exceptions import DomainError
from core.uploads import serve_upload
from households import selectors
from households.models import (
    HouseholdImport,
    PovertyLine,
)

from .. import serializers as s

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportGone(DomainError):
    status_code = 410
    default_code = "gone"


class ImportCreateApi(APIView):
    required_permissions = {"POST": ["households.import_households"]}
    parser_classes = [MultiPartParser]
    upload_fields = ("file",)  # checked in the request by services.import_start (core.uploads)

    @extend_schema(request=s.ImportInputSerializer, responses={202: s.ImportSerializer})
    def post(self, request):
        from households.services import import_start

        data = s.ImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            job = import_start(
                actor=request.user,
                upload=data.validated_data["file"],
                mode=data.validated_data["mode"],
                kind=data.validated_data["kind"],
            )
        return Response(s.ImportSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ImportStatusApi(APIView):
    queryset = HouseholdImport.objects.none()

    @extend_schema(responses=s.ImportSerializer)
    def get(self, request, pk: int):
        return Response(s.ImportSerializer(selectors.import_get(actor=request.user, pk=pk)).data)


class ImportErrorReportApi(APIView):
    """The import's error report (.xlsx): sheet 1 one line per error (row, column, reason), sheet 2 the
    rows to correct under the file's own header, ready to upload again. Authenticated like every
    operation (a token works; it redirected to the web login before). 404 when no row failed; 410 once
    it was deleted after the retention period (it holds full ID numbers)."""

    queryset = HouseholdImport.objects.none()
    required_permissions = {"GET": ["households.import_households"]}

    @extend_schema(
        responses={
            (200, XLSX): OpenApiResponse(bytes, description="The error report."),
            410: OpenApiResponse(
                {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"},  # the API's one error body
                description="Deleted after the retention period: upload the file again.",
            ),
        }
    )
    def get(self, request, pk: int):
        from households.imports import import_files_expire_at, import_files_expired

        job = selectors.import_get(actor=request.user, pk=pk)
        if job.error_report and import_files_expired(job):
            raise ReportGone(
                _(
                    "The uploaded workbook and its error report were deleted on %(date)s, %(days)d days after "
                    "the upload, because they hold full ID numbers. Upload the file again if you still need it."
                )
                % {
                    "date": import_files_expire_at(job).date().isoformat(),
                    "days": settings.UPLOAD_RETENTION_DAYS,
                },
                field="report",
            )
        if not job.error_report:
            raise Http404
        return serve_upload(job.error_report.name, download_name=f"errors-{job.pk}.xlsx", as_attachment=True)


class PovertyLineApi(generics.ListAPIView):
    serializer_class = s.PovertyLineSerializer
    queryset = PovertyLine.objects.all()
    pagination_class = None
    filterset_class = None
    required_permissions = {"GET": ["households.view_household"]}
