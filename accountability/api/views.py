"""REST API of the accountability app: /api/v1/accountability/…  Every list is scoped and keyset-paginated."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core import selectors as core_selectors
from core.api.filters import BaseFilterSet
from core.models import Officer

from .. import selectors, services
from ..models import (
    AccountabilityCase,
    AssessmentScheme,
    Bulletin,
    MonthlyScore,
    PromotionBan,
    Responsibility,
)
from ..periods import today
from ..templatetags.accountability_tags import may_see_record
from ..xlsx import bulletin_filename, bulletin_workbook
from . import serializers as s


def _date(value: str | None, field: str, default: dt.date | None = None) -> dt.date:
    if not value:
        if default is None:
            raise ValidationError({field: [gettext("This field is required.")]})
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({field: [gettext("Enter a date as YYYY-MM-DD.")]}) from None


# --- responsibilities -----------------------------------------------------------------------


class ResponsibilityFilter(BaseFilterSet):
    region_prefix = django_filters.CharFilter(field_name="region__code", lookup_expr="startswith")

    class Meta:
        model = Responsibility
        fields = ["kind", "officer", "unit", "region"]


class ResponsibilityListApi(generics.ListAPIView):
    serializer_class = s.ResponsibilityOutputSerializer
    filterset_class = ResponsibilityFilter
    queryset = Responsibility.objects.none()

    def get_queryset(self):
        return selectors.responsibility_list(actor=self.request.user)

    @extend_schema(request=s.ResponsibilityInputSerializer, responses={201: s.ResponsibilityOutputSerializer})
    def post(self, request):
        data = s.ResponsibilityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        user = request.user
        region = get_object_or_404(core_selectors.region_list(actor=user), code=v.pop("region"))
        officer = (
            get_object_or_404(core_selectors.officer_list(actor=user), pk=v.pop("officer"))
            if v.get("officer")
            else None
        )
        unit = (
            get_object_or_404(core_selectors.unit_list(actor=user), pk=v.pop("unit"))
            if v.get("unit")
            else None
        )
        v.pop("officer", None), v.pop("unit", None)
        resp = services.responsibility_assign(actor=user, region=region, officer=officer, unit=unit, **v)
        return Response(s.ResponsibilityOutputSerializer(resp).data, status=status.HTTP_201_CREATED)


class ResponsibilityDetailApi(APIView):
    queryset = Responsibility.objects.none()

    @extend_schema(responses=s.ResponsibilityOutputSerializer)
    def get(self, request, pk: int):
        return Response(
            s.ResponsibilityOutputSerializer(selectors.responsibility_get(actor=request.user, pk=pk)).data
        )


class ResponsibilityEndApi(APIView):
    queryset = Responsibility.objects.none()
    required_permissions = {"POST": ["accountability.change_responsibility"]}

    @extend_schema(request=s.ResponsibilityEndSerializer, responses=s.ResponsibilityOutputSerializer)
    def post(self, request, pk: int):
        resp = selectors.responsibility_get(actor=request.user, pk=pk)
        data = s.ResponsibilityEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        resp = services.responsibility_end(
            responsibility=resp, valid_to=data.validated_data["valid_to"], actor=request.user
        )
        return Response(s.ResponsibilityOutputSerializer(resp).data)


class ResponsibleForApi(APIView):
    """Who was responsible for this region (village, township, county) on that date."""

    queryset = Responsibility.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, required=True),
            OpenApiParameter("on", dt.date, required=True),
        ],
        responses=s.ResponsibilityOutputSerializer(many=True),
    )
    def get(self, request):
        region = request.query_params.get("region", "")
        if len(region) != 12 or not region.isdigit():
            raise ValidationError({"region": ["A division code has 12 digits."]})
        on = _date(request.query_params.get("on"), "on")
        rows = selectors.who_was_responsible(actor=request.user, region_code=region, on=on)
        return Response(s.ResponsibilityOutputSerializer(rows, many=True).data)


# --- schemes, scores, grades ----------------------------------------------------------------


class SchemeListApi(generics.ListAPIView):
    serializer_class = s.SchemeSerializer
    filterset_class = None
    queryset = AssessmentScheme.objects.none()

    def get_queryset(self):
        return AssessmentScheme.objects.prefetch_related("indicators", "vetoes")


class SchemeDetailApi(generics.RetrieveAPIView):
    serializer_class = s.SchemeSerializer
    queryset = AssessmentScheme.objects.prefetch_related("indicators", "vetoes")


class ScoreFilter(BaseFilterSet):
    class Meta:
        model = MonthlyScore
        fields = ["month", "unit", "officer", "grade", "vetoed"]


class ScoreListApi(generics.ListAPIView):
    serializer_class = s.MonthlyScoreSerializer
    filterset_class = ScoreFilter
    queryset = MonthlyScore.objects.none()

    def get_queryset(self):
        return selectors.score_list(actor=self.request.user)


# The annual grades' API (readable as scoped, writable by the organisation department): api/annual.py.
from .annual import AnnualGradeListApi, GradeFilter  # noqa: E402, F401

# --- cases ----------------------------------------------------------------------------------


class CaseFilter(BaseFilterSet):
    class Meta:
        model = AccountabilityCase
        fields = ["status", "case_type", "rule", "subject_officer", "subject_unit", "finding_id"]


class CaseListApi(generics.ListAPIView):
    """Deciders and leaders: cases in their region. Anyone else: cases about their own officer."""

    serializer_class = s.CaseOutputSerializer
    filterset_class = CaseFilter
    queryset = AccountabilityCase.objects.none()
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.case_list(actor=self.request.user)

    @extend_schema(request=s.CaseInputSerializer, responses={201: s.CaseOutputSerializer})
    def post(self, request):
        if request.user.is_read_only or not request.user.has_perm("accountability.add_accountabilitycase"):
            self.permission_denied(request)
        data = s.CaseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        officers = core_selectors.officer_list(actor=request.user)
        officer = get_object_or_404(officers, pk=v["subject_officer"]) if v.get("subject_officer") else None
        unit = (
            get_object_or_404(core_selectors.unit_list(actor=request.user), pk=v["subject_unit"])
            if v.get("subject_unit")
            else None
        )
        case = services.case_open_manual(case_type=v["case_type"], grounds=v["grounds"], officer=officer, unit=unit,
                                         ban_until=v.get("ban_until"), actor=request.user)  # fmt: skip
        return Response(s.CaseOutputSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.CaseOutputSerializer)
    def get(self, request, pk: int):
        return Response(s.CaseOutputSerializer(selectors.case_get(actor=request.user, pk=pk)).data)


class CaseActionApi(APIView):
    """confirm / dismiss / close: holders of accountability.decide_accountabilitycase only."""

    queryset = AccountabilityCase.objects.none()
    required_permissions = {"POST": ["accountability.decide_accountabilitycase"]}
    action = ""
    input_serializer = s.CaseConfirmSerializer

    def post(self, request, pk: int):
        case = selectors.case_get(actor=request.user, pk=pk)
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if self.action == "confirm":
            case = services.case_confirm(case=case, actor=request.user, decision=v["decision"],
                                         case_type=v.get("case_type"), ban_until=v.get("ban_until"))  # fmt: skip
        elif self.action == "dismiss":
            case = services.case_dismiss(case=case, actor=request.user, reason=v["reason"])
        else:
            case = services.case_close(case=case, actor=request.user, note=v.get("note", ""))
        return Response(s.CaseOutputSerializer(case).data)


class CaseConfirmApi(CaseActionApi):
    action = "confirm"
    input_serializer = s.CaseConfirmSerializer

    @extend_schema(request=s.CaseConfirmSerializer, responses=s.CaseOutputSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)


class CaseDismissApi(CaseActionApi):
    action = "dismiss"
    input_serializer = s.CaseDismissSerializer

    @extend_schema(request=s.CaseDismissSerializer, responses=s.CaseOutputSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)


class CaseCloseApi(CaseActionApi):
    action = "close"
    input_serializer = s.CaseCloseSerializer

    @extend_schema(request=s.CaseCloseSerializer, responses=s.CaseOutputSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)


class BanListApi(generics.ListAPIView):
    serializer_class = s.BanSerializer
    queryset = PromotionBan.objects.none()
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.ban_list(actor=self.request.user)


class EligibilityApi(APIView):
    """Can this officer be promoted on `on` (default today)? Every reason is listed."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("on", dt.date)], responses=s.EligibilitySerializer)
    def get(self, request, pk: int):
        user = request.user
        if user.officer_id == pk:
            officer = Officer.objects.get(pk=pk)
        else:
            officer = get_object_or_404(core_selectors.officer_list(actor=user), pk=pk)
            if not may_see_record(user, officer):
                return Response({"code": "not_found", "message": "Not found.", "errors": {}}, status=404)
        on = _date(request.query_params.get("on"), "on", today())
        return Response(selectors.promotion_eligibility(officer=officer, on=on).as_dict())


