"""API of covert visits: inspection groups, plans and their draw, visit reports."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import BaseFilterSet
from core.models import Region, Unit
from core.scoping import scope

from ... import selectors, services
from ...models import InspectionGroup, VisitPlan, VisitReport
from .. import serializers as s


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
        department = (
            get_object_or_404(scope(Unit.objects.all(), actor=request.user, field="region_id"), pk=v["department"])
            if v.get("department") else None
        )  # fmt: skip
        plan = services.visit_plan_draw(
            actor=request.user, group=group, county=county, month=v["month"], department=department,
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

    @extend_schema(
        responses=inline_serializer(
            "PlanVerification",
            fields={
                "matches": serializers.BooleanField(help_text="The re-run draw gave the stored targets."),
                "seed": serializers.CharField(),
                "algorithm_version": serializers.CharField(),
                "targets": inline_serializer(
                    "DrawnTarget",
                    many=True,
                    fields={
                        "kind": serializers.CharField(help_text="township, village, household or team"),
                        "key": serializers.CharField(help_text="A region code, or a household or team id"),
                        "parent": serializers.CharField(allow_null=True),
                    },
                ),
            },
        )
    )
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
