"""两不愁三保障 over the API: each guarantee's state with its reasons and evidence, recording the
facts, and the county's list of households whose guarantees are still to be confirmed."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import VillageKeysetPagination
from households import selectors
from households.models import Household, HousingGrade
from households.selectors.guarantees import guarantee_status, guarantees_to_confirm
from households.services import guarantees as services


class GuaranteeStateSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=["met", "unmet", "to_confirm"])
    reasons = serializers.ListField(child=serializers.CharField())
    evidence = serializers.ListField(child=serializers.CharField())


class GuaranteesSerializer(serializers.Serializer):
    met = serializers.BooleanField()
    food = GuaranteeStateSerializer()
    clothing = GuaranteeStateSerializer()
    education = GuaranteeStateSerializer()
    medical = GuaranteeStateSerializer()
    housing = GuaranteeStateSerializer()


class StatementInput(serializers.Serializer):
    date = serializers.DateField()
    stated_by = serializers.CharField(max_length=50)
    food_secure = serializers.BooleanField()
    clothing_secure = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True)


class InsuranceInput(serializers.Serializer):
    year = serializers.IntegerField()
    insured_member_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)
    serious_illness_covered = serializers.BooleanField()


class ExemptionInput(serializers.Serializer):
    member_id = serializers.IntegerField()
    date = serializers.DateField()
    reason = serializers.CharField(max_length=200)


class AppraisalInput(serializers.Serializer):
    grade = serializers.ChoiceField(choices=HousingGrade.choices)
    date = serializers.DateField()
    appraiser = serializers.CharField(max_length=100)
    photo = serializers.FileField(required=False)


INPUTS = {
    "statement": (StatementInput, services.livelihood_statement_record),
    "insurance": (InsuranceInput, services.medical_cover_record),
    "exemption": (ExemptionInput, services.schooling_exemption_record),
    "appraisal": (AppraisalInput, services.housing_appraisal_record),
}


def _states(household) -> dict:
    states = guarantee_status(household)
    return {"met": all(s.met for s in states.values()), **{k: s.as_dict() for k, s in states.items()}}


class GuaranteesApi(APIView):
    """GET: each guarantee met / unmet / to_confirm, with why and what it rests on (today)."""

    queryset = Household.objects.none()
    required_permissions = {"GET": ["households.view_household"]}

    @extend_schema(responses=GuaranteesSerializer)
    def get(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        return Response(_states(household))


def _record(request, pk: int, what: str, payload: dict) -> Response:
    household = selectors.household_get(actor=request.user, pk=pk)
    input_class, record = INPUTS[what]
    data = input_class(data=payload)
    data.is_valid(raise_exception=True)
    record(household=household, actor=request.user, **data.validated_data)
    household = selectors.household_get(actor=request.user, pk=pk)
    return Response(_states(household), status=status.HTTP_201_CREATED)


class GuaranteeRecordApi(APIView):
    """POST a fact as JSON (`what` = statement | insurance | exemption; the 危房 appraisal, which
    carries a photo, is posted to guarantees/appraisal/); answers 201 with the guarantees as they
    now stand."""

    queryset = Household.objects.none()
    required_permissions = {"POST": ["households.change_household"]}

    @extend_schema(
        parameters=[
            OpenApiParameter("what", str, OpenApiParameter.PATH, enum=["statement", "insurance", "exemption"])
        ],
        request=PolymorphicProxySerializer(
            component_name="GuaranteeFactInput",
            serializers=[StatementInput, InsuranceInput, ExemptionInput],
            resource_type_field_name=None,
        ),
        responses={201: GuaranteesSerializer},
    )
    def post(self, request, pk: int, what: str):
        if what not in INPUTS or what == "appraisal":
            raise Http404
        return _record(request, pk, what, dict(request.data))


class GuaranteeAppraisalApi(APIView):
    """POST the 危房 appraisal (multipart/form-data; its photo in field `photo`); answers 201 with
    the guarantees as they now stand."""

    queryset = Household.objects.none()
    required_permissions = {"POST": ["households.change_household"]}
    parser_classes = [MultiPartParser]
    upload_fields = ("photo",)  # checked and stored by core.uploads (housing_appraisal_record)

    @extend_schema(request=AppraisalInput, responses={201: GuaranteesSerializer})
    def post(self, request, pk: int):
        payload = {key: request.data.get(key) for key in request.data if key != "photo"}
        if "photo" in request.FILES:
            payload["photo"] = request.FILES["photo"]
        return _record(request, pk, "appraisal", payload)


class ToConfirmSerializer(serializers.ModelSerializer):
    missing = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = ["id", "file_number", "head_name", "village", "status", "missing"]

    def get_missing(self, obj) -> list[str]:
        return [
            k for k in ("statement", "insurance", "cover", "appraisal") if getattr(obj, f"missing_{k}", False)
        ]


class GuaranteesToConfirmApi(generics.ListAPIView):
    """The county's households whose guarantees still lack evidence, and which evidence."""

    serializer_class = ToConfirmSerializer
    queryset = Household.objects.none()
    # Village order: at a province's scale the id order scanned ~800,000 rows of other counties
    # before the first page of one county's (6 s at 1M households).
    pagination_class = VillageKeysetPagination
    filterset_class = None
    required_permissions = {"GET": ["households.view_household"]}

    def get_queryset(self):
        within = (self.request.query_params.get("region") or "").strip() or None  # a region code narrows it
        return guarantees_to_confirm(actor=self.request.user, within=within).order_by("village_id", "id")
