"""REST API for assistance: plans, measures, village work teams. Scoped by the selectors."""

import django_filters
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework import serializers as drf_serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from assistance import selectors, services
from assistance.models import AssistancePlan, Evidence, Measure, MeasureKind, MeasureStatus, VillageTeam
from core.api.filters import BaseFilterSet
from core.api.pagination import IdKeysetPagination
from core.models import Region

from . import serializers as s


class PlanFilter(BaseFilterSet):
    year = django_filters.NumberFilter()
    household = django_filters.NumberFilter(field_name="household_id")
    region = django_filters.CharFilter(method="filter_region", label="Region code (12 digits); rows under it")
    flagged = django_filters.BooleanFilter(
        method="filter_flagged", label="Only plans with an uncovered cause"
    )
    relief_missing = django_filters.BooleanFilter(
        method="filter_relief_missing", label="Only plans lacking the relief their causes call for (应保尽保)"
    )

    class Meta:
        model = AssistancePlan
        fields = ["year", "household"]

    def filter_region(self, qs, name, value):
        from core.regions import prefix_from_code

        try:
            return qs.filter(household__village__code__startswith=prefix_from_code(value))
        except ValueError:
            return qs.none()

    def filter_flagged(self, qs, name, value):
        # The stored count of the plan's uncovered causes (kept by the database; see the model).
        return qs.filter(uncovered_count__gt=0) if value else qs.filter(uncovered_count=0)

    def filter_relief_missing(self, qs, name, value):
        return selectors.plans_lacking_relief(qs, value)


class PlanListCreateApi(generics.ListAPIView):
    """Plans in your scope, each with its uncovered causes and number of late measures."""

    serializer_class = s.PlanOutputSerializer
    filterset_class = PlanFilter
    queryset = AssistancePlan.objects.none()

    def get_queryset(self):
        return selectors.plan_list(actor=self.request.user)

    @extend_schema(request=s.PlanCreateSerializer, responses={201: s.PlanDetailSerializer})
    def post(self, request):
        data = s.PlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        household = selectors.household_get(actor=request.user, pk=data.validated_data.pop("household"))
        plan = services.plan_create(household=household, actor=request.user, **data.validated_data)
        return Response(_plan_detail(request, plan.pk), status=status.HTTP_201_CREATED)


def _plan_detail(request, pk: int) -> dict:
    plan = selectors.plan_get(actor=request.user, pk=pk)
    plan.measure_rows = selectors.measures_of_plan(plan=plan)
    return s.PlanDetailSerializer(plan).data


class PlanDetailApi(APIView):
    queryset = AssistancePlan.objects.none()

    @extend_schema(responses=s.PlanDetailSerializer)
    def get(self, request, pk: int):
        return Response(_plan_detail(request, pk))

    @extend_schema(request=s.PlanUpdateSerializer, responses=s.PlanDetailSerializer)
    def patch(self, request, pk: int):
        plan = selectors.plan_get(actor=request.user, pk=pk)
        data = s.PlanUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.plan_update(plan=plan, actor=request.user, data=data.validated_data)
        return Response(_plan_detail(request, pk))


class MeasureFilter(BaseFilterSet):
    plan = django_filters.NumberFilter(field_name="plan_id")
    status = django_filters.ChoiceFilter(choices=MeasureStatus.choices)
    kind = django_filters.ChoiceFilter(choices=MeasureKind.choices)
    year = django_filters.NumberFilter(field_name="plan__year")

    class Meta:
        model = Measure
        fields = ["plan", "status", "kind", "year"]


class MeasureListCreateApi(generics.ListAPIView):
    serializer_class = s.MeasureOutputSerializer
    filterset_class = MeasureFilter
    queryset = Measure.objects.none()

    def get_queryset(self):
        return selectors.measure_list(actor=self.request.user)

    @extend_schema(request=s.MeasureCreateSerializer, responses={201: s.MeasureOutputSerializer})
    def post(self, request):
        data = s.MeasureCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        plan = _plan_or_404(request, fields.pop("plan"))
        measure = services.measure_add(plan=plan, actor=request.user, **fields)
        return Response(s.MeasureOutputSerializer(measure).data, status=status.HTTP_201_CREATED)


def _plan_or_404(request, pk: int) -> AssistancePlan:
    plan = selectors.plan_scoped(actor=request.user).select_related("household").filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


class MeasureDetailApi(APIView):
    queryset = Measure.objects.none()

    @extend_schema(responses=s.MeasureOutputSerializer)
    def get(self, request, pk: int):
        return Response(s.MeasureOutputSerializer(selectors.measure_get(actor=request.user, pk=pk)).data)

    @extend_schema(request=s.MeasureInputSerializer, responses=s.MeasureOutputSerializer)
    def patch(self, request, pk: int):
        measure = selectors.measure_get(actor=request.user, pk=pk)
        data = s.MeasureInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        measure = services.measure_update(measure=measure, actor=request.user, data=dict(data.validated_data))
        return Response(s.MeasureOutputSerializer(measure).data)


