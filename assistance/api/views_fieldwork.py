"""API of the work in the villages: households' responsible officers (and who is overdue for a
visit), reassignment, visits (sent by the phone page when the network returns), days in the
village and the month's absences, villages needing a work team."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from assistance import selectors, services
from assistance.models import OfficerAssignment, PresenceDay, Satisfaction, VillageTeam, Visit
from core.api.filters import read_query
from core.exceptions import DomainError
from core.models import Officer, Region
from core.scoping import ensure_in_scope, scope
from households.models import Household

# --- serializers ----------------------------------------------------------------------------


class HouseholdOfficerSerializer(serializers.ModelSerializer):
    officer = serializers.IntegerField(source="assistance_officer_id", allow_null=True, read_only=True)
    officer_name = serializers.CharField(source="assistance_officer.name", default="", read_only=True)
    last_visited_on = serializers.DateField(read_only=True, allow_null=True)
    visit_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Household
        fields = ["id", "file_number", "village", "head_name", "status", "officer", "officer_name",
                  "last_visited_on", "visit_overdue"]  # fmt: skip


class OfficerSetSerializer(serializers.Serializer):
    officer = serializers.PrimaryKeyRelatedField(queryset=Officer.objects.all())
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ReassignSerializer(serializers.Serializer):
    officers = serializers.PrimaryKeyRelatedField(queryset=Officer.objects.all(), many=True)
    mode = serializers.ChoiceField(choices=services.officers.MODES, default="even")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    deactivate = serializers.BooleanField(required=False, default=False)


class VisitSerializer(serializers.ModelSerializer):
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = ["id", "client_uuid", "household", "officer", "visited_on", "activities", "household_said",
                  "satisfaction", "has_photo", "created_at"]  # fmt: skip

    def get_has_photo(self, obj) -> bool:
        return bool(obj.photo)


class VisitInputSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField()
    household = serializers.IntegerField()
    visited_on = serializers.DateField()
    activities = serializers.CharField(max_length=4000)
    household_said = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)


class PresenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = PresenceDay
        fields = ["id", "client_uuid", "team", "officer", "village", "day", "note", "created_at"]


class PresenceInputSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField()
    team = serializers.IntegerField()
    village = serializers.CharField(max_length=12)
    day = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class PresenceRowSerializer(serializers.Serializer):
    team = serializers.IntegerField(source="team.pk")
    team_name = serializers.CharField(source="team.name")
    officer = serializers.IntegerField(source="officer.pk")
    officer_name = serializers.CharField(source="officer.name")
    role = serializers.CharField()
    days = serializers.IntegerField()
    required = serializers.IntegerField()
    shortfall = serializers.IntegerField()
    villages = serializers.ListField(child=serializers.CharField())


class VillageNeedingTeamSerializer(serializers.ModelSerializer):
    households_to_assist = serializers.IntegerField(read_only=True)
    township = serializers.CharField(source="parent.name", read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "township", "households_to_assist"]


# --- responsible officers ---------------------------------------------------------------------


class HouseholdOfficerParams(serializers.Serializer):
    region = serializers.CharField(required=False, help_text="Region code (12 digits); rows under it")
    officer = serializers.IntegerField(required=False, min_value=1, help_text="Responsible officer id")
    without_officer = serializers.BooleanField(required=False, default=False)
    visit_overdue = serializers.BooleanField(required=False, default=False)


class HouseholdOfficerListApi(generics.ListAPIView):
    """Households to assist with their responsible officer, last visit and whether a visit is
    overdue. Filters: `region`, `officer`, `without_officer=1`, `visit_overdue=1`."""

    serializer_class = HouseholdOfficerSerializer
    queryset = OfficerAssignment.objects.none()
    required_permissions = {"GET": ["assistance.view_officerassignment"]}

    @extend_schema(parameters=[HouseholdOfficerParams])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        q = read_query(self.request, HouseholdOfficerParams)
        return selectors.household_officer_list(actor=self.request.user, filters={
            "region": q.get("region") or None, "officer": q.get("officer"),
            "without_officer": q["without_officer"], "visit_overdue": q["visit_overdue"],
        })  # fmt: skip


class HouseholdOfficerSetApi(APIView):
    """Make an officer the household's responsible officer from today."""

    queryset = OfficerAssignment.objects.none()
    required_permissions = {"POST": [services.ASSIGN_PERMISSION]}

    @extend_schema(request=OfficerSetSerializer, responses={200: HouseholdOfficerSerializer})
    def post(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        data = OfficerSetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.household_officer_set(household=household, actor=request.user, **data.validated_data)
        row = selectors.household_officer_list(actor=request.user).get(pk=pk)
        return Response(HouseholdOfficerSerializer(row).data)


class OfficerReassignApi(APIView):
    """Hand every household of a leaving officer to one or several officers of the county at once."""

    queryset = OfficerAssignment.objects.none()
    required_permissions = {"POST": [services.ASSIGN_PERMISSION]}

    @extend_schema(
        request=ReassignSerializer,
        # {officer id: how many households they now answer for}
        responses={200: {"type": "object", "additionalProperties": {"type": "integer"}}},
    )
    def post(self, request, pk: int):
        officer = get_object_or_404(
            scope(Officer.objects.all(), actor=request.user, field="region_id"), pk=pk
        )
        data = ReassignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        result = services.officer_households_reassign(
            officer=officer, officers=d["officers"], actor=request.user, mode=d["mode"], reason=d["reason"],
            deactivate=d["deactivate"],
        )  # fmt: skip
        return Response({str(k): v for k, v in result.items()})


# --- visits ---------------------------------------------------------------------------------


class VisitListCreateApi(generics.ListAPIView):
    """Visits in your scope (filters: `household`, `officer`, `region`, `since`); POST records the
    responsible officer's visit — the same `client_uuid` again returns the visit already saved (200)."""

    serializer_class = VisitSerializer
    queryset = Visit.objects.none()

    def get_queryset(self):
        q = self.request.query_params
        filters = {"region": q.get("region") or None}
        for name in ("household", "officer"):
            if (q.get(name) or "").isdigit():
                filters[name] = int(q[name])
        try:
            if q.get("since"):
                filters["since"] = dt.date.fromisoformat(q["since"])
        except ValueError:
            raise DomainError(_("Since: a date as YYYY-MM-DD."), field="since") from None
        return selectors.visit_list(actor=self.request.user, filters=filters)

    @extend_schema(request=VisitInputSerializer, responses={201: VisitSerializer, 200: VisitSerializer})
    def post(self, request):
        data = VisitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        household = selectors.household_get(actor=request.user, pk=d.pop("household"))
        visit, created = services.visit_record(actor=request.user, household=household, **d)
        return Response(
            VisitSerializer(visit).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class VisitPhotoApi(APIView):
    """The visit's photo (JPEG, PNG or WebP), sent after the visit; again after it arrived: no change."""

    queryset = Visit.objects.none()
    parser_classes = [MultiPartParser]
    required_permissions = {"POST": ["assistance.add_visit"]}
    upload_fields = ("photo",)  # core.uploads, in visit_photo_attach

    @extend_schema(
        request={"multipart/form-data": {"type": "object", "properties": {"photo": {"type": "string", "format": "binary"}}}},
        responses={201: VisitSerializer},
    )  # fmt: skip
    def post(self, request, pk: int):
        visit = selectors.visit_get(actor=request.user, pk=pk)
        upload = request.FILES.get("photo")
        if upload is None:
            raise DomainError(_("Photo: required."), field="photo")
        visit = services.visit_photo_attach(visit=visit, actor=request.user, upload=upload)
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


# --- days in the village ----------------------------------------------------------------------


class PresenceListCreateApi(generics.ListAPIView):
    """Days in the village in your scope (filters: `officer`, `team`, `month` YYYY-MM); POST records
    the actor's day — the same `client_uuid` again returns the day already saved (200)."""

    serializer_class = PresenceSerializer
    queryset = PresenceDay.objects.none()

    def get_queryset(self):
        q = self.request.query_params
        filters = {"month": _month_param(q.get("month")) if q.get("month") else None}
        for name in ("officer", "team"):
            if (q.get(name) or "").isdigit():
                filters[name] = int(q[name])
        return selectors.presence_list(actor=self.request.user, filters=filters)

    @extend_schema(
        request=PresenceInputSerializer, responses={201: PresenceSerializer, 200: PresenceSerializer}
    )
    def post(self, request):
        data = PresenceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        team = VillageTeam.objects.filter(pk=d.pop("team")).first()
        village = get_object_or_404(Region, code=d.pop("village"), level="village")
        ensure_in_scope(request.user, village.code)
        if team is None:
            raise DomainError(_("Work team: not found."), field="team")
        row, created = services.presence_record(actor=request.user, team=team, village=village, **d)
        return Response(
            PresenceSerializer(row).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


def _month_param(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{raw}-01")
    except ValueError:
        raise DomainError(_("Month: as YYYY-MM."), field="month") from None


class PresenceMonthParams(serializers.Serializer):
    absent = serializers.BooleanField(required=False, default=False)


class PresenceMonthApi(APIView):
    """Each first secretary and team member of the teams in your scope: days recorded in the month
    (`month` YYYY-MM, default this month), days required, `shortfall` (the absence)."""

    queryset = PresenceDay.objects.none()

    @extend_schema(parameters=[OpenApiParameter("month", str), OpenApiParameter("absent", bool)],
                   responses=PresenceRowSerializer(many=True))  # fmt: skip
    def get(self, request):
        raw = request.query_params.get("month")
        month = _month_param(raw) if raw else timezone.localdate().replace(day=1)
        rows = selectors.presence_month(month=month, actor=request.user)
        if read_query(request, PresenceMonthParams)["absent"]:
            rows = [r for r in rows if r.absent]
        return Response(PresenceRowSerializer(rows, many=True).data)


class VillagesNeedingTeamApi(APIView):
    """向非贫困村增派: villages not poor, holding households to assist, served by no current work team
    (a list: a county has a few; `region` narrows it)."""

    queryset = VillageTeam.objects.none()  # the permission: view_villageteam

    @extend_schema(
        parameters=[OpenApiParameter("region", str)], responses=VillageNeedingTeamSerializer(many=True)
    )
    def get(self, request):
        rows = selectors.villages_needing_team(actor=request.user, region=request.query_params.get("region"))
        return Response(VillageNeedingTeamSerializer(rows[:5000], many=True).data)
