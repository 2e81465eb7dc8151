"""API of findings: list, create, one finding, evidence photos."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import BaseFilterSet

from ... import selectors, services
from ...models import Finding
from .. import serializers as s


class FindingFilter(BaseFilterSet):
    class Meta:
        model = Finding
        fields = ["category", "severity", "source", "status", "responsible_unit", "household", "report"]


class FindingListApi(generics.ListAPIView):
    serializer_class = s.InspectionFindingSerializer
    filterset_class = FindingFilter
    queryset = Finding.objects.none()

    def get_queryset(self):
        return selectors.finding_list(
            actor=self.request.user, filters={"q": self.request.query_params.get("q")}
        ).prefetch_related("responsible_officers")

    @extend_schema(
        request=s.InspectionFindingCreateSerializer, responses={201: s.InspectionFindingDetailSerializer}
    )
    def post(self, request):
        data = s.InspectionFindingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        finding = services.finding_create(actor=request.user, data=data.validated_data)
        return Response(s.InspectionFindingDetailSerializer(finding).data, status=status.HTTP_201_CREATED)


class FindingDetailApi(APIView):
    required_permissions = {"GET": ["inspections.view_finding"]}

    @extend_schema(responses=s.InspectionFindingDetailSerializer)
    def get(self, request, pk: int):
        return Response(
            s.InspectionFindingDetailSerializer(selectors.finding_get(actor=request.user, pk=pk)).data
        )


class FindingPhotoUploadApi(APIView):
    """Upload one evidence photo (JPEG/PNG/WebP, ≤ 8 MB). A retry with the same client_uuid stores it once."""

    parser_classes = [MultiPartParser]
    required_permissions = {"POST": ["inspections.add_findingphoto"]}
    upload_fields = ("photo",)  # core.uploads, in finding_photo_add

    @extend_schema(
        request=s.FindingPhotoUploadSerializer,
        responses={201: s.FindingPhotoSerializer, 200: s.FindingPhotoSerializer},
    )
    def post(self, request, pk: int):
        finding = selectors.finding_get(actor=request.user, pk=pk)
        data = s.FindingPhotoUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        photo, created = services.finding_photo_add(
            actor=request.user, finding=finding, client_uuid=data.validated_data["client_uuid"],
            upload=data.validated_data["photo"],
        )  # fmt: skip
        return Response(
            s.FindingPhotoSerializer(photo).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
