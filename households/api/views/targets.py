"""The year's targets through the API (issue 18.5): the rows in the reader's scope (?year=), and
recording a region's targets for a year (the same service as the page)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import read_query
from households.models import ExitTarget
from households.selectors.targets import target_list
from households.services.targets import exit_target_record


class ExitTargetSerializer(serializers.ModelSerializer):
    # Declared: a related field here would make the schema generator query the database.
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    recorded_by = serializers.CharField(read_only=True)

    class Meta:
        model = ExitTarget
        fields = [
            "id", "region", "region_name", "year", "people", "households", "villages", "achieved_people",
            "achieved_households", "achieved_villages", "achieved_source", "note", "recorded_by", "updated_at",
        ]  # fmt: skip


class ExitTargetInputSerializer(serializers.Serializer):
    region = serializers.CharField(max_length=12)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    people = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    households = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    villages = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    achieved_people = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    achieved_households = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    achieved_villages = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    achieved_source = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class ExitTargetListParams(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=1, help_text="Only this year")


class ExitTargetListApi(APIView):
    """GET: the targets in your region (?year=). POST: record a region's targets for a year (the city:
    an administrator; a county: its county administrator); recording again changes the row."""

    required_permissions = {"GET": ["households.view_exittarget"], "POST": ["households.record_exit_target"]}

    @extend_schema(parameters=[ExitTargetListParams], responses=ExitTargetSerializer(many=True))
    def get(self, request):
        rows = target_list(actor=request.user, year=read_query(request, ExitTargetListParams).get("year"))
        return Response(ExitTargetSerializer(rows[:500], many=True).data)

    @extend_schema(request=ExitTargetInputSerializer, responses={201: ExitTargetSerializer})
    def post(self, request):
        data = ExitTargetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        target = exit_target_record(
            region_code=v.pop("region"), year=v.pop("year"), actor=request.user,
            source=v.pop("achieved_source"), note=v.pop("note"), figures=v,
        )  # fmt: skip
        return Response(ExitTargetSerializer(target).data, status=201)
