"""API for what crosses a county line (issue 15.4, 15.5): transfers between regions and the
city's queue of possible duplicates in two counties. The pages are households/views_across.py."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from households import selectors, services
from households.models import DuplicateCandidate, DuplicateStatus, HouseholdTransfer, TransferStatus

from . import serializers as s


class TransferListApi(generics.ListAPIView):
    """Transfers into the caller's region (`direction=incoming`, the default: theirs to accept or
    decline) or out of it (`outgoing`); pending ones unless `status` says otherwise."""

    serializer_class = s.TransferSerializer
    queryset = HouseholdTransfer.objects.none()
    filterset_class = None
    required_permissions = {"GET": ["households.change_household"]}

    @extend_schema(
        parameters=[
            OpenApiParameter("direction", enum=["incoming", "outgoing"]),
            OpenApiParameter("status", enum=[*TransferStatus.values, "all"]),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        direction = "outgoing" if params.get("direction") == "outgoing" else "incoming"
        status = params.get("status", TransferStatus.PENDING)
        status = "" if status == "all" or status not in TransferStatus.values else status
        return selectors.transfer_list(actor=self.request.user, direction=direction, status=status)


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


class DuplicateCityListApi(generics.ListAPIView):
    """Pairs of households in two counties, both sides in full, for the city reviewer."""

    serializer_class = s.CityDuplicateSerializer
    queryset = DuplicateCandidate.objects.none()
    filterset_class = None
    required_permissions = {"GET": ["households.view_cross_county_duplicates"]}

    def get_queryset(self):
        status = self.request.query_params.get("status", DuplicateStatus.OPEN)
        status = "" if status == "all" or status not in DuplicateStatus.values else status
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
