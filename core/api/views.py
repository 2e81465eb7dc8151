import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core import selectors, services
from core.api.filters import BaseFilterSet
from core.api.pagination import CodeKeysetPagination, KeysetPagination
from core.models import Officer, Region, RegionLevel, SensitiveAccess, Unit

from . import serializers as s


class RegionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices)
    parent = django_filters.CharFilter(field_name="parent_id")

    class Meta:
        model = Region
        fields = ["level", "parent"]


class RegionListApi(generics.ListAPIView):
    serializer_class = s.RegionSerializer
    filterset_class = RegionFilter
    pagination_class = CodeKeysetPagination
    queryset = Region.objects.none()

    def get_queryset(self):
        return selectors.region_list(actor=self.request.user)


class UnitFilter(BaseFilterSet):
    class Meta:
        model = Unit
        fields = ["kind", "department", "region"]


class UnitListApi(generics.ListAPIView):
    serializer_class = s.UnitSerializer
    filterset_class = UnitFilter
    queryset = Unit.objects.none()

    def get_queryset(self):
        return selectors.unit_list(actor=self.request.user)


class OfficerFilter(BaseFilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Officer
        fields = ["unit", "region", "is_active"]


class OfficerListApi(generics.ListAPIView):
    serializer_class = s.OfficerOutputSerializer
    filterset_class = OfficerFilter
    queryset = Officer.objects.none()

    def get_queryset(self):
        return selectors.officer_list(actor=self.request.user)


class OfficerDetailApi(APIView):
    queryset = Officer.objects.none()  # for model permissions

    @extend_schema(responses=s.OfficerOutputSerializer)
    def get(self, request, pk: int):
        officer = selectors.officer_get(actor=request.user, pk=pk)
        return Response(s.OfficerOutputSerializer(officer).data)

    @extend_schema(request=s.OfficerUpdateSerializer, responses=s.OfficerOutputSerializer)
    def patch(self, request, pk: int):
        officer = selectors.officer_get(actor=request.user, pk=pk)
        data = s.OfficerUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        officer = services.officer_update(officer=officer, actor=request.user, data=data.validated_data)
        return Response(s.OfficerOutputSerializer(officer).data)


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.MeSerializer)
    def get(self, request):
        return Response(s.MeSerializer(request.user).data)


class TokenListApi(APIView):
    """Your own API tokens (never their keys). Tokens are issued only on the tokens page of a
    logged-in session with the password re-entered (/accounts/tokens/): a token cannot mint one."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.TokenOutputSerializer(many=True))
    def get(self, request):
        tokens = selectors.api_token_list(owner=request.user)[:100]
        return Response(s.TokenOutputSerializer(tokens, many=True).data)


class TokenRevokeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=s.TokenOutputSerializer)
    def post(self, request, pk: int):
        from django.shortcuts import get_object_or_404

        token = get_object_or_404(selectors.api_token_list(owner=request.user), pk=pk)
        token = services.api_token_revoke(token=token, actor=request.user)
        return Response(s.TokenOutputSerializer(token).data)


class RevealFilter(django_filters.FilterSet):
    """The reveal log by user (username), local dates (both included) and household (id)."""

    user = django_filters.CharFilter(field_name="user__username", label="Username of who saw the number")
    date_from = django_filters.DateFilter(method="filter_from", label="From this local date (YYYY-MM-DD)")
    date_to = django_filters.DateFilter(method="filter_to", label="Up to this local date, included")
    household = django_filters.NumberFilter(field_name="household_id", label="Household id")

    class Meta:
        model = SensitiveAccess
        fields = ["user", "date_from", "date_to", "household"]

    def filter_from(self, qs, name, value):
        return selectors.reveals_from(qs, value)

    def filter_to(self, qs, name, value):
        return selectors.reveals_to(qs, value)


class RevealPagination(KeysetPagination):
    ordering = ("-at", "-id")


class RevealListApi(generics.ListAPIView):
    """Who saw which full ID number, when, through what (administrators and auditors; their region)."""

    serializer_class = s.RevealSerializer
    filterset_class = RevealFilter
    pagination_class = RevealPagination
    queryset = SensitiveAccess.objects.none()  # for model permissions
    updated_after_field = "at"  # a reveal never changes: `updated_after` means "seen after"

    def get_queryset(self):
        return selectors.reveal_list(actor=self.request.user)