class MeasureTransitionApi(APIView):
    """Move a measure: planned → in_progress → done, or cancelled (with a reason)."""

    queryset = Measure.objects.none()
    required_permissions = {"POST": ["assistance.change_measure"]}

    @extend_schema(request=s.MeasureTransitionSerializer, responses=s.MeasureOutputSerializer)
    def post(self, request, pk: int):
        measure = selectors.measure_get(actor=request.user, pk=pk)
        data = s.MeasureTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        measure = services.measure_transition(
            measure=measure, to_status=v["status"], actor=request.user, reason=v.get("reason", ""),
            on=v.get("on"), actual_income_gain=v.get("actual_income_gain"),
        )  # fmt: skip
        return Response(s.MeasureOutputSerializer(measure).data)


class EvidenceUploadApi(APIView):
    """Attach a file (photo, receipt, contract; ≤ 10 MB) to a measure."""

    queryset = Evidence.objects.none()
    parser_classes = [MultiPartParser]
    required_permissions = {"POST": ["assistance.add_evidence"]}
    upload_fields = ("file",)  # core.uploads, in evidence_attach

    @extend_schema(
        request={"multipart/form-data": {"type": "object", "properties": {
            "file": {"type": "string", "format": "binary"}, "note": {"type": "string"}}}},
        responses={201: s.EvidenceOutputSerializer},
    )  # fmt: skip
    def post(self, request, pk: int):
        measure = selectors.measure_get(actor=request.user, pk=pk)
        evidence = services.evidence_attach(
            measure=measure,
            actor=request.user,
            upload=request.FILES.get("file"),
            note=request.data.get("note", ""),
        )
        return Response(s.EvidenceOutputSerializer(evidence).data, status=status.HTTP_201_CREATED)


class TeamFilter(BaseFilterSet):
    current = django_filters.BooleanFilter(method="filter_current", label="Only teams serving today")

    class Meta:
        model = VillageTeam
        fields = ["dispatching_unit", "first_secretary"]

    def filter_current(self, qs, name, value):
        current = selectors.current_teams().values("pk")
        return qs.filter(pk__in=current) if value else qs.exclude(pk__in=current)


class TeamListCreateApi(generics.ListAPIView):
    serializer_class = s.TeamOutputSerializer
    filterset_class = TeamFilter
    queryset = VillageTeam.objects.none()

    def get_queryset(self):
        return selectors.team_list(actor=self.request.user)

    @extend_schema(request=s.TeamInputSerializer, responses={201: s.TeamOutputSerializer})
    def post(self, request):
        data = s.TeamInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        team = services.team_create(actor=request.user, **data.validated_data)
        return Response(
            s.TeamOutputSerializer(selectors.team_get(actor=request.user, pk=team.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class TeamDetailApi(APIView):
    queryset = VillageTeam.objects.none()

    @extend_schema(responses=s.TeamOutputSerializer)
    def get(self, request, pk: int):
        return Response(s.TeamOutputSerializer(selectors.team_get(actor=request.user, pk=pk)).data)

    @extend_schema(request=s.TeamInputSerializer, responses=s.TeamOutputSerializer)
    def patch(self, request, pk: int):
        team = selectors.team_get(actor=request.user, pk=pk)
        data = s.TeamInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.team_update(team=team, actor=request.user, data=dict(data.validated_data))
        return Response(s.TeamOutputSerializer(selectors.team_get(actor=request.user, pk=pk)).data)


class VillageCoverageSerializer(drf_serializers.Serializer):
    village = drf_serializers.CharField(source="code")
    name = drf_serializers.CharField()
    has_team = drf_serializers.BooleanField()
    flagged = drf_serializers.SerializerMethodField()
    households_on_register = drf_serializers.IntegerField()

    class Meta:
        ref_name = "VillageCoverage"

    def get_flagged(self, row) -> bool:
        return not row["has_team"]


class CoverageFilter(django_filters.rest_framework.FilterSet):
    flagged = django_filters.BooleanFilter(
        method="filter_flagged", label="Only villages without a current team"
    )

    def filter_flagged(self, qs, name, value):
        return qs.filter(has_team=not value)


class CoveragePagination(IdKeysetPagination):
    ordering = ("code",)


class CoverageApi(generics.ListAPIView):
    """Villages with registered households and whether a current work team serves them, in keyset
    pages by village code (it answered its first 5,000 as one array whatever `page_size` asked).
    Computed rows: no modification time, so no `updated_after`."""

    serializer_class = VillageCoverageSerializer
    queryset = Region.objects.none()  # the rows are villages (the schema's model)
    filterset_class = CoverageFilter
    pagination_class = CoveragePagination
    required_permissions = {"GET": ["assistance.view_villageteam"]}

    def get_queryset(self):
        return selectors.village_coverage(actor=self.request.user).values(
            "code", "name", "has_team", "households_on_register"
        )
