"""Excel imports and the poverty lines they are checked against."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from households import selectors
from households.models import (
    HouseholdImport,
    PovertyLine,
)

from .. import serializers as s


class ImportCreateApi(APIView):
    required_permissions = {"POST": ["households.import_households"]}
    parser_classes = [MultiPartParser, FormParser]
    upload_fields = ("file",)  # checked in the request by services.import_start (core.uploads)

    @extend_schema(request=s.ImportInputSerializer, responses={202: s.ImportSerializer})
    def post(self, request):
        from households.services import import_start

        data = s.ImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            job = import_start(
                actor=request.user,
                upload=data.validated_data["file"],
                mode=data.validated_data["mode"],
                kind=data.validated_data["kind"],
            )
        return Response(s.ImportSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ImportStatusApi(APIView):
    queryset = HouseholdImport.objects.none()

    @extend_schema(responses=s.ImportSerializer)
    def get(self, request, pk: int):
        return Response(s.ImportSerializer(selectors.import_get(actor=request.user, pk=pk)).data)


class PovertyLineApi(generics.ListAPIView):
    serializer_class = s.PovertyLineSerializer
    queryset = PovertyLine.objects.all()
    pagination_class = None
    filterset_class = None
    required_permissions = {"GET": ["households.view_household"]}
