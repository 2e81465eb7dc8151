"""API for surveys on covert visits, their rates, and spot checks of village work teams."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework import serializers as drf_serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from assistance.selectors import team_list
from core.api.filters import read_query
from core.api.pagination import KeysetPagination
from core.scoping import scope_depth
from inspections import selectors, services, targets
from inspections.models import RecordsState, Satisfaction, SurveyResponse, SurveyResult, TeamCheck


class SurveySerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveyResponse
        fields = ["id", "report", "household", "village", "result", "recognises", "satisfaction", "note",
                  "answered_on", "updated_at"]  # fmt: skip


class SurveyInputSerializer(serializers.Serializer):
    household = serializers.IntegerField()
    result = serializers.ChoiceField(choices=SurveyResult.choices)
    recognises = serializers.BooleanField()
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ReportSurveysApi(APIView):
    """GET: the answers recorded on a visit. POST: record (or correct) one household's answers."""

    required_permissions = {
        "GET": ["inspections.view_surveyresponse"],
        "POST": ["inspections.add_surveyresponse"],
    }

    @extend_schema(responses=SurveySerializer(many=True))
    def get(self, request, pk: int):
        report = selectors.report_get(actor=request.user, pk=pk)
        surveys = targets.survey_list(actor=request.user, filters={"report": report.pk}).order_by("id")
        return Response(SurveySerializer(surveys, many=True).data)

    @extend_schema(request=SurveyInputSerializer, responses={201: SurveySerializer})
    def post(self, request, pk: int):
        report = selectors.report_get(actor=request.user, pk=pk)
        data = SurveyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        survey = services.survey_record(
            report=report, household_id=d["household"], result=d["result"], recognises=d["recognises"],
            satisfaction=d["satisfaction"], note=d.get("note", ""), actor=request.user,
        )  # fmt: skip
        return Response(SurveySerializer(survey).data, status=status.HTTP_201_CREATED)


class SurveyRateParams(serializers.Serializer):
    level = serializers.ChoiceField(choices=list(targets.LEVEL_DIGITS), default="county")


class SurveyRatesApi(APIView):
    """Recognition and satisfaction rates by county / township / village, each with its sample size."""

    required_permissions = {"GET": ["inspections.view_surveyresponse"]}

    @extend_schema(parameters=[
        OpenApiParameter("level", str, enum=list(targets.LEVEL_DIGITS)),
        OpenApiParameter("month", str, description="YYYY-MM; default: the current year"),
    ], responses=inline_serializer("SurveyRate", many=True, fields={
        "region": drf_serializers.CharField(), "n": drf_serializers.IntegerField(),
        "recognition": drf_serializers.DictField(), "satisfaction": drf_serializers.DictField(),
    }))  # fmt: skip
    def get(self, request):
        if scope_depth(request.user) is None:
            raise Http404
        level = read_query(request, SurveyRateParams)["level"]
        month = None
        if request.query_params.get("month"):
            try:
                month = dt.date.fromisoformat(request.query_params["month"] + "-01")
            except ValueError:
                from core.exceptions import DomainError

                raise DomainError(_("Give the month as YYYY-MM."), field="month") from None
        year = None if month else timezone.localdate().year
        rates = targets.survey_rates(actor=request.user, level=level, month=month, year=year)
        return Response([
            {"region": code, "n": r["satisfaction"].whole, "recognition": r["recognition"].as_dict(),
             "satisfaction": r["satisfaction"].as_dict()}
            for code, r in sorted(rates.items())
        ])  # fmt: skip


class TeamCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeamCheck
        fields = ["id", "plan", "team", "first_secretary", "village", "checked_on", "secretary_present",
                  "members_present", "records_state", "note", "updated_at"]  # fmt: skip


class TeamCheckInputSerializer(serializers.Serializer):
    team = serializers.IntegerField()
    plan = serializers.IntegerField(required=False, allow_null=True)
    checked_on = serializers.DateField()
    secretary_present = serializers.BooleanField()
    members_present = serializers.IntegerField(min_value=0, default=0)
    records_state = serializers.ChoiceField(choices=RecordsState.choices)
    note = serializers.CharField(required=False, allow_blank=True)


class TeamCheckPagination(KeysetPagination):
    ordering = ("-checked_on", "-id")  # the newest checks first, in keyset pages like every list


class TeamCheckListApi(generics.ListAPIView):
    """The spot checks of work teams in your scope, newest first, in keyset pages (`page_size`,
    `cursor`); it returned its first 500 as one array whatever the page size asked."""

    serializer_class = TeamCheckSerializer
    pagination_class = TeamCheckPagination
    queryset = TeamCheck.objects.none()
    filterset_class = None
    required_permissions = {"GET": ["inspections.view_teamcheck"], "POST": ["inspections.add_teamcheck"]}

    def get_queryset(self):
        return targets.team_check_list(actor=self.request.user)

    @extend_schema(request=TeamCheckInputSerializer, responses={201: TeamCheckSerializer})
    def post(self, request):
        data = TeamCheckInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        team = team_list(actor=request.user).filter(pk=d["team"]).first()
        if team is None:
            raise Http404
        plan = selectors.plan_get(actor=request.user, pk=d["plan"]) if d.get("plan") else None
        check = services.team_check_record(
            team=team, plan=plan, actor=request.user, checked_on=d["checked_on"],
            secretary_present=d["secretary_present"], members_present=d["members_present"],
            records_state=d["records_state"], note=d.get("note", ""),
        )  # fmt: skip
        return Response(TeamCheckSerializer(check).data, status=status.HTTP_201_CREATED)
