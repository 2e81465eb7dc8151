"""贫困村退出 through the API (issue 18.4): the poor villages with their exit, a village's exit
procedure and its next step (multipart/form-data, with the evidence: `evidence_<item>` per
infrastructure item, `files` for other papers), the registered population of a year."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import KeysetPagination
from households.models import (
    InfrastructureItem,
    PoorVillage,
    VillageExitCase,
    VillageExitEvidence,
    VillageExitStep,
    VillagePopulation,
)
from households.selectors.village_exits import poor_village_get, poor_village_list, village_exit_cases
from households.services.village_exits import village_exit_step_record, village_population_record

ITEM_FIELDS = tuple(f"evidence_{item}" for item in InfrastructureItem.values)


class VillageKeyset(KeysetPagination):
    ordering = ("village_id",)


class PoorVillageSerializer(serializers.ModelSerializer):
    village_id = serializers.CharField(read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    exit_state = serializers.CharField(read_only=True, allow_null=True)
    exit_last_step = serializers.CharField(read_only=True, allow_null=True)
    exit_notice_end = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = PoorVillage
        fields = [
            "village_id", "village_name", "status", "status_label", "identified_year", "exit_year",
            "exit_state", "exit_last_step", "exit_notice_end",
        ]  # fmt: skip


class VillageExitEvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = VillageExitEvidence
        fields = ["id", "item", "name", "uploaded_at"]


class VillageExitStepSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True)
    evidence = VillageExitEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = VillageExitStep
        fields = ["id", "step", "date", "actor", "at", "note", "data", "evidence"]


class ExitCaseSerializer(serializers.ModelSerializer):
    steps = VillageExitStepSerializer(many=True, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = VillageExitCase
        fields = [
            "id", "year", "state", "state_label", "last_step", "stop_reason", "notice_start", "notice_end",
            "created_at", "steps",
        ]  # fmt: skip


class VillageExitStepInput(serializers.Serializer):
    step = serializers.CharField(
        help_text="verification | township_review | exit_notice | county_approval | objection"
    )
    date = serializers.DateField(required=False)
    year = serializers.IntegerField(required=False, help_text="verification: the exit year")
    collective_income = serializers.CharField(required=False, help_text="verification: yuan")
    approved = serializers.BooleanField(required=False, help_text="township_review")
    notice_start = serializers.DateField(required=False)
    notice_end = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)


def _evidence_files(help_text: str) -> serializers.ListField:
    return serializers.ListField(child=serializers.FileField(), required=False, help_text=help_text)


# The body as documented (multipart/form-data): the step's fields and its files. The view validates the
# fields with VillageExitStepInput and hands the files to the service by reference.
VillageExitStepForm = type(
    "VillageExitStepForm",
    (VillageExitStepInput,),
    {
        "files": _evidence_files("Other papers (repeated)."),
        **{field: _evidence_files("verification: this item's evidence (repeated).") for field in ITEM_FIELDS},
    },
)


class PopulationInput(serializers.Serializer):
    year = serializers.IntegerField()
    registered_population = serializers.IntegerField()


class PopulationSerializer(serializers.ModelSerializer):
    village_id = serializers.CharField(read_only=True)

    class Meta:
        model = VillagePopulation
        fields = ["village_id", "year", "registered_population", "updated_at"]


class VillageListApi(generics.ListAPIView):
    """The poor villages in your region: poor or exited (with the year), the exit in progress."""

    serializer_class = PoorVillageSerializer
    queryset = PoorVillage.objects.none()
    pagination_class = VillageKeyset
    filterset_class = None
    required_permissions = {"GET": ["households.view_poorvillage"]}

    def get_queryset(self):
        status = self.request.query_params.get("status", "")
        return poor_village_list(
            actor=self.request.user, status=status if status in ("poor", "exited") else ""
        )


class VillageExitApi(APIView):
    """GET: the village's exit procedures, latest first. POST: record the next step (201: the case)."""

    required_permissions = {
        "GET": ["households.view_villageexitcase"],
        "POST": ["households.run_village_exit"],
    }
    parser_classes = [MultiPartParser]
    upload_fields = ("files", *ITEM_FIELDS)  # checked and stored by core.uploads (village_exit_step_record)

    @extend_schema(responses=ExitCaseSerializer(many=True))
    def get(self, request, code: str):
        poor_village = poor_village_get(actor=request.user, code=code)
        return Response(ExitCaseSerializer(village_exit_cases(poor_village=poor_village), many=True).data)

    @extend_schema(request=VillageExitStepForm, responses={201: ExitCaseSerializer})
    def post(self, request, code: str):
        poor_village = poor_village_get(actor=request.user, code=code)
        if hasattr(request.data, "getlist"):  # multipart: the files by reference
            payload = {k: request.data.get(k) for k in request.data if k != "files" and k not in ITEM_FIELDS}
        else:
            payload = dict(request.data)
        data = VillageExitStepInput(data=payload)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        step = values.pop("step")
        record = village_exit_step_record(
            poor_village=poor_village, step=step, actor=request.user, data=values,
            files=request.FILES.getlist("files"),
            item_files={item: request.FILES.getlist(f"evidence_{item}") for item in InfrastructureItem.values},
        )  # fmt: skip
        case = next(c for c in village_exit_cases(poor_village=poor_village) if c.pk == record.case_id)
        return Response(ExitCaseSerializer(case).data, status=201)


class VillagePopulationApi(APIView):
    """Record the village's registered population of a year (again: corrected)."""

    required_permissions = {"POST": ["households.run_village_exit"]}

    @extend_schema(request=PopulationInput, responses={201: PopulationSerializer})
    def post(self, request, code: str):
        poor_village = poor_village_get(actor=request.user, code=code)
        data = PopulationInput(data=request.data)
        data.is_valid(raise_exception=True)
        record = village_population_record(
            actor=request.user, village=poor_village.village, **data.validated_data
        )
        return Response(PopulationSerializer(record).data, status=201)
