"""API of the rectification ledger (整改台账) and of the units' notifications."""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import BaseFilterSet, read_query
from core.models import Unit

from ... import exports, selectors, services
from ...models import Notification, RectificationItem
from .. import serializers as s


class ItemFilter(BaseFilterSet):
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = RectificationItem
        fields = ["status", "kind", "responsible_unit", "finding"]

    def filter_overdue(self, qs, name, value):
        return qs.filter(overdue_since__isnull=not value)


class ItemListApi(generics.ListAPIView):
    serializer_class = s.RectificationItemSerializer
    filterset_class = ItemFilter
    queryset = RectificationItem.objects.none()

    def get_queryset(self):
        return selectors.item_list(actor=self.request.user, filters={"q": self.request.query_params.get("q")})

    @extend_schema(
        request=s.RectificationItemCreateSerializer, responses={201: s.RectificationItemDetailSerializer}
    )
    def post(self, request):
        data = s.RectificationItemCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        finding = selectors.finding_get(actor=request.user, pk=v["finding"])
        unit = get_object_or_404(Unit, pk=v["responsible_unit"], is_active=True)
        item = services.rectification_item_create(
            actor=request.user, finding=finding, responsible_unit=unit, deadline=v["deadline"],
            description=v["description"], kind=v["kind"],
        )  # fmt: skip
        return Response(s.RectificationItemDetailSerializer(item).data, status=status.HTTP_201_CREATED)


class ItemDetailApi(APIView):
    required_permissions = {"GET": ["inspections.view_rectificationitem"]}

    @extend_schema(responses=s.RectificationItemDetailSerializer)
    def get(self, request, pk: int):
        return Response(
            s.RectificationItemDetailSerializer(selectors.item_get(actor=request.user, pk=pk)).data
        )


class ItemSubmitApi(APIView):
    parser_classes = [MultiPartParser]
    upload_fields = ("files",)  # core.uploads, in rectification_item_submit
    required_permissions = {"POST": ["inspections.change_rectificationitem"]}

    @extend_schema(request=s.RectificationItemSubmitSerializer, responses=s.RectificationItemDetailSerializer)
    def post(self, request, pk: int):
        item = selectors.item_get(actor=request.user, pk=pk)
        data = s.RectificationItemSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.rectification_item_submit(
            actor=request.user, item=item, evidence_note=data.validated_data["evidence_note"],
            files=request.FILES.getlist("files"),
        )  # fmt: skip
        return Response(s.RectificationItemDetailSerializer(item).data)


class ItemCloseApi(APIView):
    required_permissions = {"POST": ["inspections.change_rectificationitem"]}

    @extend_schema(request=s.RectificationItemCloseSerializer, responses=s.RectificationItemDetailSerializer)
    def post(self, request, pk: int):
        item = selectors.item_get(actor=request.user, pk=pk)
        data = s.RectificationItemCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.rectification_item_close(
            actor=request.user, item=item, note=data.validated_data.get("note", "")
        )
        return Response(s.RectificationItemDetailSerializer(item).data)


class ItemSendBackApi(APIView):
    required_permissions = {"POST": ["inspections.change_rectificationitem"]}

    @extend_schema(
        request=s.RectificationItemSendBackSerializer, responses=s.RectificationItemDetailSerializer
    )
    def post(self, request, pk: int):
        item = selectors.item_get(actor=request.user, pk=pk)
        data = s.RectificationItemSendBackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.rectification_item_send_back(
            actor=request.user, item=item, reason=data.validated_data["reason"]
        )
        return Response(s.RectificationItemDetailSerializer(item).data)


class ItemExportApi(APIView):
    """The ledger as .xlsx (整改台账), with the same filters as the list."""

    required_permissions = {"GET": ["inspections.view_rectificationitem"]}

    @extend_schema(
        responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes}
    )
    def get(self, request):
        qs = ItemFilter(request.query_params, queryset=selectors.item_list(actor=request.user)).qs
        return exports.ledger_response(qs)


class NotificationListParams(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False, help_text="Only those not read yet")


class NotificationListApi(generics.ListAPIView):
    serializer_class = s.InspectionNotificationSerializer
    queryset = Notification.objects.none()

    @extend_schema(parameters=[NotificationListParams])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        unread = read_query(self.request, NotificationListParams)["unread"]
        return selectors.notification_list(actor=self.request.user, unread_only=unread)


class NotificationReadApi(APIView):
    required_permissions = {"POST": ["inspections.change_notification"]}

    @extend_schema(request=None, responses=s.InspectionNotificationSerializer)
    def post(self, request, pk: int):
        note = get_object_or_404(selectors.notification_list(actor=request.user), pk=pk)
        note = services.notification_mark_read(actor=request.user, notification=note)
        return Response(s.InspectionNotificationSerializer(note).data)
