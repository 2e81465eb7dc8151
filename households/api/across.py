"""API for what crosses a county line (issue 15.4, 15.5): transfers between regions and the
city's queue of possible duplicates in two counties. The pages are households/views_across.py."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework import serializers as drf_serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import read_query
from households import selectors, services
from households.models import DuplicateCandidate, DuplicateStatus, HouseholdTransfer, TransferStatus

from . import serializers as s


class TransferListParams(drf_serializers.Serializer):
    direction = drf_serializers.ChoiceField(choices=["incoming", "outgoing"], default="incoming")
    status = drf_serializers.ChoiceField(
        choices=[*TransferStatus.values, "all"], default=TransferStatus.PENDING, allow_blank=True,
        help_text="Pending ones unless given; `all` (or empty) for every status.",
    )  # fmt: skip


class TransferListApi(generics.ListAPIView):
    """Transfers into the caller's region (`direction=incoming`, the default: theirs to accept or
    decline) or out of it (`outgoing`); pending ones unless `status` says otherwise."""

    serializer_class = s.TransferSerializer
    queryset = HouseholdTransfer.objects.none()
    filterset_class = None
    required_permissions = {"GET": ["households.change_household"]}

    @extend_schema(parameters=[TransferListParams])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = read_query(self.request, TransferListParams)
        status = "" if params["status"] in ("all", "") else params["status"]
        return selectors.transfer_list(actor=self.request.user, direction=params["direction"], status=status)


class TransferDecideApi(APIView):
    """`accept` or `decline` (with the reason) by the receiving region; `cancel` by the releasing one."""

    required_permissions = {"POST": ["households.change_household"]}

    @extend_schema(request=s.TransferDecisionSerializer, responses=s.TransferSerializer)
    def post(self, request, pk: int):
        transfer = selectors.transfer_get(actor=request.user, pk=pk)
        data = s.TransferDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = data.validated_data["decision"]
        services.TRANSFER_DECISIONS[decision](
            transfer=transfer, actor=request.user, note=data.validated_data.get("note", "")
        )
        transfer.refresh_from_db()
        return Response(s.TransferSerializer(transfer).data)


class DuplicateCityParams(drf_serializers.Serializer):
    status = drf_serializers.ChoiceField(
        choices=[*DuplicateStatus.values, "all"], default=DuplicateStatus.OPEN, allow_blank=True,
        help_text="Open ones unless given; `all` (or empty) for every status.",
    )  # fmt: skip


class DuplicateCityListApi(generics.ListAPIView):
    """Pairs of households in two counties, both sides in full, for the city reviewer."""

    serializer_class = s.CityDuplicateSerializer
    queryset = DuplicateCandidate.objects.none()
    filterset_class = None
    required_permissions = {"GET": ["households.view_cross_county_duplicates"]}

    @extend_schema(parameters=[DuplicateCityParams])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        status = read_query(self.request, DuplicateCityParams)["status"]
        status = "" if status in ("all", "") else status
        return selectors.duplicate_city_queue(actor=self.request.user, status=status).prefetch_related(
            "household_a__members", "household_b__members"
        )


class DuplicateCityReviewApi(APIView):
    required_permissions = {"POST": ["households.review_cross_county_duplicates"]}

    @extend_schema(request=s.CityDuplicateReviewSerializer, responses=s.CityDuplicateSerializer)
    def post(self, request, pk: int):
        candidate = selectors.duplicate_city_get(actor=request.user, pk=pk)
        data = s.CityDuplicateReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        candidate = services.duplicate_city_review(
            candidate=candidate, actor=request.user, decision=v["decision"], keep_id=v.get("keep"),
            note=v["note"],
        )  # fmt: skip
        return Response(s.CityDuplicateSerializer(candidate).data)
