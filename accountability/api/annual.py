"""API of the annual assessment: /api/v1/accountability/annual-grades/ (readable as scoped, writable by the
organisation department), appeals, vetoes (and their export), rectification acceptances, annual bulletins."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core import selectors as core_selectors
from core.api.filters import BaseFilterSet
from core.api.permissions import IsAuthenticatedWriter
from core.models import RegionLevel
from core.xlsx import XLSX_CONTENT_TYPE
from inspections.models import ProvinceProblemList, VisitPlan

from .. import selectors, services
from ..models import AnnualBulletin, AnnualGrade, EvaluationVeto, GradeAppeal, RectificationReview
from ..xlsx_annual import annual_bulletin_filename, annual_bulletin_workbook, veto_workbook
from . import annual_serializers as s
from .serializers import AnnualGradeSerializer


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


class GradeFilter(BaseFilterSet):
    class Meta:
        model = AnnualGrade
        fields = ["year", "unit", "officer", "grade"]


class AnnualGradeListApi(generics.ListAPIView):
    """GET: grades in the reader's region (the graded read theirs at annual-grades/<id>/). POST: the organisation
    department records a grade (monthly scores computed, indicators entered, decision and reasons)."""

    serializer_class = AnnualGradeSerializer
    filterset_class = GradeFilter
    queryset = (
        AnnualGrade.objects.none()
    )  # GET: view_annualgrade; POST: add_annualgrade (the role's model permissions)

    def get_queryset(self):
        return selectors.grade_list(actor=self.request.user)

    @extend_schema(request=s.AnnualGradeInputSerializer, responses={201: s.AnnualGradeDetailSerializer})
    def post(self, request):
        data = s.AnnualGradeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        user = request.user
        unit = (
            get_object_or_404(core_selectors.unit_list(actor=user), pk=v["unit"]) if v.get("unit") else None
        )
        officer = (
            get_object_or_404(core_selectors.officer_list(actor=user), pk=v["officer"])
            if v.get("officer")
            else None
        )
        grade, _cases = services.annual_grade_record(
            year=v["year"], decided_on=v["decided_on"], unit=unit, officer=officer, grade=v.get("grade") or None,
            reasons=v.get("reasons", ""), indicators=v.get("indicators"), actor=user,
        )  # fmt: skip
        return Response(s.AnnualGradeDetailSerializer(grade).data, status=status.HTTP_201_CREATED)


class AnnualGradeDetailApi(APIView):
    permission_classes = [IsAuthenticatedWriter]

    @extend_schema(responses=s.AnnualGradeDetailSerializer)
    def get(self, request, pk: int):
        return Response(s.AnnualGradeDetailSerializer(selectors.grade_get(actor=request.user, pk=pk)).data)


class GradeAppealApi(APIView):
    """申诉 by the graded officer (or an officer of the graded unit), within the set days."""

    permission_classes = [IsAuthenticatedWriter]

    @extend_schema(request=s.AppealInputSerializer, responses={201: s.GradeAppealSerializer})
    def post(self, request, pk: int):
        grade = selectors.grade_get(actor=request.user, pk=pk)
        if not services.may_appeal(request.user, grade):
            raise PermissionDenied
        data = s.AppealInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appeal = services.appeal_lodge(
            grade=grade, grounds=data.validated_data["grounds"], actor=request.user
        )
        return Response(s.GradeAppealSerializer(appeal).data, status=status.HTTP_201_CREATED)


class AppealListApi(generics.ListAPIView):
    serializer_class = s.GradeAppealSerializer
    queryset = GradeAppeal.objects.none()
    permission_classes = [IsAuthenticatedWriter]

    def get_queryset(self):
        return selectors.appeal_list(actor=self.request.user)


class AppealDecideApi(APIView):
    queryset = GradeAppeal.objects.none()
    required_permissions = {"POST": ["accountability.decide_gradeappeal"]}

    @extend_schema(request=s.AppealDecisionSerializer, responses=s.GradeAppealSerializer)
    def post(self, request, pk: int):
        appeal = selectors.appeal_get(actor=request.user, pk=pk)
        data = s.AppealDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        appeal = services.appeal_decide(appeal=appeal, granted=v["granted"], new_grade=v.get("new_grade") or None,
                                        reasons=v["reasons"], actor=request.user)  # fmt: skip
        return Response(s.GradeAppealSerializer(appeal).data)


class VetoFilter(BaseFilterSet):
    in_force = django_filters.BooleanFilter(field_name="lifted_on", lookup_expr="isnull")

    class Meta:
        model = EvaluationVeto
        fields = ["year", "officer"]


class VetoListApi(generics.ListAPIView):
    serializer_class = s.EvaluationVetoSerializer
    filterset_class = VetoFilter
    queryset = EvaluationVeto.objects.none()
    permission_classes = [IsAuthenticatedWriter]

    def get_queryset(self):
        return selectors.veto_list(actor=self.request.user)


class VetoXlsxApi(APIView):
    queryset = EvaluationVeto.objects.none()

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses={(200, XLSX_CONTENT_TYPE): bytes})
    def get(self, request):
        raw = request.query_params.get("year", "")
        year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None
        return _xlsx(veto_workbook(selectors.veto_list(actor=request.user, year=year), year=year),
                     f"vetoes-{year or 'all'}.xlsx")  # fmt: skip


class ReviewListApi(generics.ListAPIView):
    """整改评估验收: the leading group's reviewers record them; a failed one bars and opens cases."""

    serializer_class = s.ReviewSerializer
    queryset = RectificationReview.objects.none()

    def get_queryset(self):
        return selectors.review_list(actor=self.request.user)

    @extend_schema(request=s.ReviewInputSerializer, responses={201: s.ReviewSerializer})
    def post(self, request):
        data = s.ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        user = request.user
        counties = core_selectors.region_list(actor=user).filter(level=RegionLevel.COUNTY)
        region = get_object_or_404(counties, code=v.pop("region"))
        problem_list = (
            get_object_or_404(ProvinceProblemList, pk=v.pop("problem_list"))
            if v.get("problem_list")
            else None
        )
        plan = (get_object_or_404(VisitPlan.objects.filter(status="filed", county=region), pk=v.pop("plan"))
                if v.get("plan") else None)  # fmt: skip
        v.pop("problem_list", None), v.pop("plan", None)
        review, _cases = services.rectification_review_record(
            region=region, problem_list=problem_list, plan=plan, actor=user, **v
        )
        return Response(s.ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class AnnualBulletinListApi(generics.ListAPIView):
    serializer_class = s.AnnualBulletinSerializer
    queryset = AnnualBulletin.objects.none()
    required_permissions = {"GET": ["accountability.view_annualbulletin"],
                            "POST": ["accountability.publish_annualbulletin"]}  # fmt: skip

    def get_queryset(self):
        return selectors.annual_bulletin_list(actor=self.request.user)

    @extend_schema(request=s.AnnualBulletinPublishSerializer, responses={201: s.AnnualBulletinSerializer})
    def post(self, request):
        data = s.AnnualBulletinPublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if request.user.region is None:
            raise PermissionDenied
        bulletin = services.annual_bulletin_publish(region=request.user.region, year=data.validated_data["year"],
                                                    reason=data.validated_data["reason"], actor=request.user)  # fmt: skip
        return Response(s.AnnualBulletinSerializer(bulletin).data, status=status.HTTP_201_CREATED)


class AnnualBulletinDetailApi(APIView):
    queryset = AnnualBulletin.objects.none()

    @extend_schema(responses=s.AnnualBulletinSerializer)
    def get(self, request, pk: int):
        return Response(
            s.AnnualBulletinSerializer(selectors.annual_bulletin_get(actor=request.user, pk=pk)).data
        )


class AnnualBulletinXlsxApi(APIView):
    queryset = AnnualBulletin.objects.none()

    @extend_schema(responses={(200, XLSX_CONTENT_TYPE): bytes})
    def get(self, request, pk: int):
        bulletin = selectors.annual_bulletin_get(actor=request.user, pk=pk)
        return _xlsx(annual_bulletin_workbook(bulletin), annual_bulletin_filename(bulletin))
