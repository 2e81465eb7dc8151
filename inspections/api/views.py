"""REST API of inspections: one small view per operation, reads through the selectors (scope +
secrecy), writes through the services."""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import BaseFilterSet
from core.api.pagination import IdKeysetPagination
from core.models import Region, Unit
from core.scoping import scope

from .. import exports, selectors, services
from ..models import (
    Finding,
    InspectionGroup,
    Notification,
    ProblemAnswer,
    ProblemListRecipient,
    ProvinceProblemList,
    RectificationItem,
    VisitPlan,
    VisitReport,
)
from . import serializers as s


def _perms(model: str, write: str = "change") -> dict:
    return {"GET": [f"inspections.view_{model}"], "POST": [f"inspections.{write}_{model}"]}


class GroupListApi(generics.ListAPIView):
    serializer_class = s.InspectionGroupSerializer
    queryset = InspectionGroup.objects.none()

    def get_queryset(self):
        return selectors.group_list(actor=self.request.user)


class PlanFilter(BaseFilterSet):
    class Meta:
        model = VisitPlan
        fields = ["group", "status", "county"]


class PlanListApi(generics.ListAPIView):
    """Covert visit plans. Unfiled plans are listed only to city inspectors, leaders and admins."""

    serializer_class = s.VisitPlanSerializer
    filterset_class = PlanFilter
    queryset = VisitPlan.objects.none()

    def get_queryset(self):
        return selectors.plan_list(actor=self.request.user, filters={"q": self.request.query_params.get("q")})

    @extend_schema(request=s.VisitPlanDrawInputSerializer, responses={201: s.VisitPlanDetailSerializer})
    def post(self, request):
        data = s.VisitPlanDrawInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        county = get_object_or_404(Region, code=v["county"])
        group = get_object_or_404(selectors.group_list(actor=request.user), pk=v["group"].pk)
        plan = services.visit_plan_draw(
            actor=request.user, group=group, county=county, month=v["month"],
            counts={k: v[k] for k in ("townships", "villages_per_township", "households_per_village")},
        )  # fmt: skip
        return Response(s.VisitPlanDetailSerializer(plan).data, status=status.HTTP_201_CREATED)


class PlanDetailApi(APIView):
    required_permissions = {"GET": ["inspections.view_visitplan"]}

    @extend_schema(responses=s.VisitPlanDetailSerializer)
    def get(self, request, pk: int):
        return Response(s.VisitPlanDetailSerializer(selectors.plan_get(actor=request.user, pk=pk)).data)


class PlanVerifyApi(APIView):
    """Re-run the stored draw from its stored seed and inputs and compare with the stored targets."""

    required_permissions = {"GET": ["inspections.view_visitplan"]}

    @extend_schema(responses=OpenApiResponse(description='{"matches": bool, "targets": [...]}'))
    def get(self, request, pk: int):
        plan = selectors.plan_get(actor=request.user, pk=pk)
        matches, redrawn, _stored = services.visit_plan_verify_draw(plan=plan)
        return Response(
            {
                "matches": matches,
                "seed": plan.seed,
                "algorithm_version": plan.algorithm_version,
                "targets": [t.__dict__ for t in redrawn],
            }
        )


class ReportFilter(BaseFilterSet):
    class Meta:
        model = VisitReport
        fields = ["status", "county", "plan", "group"]


class ReportListApi(generics.ListAPIView):
    serializer_class = s.VisitReportSerializer
    filterset_class = ReportFilter
    queryset = VisitReport.objects.none()

    def get_queryset(self):
        return selectors.report_list(
            actor=self.request.user, filters={"q": self.request.query_params.get("q")}
        )


class ReportDetailApi(APIView):
    required_permissions = {"GET": ["inspections.view_visitreport"]}

    @extend_schema(responses=s.VisitReportDetailSerializer)
    def get(self, request, pk: int):
        report = selectors.report_get(actor=request.user, pk=pk)
        return Response(s.VisitReportDetailSerializer(report).data)


class ReportSubmitApi(APIView):
    """Create or update a report with its findings. Retrying with the same client_uuid never duplicates."""

    required_permissions = {"POST": ["inspections.add_visitreport"]}

    @extend_schema(
        request=s.VisitReportSubmitSerializer,
        responses={201: s.VisitReportDetailSerializer, 200: s.VisitReportDetailSerializer},
    )
    def post(self, request):
        data = s.VisitReportSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report, created = services.visit_report_submit(actor=request.user, data=data.validated_data)
        body = s.VisitReportDetailSerializer(report).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ReportFileApi(APIView):
    required_permissions = {"POST": ["inspections.change_visitreport"]}

    @extend_schema(request=None, responses=s.VisitReportDetailSerializer)
    def post(self, request, pk: int):
        report = selectors.report_get(actor=request.user, pk=pk)
        report = services.visit_report_file(actor=request.user, report=report)
        return Response(s.VisitReportDetailSerializer(report).data)


