"""Possible duplicates and re-verification campaigns."""

from __future__ import annotations

import django_filters.rest_framework
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework import serializers as drf_serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import read_query
from core.api.pagination import IdKeysetPagination
from households import selectors, services
from households.models import (
    DuplicateCandidate,
    DuplicateStatus,
    VerificationCampaign,
    VerificationCheck,
)

from .. import serializers as s


class DuplicateListParams(drf_serializers.Serializer):
    status = drf_serializers.ChoiceField(
        choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN, allow_blank=True,
        help_text="Open ones unless given; empty for every status.",
    )  # fmt: skip


class DuplicateListApi(generics.ListAPIView):
    serializer_class = s.DuplicateSerializer
    queryset = DuplicateCandidate.objects.none()
    filterset_class = None

    @extend_schema(parameters=[DuplicateListParams])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        status = read_query(self.request, DuplicateListParams)["status"]
        return selectors.duplicate_list(actor=self.request.user, status=status)


class DuplicateReviewApi(APIView):
    required_permissions = {"POST": ["households.change_duplicatecandidate"]}

    @extend_schema(request=s.DuplicateReviewSerializer, responses=s.DuplicateSerializer)
    def post(self, request, pk: int):
        candidate = selectors.duplicate_get(actor=request.user, pk=pk)
        data = s.DuplicateReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        candidate = services.duplicate_review(
            candidate=candidate, actor=request.user, decision=v["decision"], keep_id=v.get("keep"),
            note=v.get("note", ""),
        )  # fmt: skip
        return Response(s.DuplicateSerializer(candidate).data)


class CampaignListCreateApi(generics.ListAPIView):
    serializer_class = s.CampaignSerializer
    queryset = VerificationCampaign.objects.none()
    pagination_class = IdKeysetPagination
    filterset_class = None

    def get_queryset(self):
        return selectors.campaign_list(actor=self.request.user)

    @extend_schema(request=s.CampaignSerializer, responses={201: s.CampaignSerializer})
    def post(self, request):
        data = s.CampaignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = services.campaign_create(actor=request.user, **data.validated_data)
        return Response(s.CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)


class CampaignDetailApi(APIView):
    queryset = VerificationCampaign.objects.none()

    @extend_schema(responses=s.CampaignDetailSerializer)
    def get(self, request, pk: int):
        campaign = selectors.campaign_get(actor=request.user, pk=pk)
        progress = selectors.campaign_progress(actor=request.user, campaign=campaign)
        return Response({**s.CampaignSerializer(campaign).data, "progress": progress})


class CheckFilter(django_filters.rest_framework.FilterSet):
    class Meta:
        model = VerificationCheck
        fields = ["status"]


class CampaignCheckListApi(generics.ListAPIView):
    serializer_class = s.CheckSerializer
    queryset = VerificationCheck.objects.none()
    pagination_class = IdKeysetPagination
    filterset_class = CheckFilter

    def get_queryset(self):
        campaign = selectors.campaign_get(actor=self.request.user, pk=self.kwargs["pk"])
        return selectors.campaign_checks(actor=self.request.user, campaign=campaign)


class CheckRecordApi(APIView):
    queryset = VerificationCheck.objects.none()

    @extend_schema(responses=s.CheckSerializer)
    def get(self, request, pk: int):
        return Response(s.CheckSerializer(selectors.check_get(actor=request.user, pk=pk)).data)

    @extend_schema(request=s.CheckInputSerializer, responses=s.CheckSerializer)
    def patch(self, request, pk: int):
        check = selectors.check_get(actor=request.user, pk=pk)
        data = s.CheckInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        check = services.campaign_check_record(
            check=check, actor=request.user, findings=data.validated_data.get("findings", ""),
            corrections=data.validated_data.get("corrections") or {},
        )  # fmt: skip
        return Response(s.CheckSerializer(check).data)