# --- bulletins ------------------------------------------------------------------------------


class BulletinFilter(BaseFilterSet):
    class Meta:
        model = Bulletin
        fields = ["month", "status", "region"]


class BulletinListApi(generics.ListAPIView):
    serializer_class = s.BulletinListSerializer
    filterset_class = BulletinFilter
    queryset = Bulletin.objects.none()

    def get_queryset(self):
        return selectors.bulletin_list(actor=self.request.user)


class BulletinDetailApi(APIView):
    queryset = Bulletin.objects.none()

    @extend_schema(responses=s.BulletinSerializer)
    def get(self, request, pk: int):
        return Response(s.BulletinSerializer(selectors.bulletin_get(actor=request.user, pk=pk)).data)


class BulletinXlsxApi(APIView):
    queryset = Bulletin.objects.none()

    @extend_schema(
        responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes}
    )
    def get(self, request, pk: int):
        bulletin = selectors.bulletin_get(actor=request.user, pk=pk)
        response = HttpResponse(bulletin_workbook(bulletin),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{bulletin_filename(bulletin)}"
        return response


class BulletinRegenerateApi(APIView):
    queryset = Bulletin.objects.none()
    required_permissions = {"POST": ["accountability.regenerate_bulletin"]}

    @extend_schema(request=s.BulletinRegenerateSerializer, responses={201: s.BulletinSerializer})
    def post(self, request, pk: int):
        bulletin = selectors.bulletin_get(actor=request.user, pk=pk)
        data = s.BulletinRegenerateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        new = services.bulletin_regenerate(
            bulletin=bulletin, reason=data.validated_data["reason"], actor=request.user
        )
        return Response(s.BulletinSerializer(new).data, status=status.HTTP_201_CREATED)