class FindingFilter(BaseFilterSet):
    class Meta:
        model = Finding
        fields = ["category", "severity", "source", "status", "responsible_unit", "household", "report"]


class FindingListApi(generics.ListAPIView):
    serializer_class = s.InspectionFindingSerializer
    filterset_class = FindingFilter
    queryset = Finding.objects.none()

    def get_queryset(self):
        return selectors.finding_list(
            actor=self.request.user, filters={"q": self.request.query_params.get("q")}
        ).prefetch_related("responsible_officers")

    @extend_schema(
        request=s.InspectionFindingCreateSerializer, responses={201: s.InspectionFindingDetailSerializer}
    )
    def post(self, request):
        data = s.InspectionFindingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        finding = services.finding_create(actor=request.user, data=data.validated_data)
        return Response(s.InspectionFindingDetailSerializer(finding).data, status=status.HTTP_201_CREATED)


class FindingDetailApi(APIView):
    required_permissions = {"GET": ["inspections.view_finding"]}

    @extend_schema(responses=s.InspectionFindingDetailSerializer)
    def get(self, request, pk: int):
        return Response(
            s.InspectionFindingDetailSerializer(selectors.finding_get(actor=request.user, pk=pk)).data
        )


class FindingPhotoUploadApi(APIView):
    """Upload one evidence photo (JPEG/PNG/WebP, ≤ 8 MB). A retry with the same client_uuid stores it once."""

    parser_classes = [MultiPartParser, FormParser]
    required_permissions = {"POST": ["inspections.add_findingphoto"]}
    upload_fields = ("photo",)  # core.uploads, in finding_photo_add

    @extend_schema(
        request=s.FindingPhotoUploadSerializer,
        responses={201: s.FindingPhotoSerializer, 200: s.FindingPhotoSerializer},
    )
    def post(self, request, pk: int):
        finding = selectors.finding_get(actor=request.user, pk=pk)
        data = s.FindingPhotoUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        photo, created = services.finding_photo_add(
            actor=request.user, finding=finding, client_uuid=data.validated_data["client_uuid"],
            upload=data.validated_data["photo"],
        )  # fmt: skip
        return Response(
            s.FindingPhotoSerializer(photo).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ItemFilter(BaseFilterSet):
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = RectificationItem
        fields = ["status", "kind", "responsible_unit", "finding"]

    def filter_overdue(self, qs, name, value):
        return qs.filter(overdue_since__isnull=not value)


class ItemListApi(generics.ListAPIView):
    serializer_class = s.RectificationItemSerializer
    filterset_class = ItemFilter
    queryset = RectificationItem.objects.none()

    def get_queryset(self):
        return selectors.item_list(actor=self.request.user, filters={"q": self.request.query_params.get("q")})

    @extend_schema(
        request=s.RectificationItemCreateSerializer, responses={201: s.RectificationItemDetailSerializer}
    )
    def post(self, request):
        data = s.RectificationItemCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        finding = selectors.finding_get(actor=request.user, pk=v["finding"])
        unit = get_object_or_404(Unit, pk=v["responsible_unit"], is_active=True)
        item = services.rectification_item_create(
            actor=request.user, finding=finding, responsible_unit=unit, deadline=v["deadline"],
            description=v["description"], kind=v["kind"],
        )  # fmt: skip
        return Response(s.RectificationItemDetailSerializer(item).data, status=status.HTTP_201_CREATED)


class ItemDetailApi(APIView):
    required_permissions = {"GET": ["inspections.view_rectificationitem"]}

    @extend_schema(responses=s.RectificationItemDetailSerializer)
    def get(self, request, pk: int):
        return Response(
            s.RectificationItemDetailSerializer(selectors.item_get(actor=request.user, pk=pk)).data
        )


class ItemSubmitApi(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    upload_fields = ("files",)  # core.uploads, in rectification_item_submit
    required_permissions = {"POST": ["inspections.change_rectificationitem"]}

    @extend_schema(request=s.RectificationItemSubmitSerializer, responses=s.RectificationItemDetailSerializer)
    def post(self, request, pk: int):
        item = selectors.item_get(actor=request.user, pk=pk)
        data = s.RectificationItemSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.rectification_item_submit(
            actor=request.user, item=item, evidence_note=data.validated_data["evidence_note"],
            files=request.FILES.getlist("files"),
        )  # fmt: skip
        return Response(s.RectificationItemDetailSerializer(item).data)


class ItemCloseApi(APIView):
    required_permissions = {"POST": ["inspections.change_rectificationitem"]}

    @extend_schema(request=s.RectificationItemCloseSerializer, responses=s.RectificationItemDetailSerializer)
    def post(self, request, pk: int):
        item = selectors.item_get(actor=request.user, pk=pk)
        data = s.RectificationItemCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.rectification_item_close(
            actor=request.user, item=item, note=data.validated_data.get("note", "")
        )
        return Response(s.RectificationItemDetailSerializer(item).data)


class ItemSendBackApi(APIView):
    required_permissions = {"POST": ["inspections.change_rectificationitem"]}

    @extend_schema(
        request=s.RectificationItemSendBackSerializer, responses=s.RectificationItemDetailSerializer
    )
    def post(self, request, pk: int):
        item = selectors.item_get(actor=request.user, pk=pk)
        data = s.RectificationItemSendBackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.rectification_item_send_back(
            actor=request.user, item=item, reason=data.validated_data["reason"]
        )
        return Response(s.RectificationItemDetailSerializer(item).data)


class ItemExportApi(APIView):
    """The ledger as .xlsx (整改台账), with the same filters as the list."""

    required_permissions = {"GET": ["inspections.view_rectificationitem"]}

    @extend_schema(
        responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes}
    )
    def get(self, request):
        qs = ItemFilter(request.query_params, queryset=selectors.item_list(actor=request.user)).qs
        return exports.ledger_response(qs)


class NotificationListApi(generics.ListAPIView):
    serializer_class = s.InspectionNotificationSerializer
    queryset = Notification.objects.none()

    def get_queryset(self):
        unread = self.request.query_params.get("unread") in ("1", "true")
        return selectors.notification_list(actor=self.request.user, unread_only=unread)


class NotificationReadApi(APIView):
    required_permissions = {"POST": ["inspections.change_notification"]}

    @extend_schema(request=None, responses=s.InspectionNotificationSerializer)
    def post(self, request, pk: int):
        note = get_object_or_404(selectors.notification_list(actor=request.user), pk=pk)
        note = services.notification_mark_read(actor=request.user, notification=note)
        return Response(s.InspectionNotificationSerializer(note).data)


class ProblemListListApi(generics.ListAPIView):
    serializer_class = s.ProvinceProblemListSerializer
    queryset = ProvinceProblemList.objects.none()

    def get_queryset(self):
        return selectors.problem_list_list(actor=self.request.user)


class ProblemListImportApi(APIView):
    """Import a list from .xlsx (序号, 类别, 问题描述). One bad row: 400 naming every bad row, nothing imported."""

    parser_classes = [MultiPartParser, FormParser]
    required_permissions = {"POST": ["inspections.add_provinceproblemlist"]}
    upload_fields = ("file",)  # core.uploads checks it before it is read (problem_list_import)

    @extend_schema(
        request=s.ProvinceProblemListImportSerializer, responses={201: s.ProvinceProblemListSerializer}
    )
    def post(self, request):
        data = s.ProvinceProblemListImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        plist = services.problem_list_import(
            actor=request.user, upload=v["file"], title=v["title"], issued_on=v["issued_on"],
            answer_deadline=v["answer_deadline"], issued_by=v.get("issued_by", ""),
        )  # fmt: skip
        plist = selectors.problem_list_get(actor=request.user, pk=plist.pk)
        return Response(s.ProvinceProblemListSerializer(plist).data, status=status.HTTP_201_CREATED)


class ProblemListSendApi(APIView):
    required_permissions = {"POST": ["inspections.change_provinceproblemlist"]}

    @extend_schema(request=None, responses=OpenApiResponse(description='{"recipients_added": n}'))
    def post(self, request, pk: int):
        plist = selectors.problem_list_get(actor=request.user, pk=pk)
        return Response(
            {"recipients_added": services.problem_list_send(actor=request.user, problem_list=plist)}
        )


class RecipientPagination(IdKeysetPagination):
    pass


class ProblemListRecipientsApi(generics.ListAPIView):
    """Progress of each recipient (answered / total / present)."""

    serializer_class = s.ProblemListRecipientProgressSerializer
    queryset = ProblemListRecipient.objects.none()
    pagination_class = RecipientPagination

    def get_queryset(self):
        plist = selectors.problem_list_get(actor=self.request.user, pk=self.kwargs["pk"])
        return selectors.recipient_progress(actor=self.request.user, problem_list=plist)


class RecipientAnswersApi(generics.ListAPIView):
    serializer_class = s.ProblemAnswerSerializer
    queryset = ProblemAnswer.objects.none()
    pagination_class = IdKeysetPagination

    def get_queryset(self):
        recipient = selectors.recipient_get(actor=self.request.user, pk=self.kwargs["pk"])
        return selectors.answers_for_recipient(actor=self.request.user, recipient=recipient)


class AnswerApi(APIView):
    required_permissions = {"POST": ["inspections.change_problemanswer"]}

    @extend_schema(request=s.ProblemAnswerInputSerializer, responses=s.ProblemAnswerSerializer)
    def post(self, request, pk: int):
        recipients = scope(ProblemListRecipient.objects.all(), actor=request.user, field="region_id")
        answer = get_object_or_404(ProblemAnswer.objects.filter(recipient__in=recipients), pk=pk)
        data = s.ProblemAnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answer = services.problem_answer_set(actor=request.user, answer=answer, **data.validated_data)
        return Response(s.ProblemAnswerSerializer(answer).data)
