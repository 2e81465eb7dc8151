"""Households, their members and incomes."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import BaseFilterSet
from core.api.permissions import ReadByPost
from core.db_replicas import replica_reads
from households import selectors, services
from households.models import (
    Household,
    Member,
)

from .. import serializers as s

_NOOP = {"method": "_noop"}


class HouseholdFilter(BaseFilterSet):
    """Documented here; applied by `selectors.household_list` so pages and API filter alike."""

    q = django_filters.CharFilter(
        label="Name (prefix) or file number. A full 18-digit ID number is refused here (400): "
        "search it with POST /api/v1/households/search/, which keeps it out of the URL",
        **_NOOP,
    )
    county = django_filters.CharFilter(label="12-digit county code", **_NOOP)
    township = django_filters.CharFilter(label="12-digit township code", **_NOOP)
    village = django_filters.CharFilter(label="12-digit village code", **_NOOP)
    status = django_filters.CharFilter(**_NOOP)
    cause = django_filters.CharFilter(label="Main or secondary poverty cause", **_NOOP)
    attribute = django_filters.CharFilter(**_NOOP)
    year = django_filters.NumberFilter(label="Identification year", **_NOOP)
    procedure = django_filters.ChoiceFilter(
        label="Households with a procedure in progress: any, or one kind (entry, exit, return)",
        choices=[(v, v) for v in selectors.PROCEDURE_FILTERS],
        **_NOOP,
    )

    class Meta:
        model = Household
        fields: list[str] = []

    def _noop(self, queryset, name, value):
        return queryset


def _household_input(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in ("members", "village")}


@replica_reads
class HouseholdListCreateApi(generics.ListAPIView):
    serializer_class = s.HouseholdListSerializer
    filterset_class = HouseholdFilter
    queryset = Household.objects.none()

    def get_queryset(self):
        filters = selectors.HouseholdFilters.from_params(self.request.query_params)
        return selectors.household_list(actor=self.request.user, filters=filters, keyset=True)

    def list(self, request, *args, **kwargs):
        # The busiest call of the API: plain rows written as HouseholdListSerializer writes them.
        queryset = s.HOUSEHOLD_LIST_ROWS.values(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(s.HOUSEHOLD_LIST_ROWS.represent(page))

    @extend_schema(request=s.HouseholdCreateSerializer, responses={201: s.HouseholdDetailSerializer})
    def post(self, request):
        data = s.HouseholdCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        household = services.household_register(
            actor=request.user, village=v["village"], data=_household_input(v), members=v["members"]
        )
        household = selectors.household_get(actor=request.user, pk=household.pk)
        return Response(s.HouseholdDetailSerializer(household).data, status=status.HTTP_201_CREATED)


class HouseholdSearchApi(APIView):
    """Exact search by a full ID number, sent in the body: a number in a URL (`?q=`) stays in
    proxy logs and histories, so the list refuses it and points here. Names, partial numbers
    and file numbers stay on the list's `q`."""

    queryset = Household.objects.none()
    permission_classes = [ReadByPost]
    required_permissions = {"POST": ["households.view_household"]}
    parser_classes = [JSONParser]  # the number in a JSON body, the one documented

    class InputSerializer(serializers.Serializer):
        id_number = serializers.RegexField(
            selectors.ID_RE,
            label="18-digit ID number",
            error_messages={"invalid": _("ID number: enter the full 18-digit number (the last may be X).")},
        )

    class OutputSerializer(serializers.Serializer):
        results = s.HouseholdListSerializer(many=True)

    @extend_schema(
        request=InputSerializer,
        responses={
            200: OutputSerializer,
            429: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="A role that may not see full ID numbers reached today's cap of searches by "
                "ID number (the error body, code id_probe_limit).",
            ),
        },
        operation_id="households_search",
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        found = selectors.household_search_by_id(
            actor=request.user, id_number=data.validated_data["id_number"], channel="api", where=request.path,
            field="id_number",
        )  # fmt: skip
        return Response({"results": s.HOUSEHOLD_LIST_ROWS.represent(s.HOUSEHOLD_LIST_ROWS.values(found))})


@replica_reads
class HouseholdDetailApi(APIView):
    queryset = Household.objects.none()

    @extend_schema(responses=s.HouseholdDetailSerializer)
    def get(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        return Response(s.HouseholdDetailSerializer(household, context={"request": request}).data)

    @extend_schema(request=s.HouseholdUpdateSerializer, responses=s.HouseholdDetailSerializer)
    def patch(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        data = s.HouseholdUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.household_update(
            household=household, actor=request.user, data=_household_input(v), members=v.get("members")
        )
        household = selectors.household_get(actor=request.user, pk=pk)
        return Response(s.HouseholdDetailSerializer(household, context={"request": request}).data)


class MemberListCreateApi(APIView):
    queryset = Member.objects.none()

    @extend_schema(responses=s.MemberOutputSerializer(many=True))
    def get(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        members = selectors.member_list(actor=request.user, household=household)
        return Response(s.MemberOutputSerializer(members, many=True, context={"request": request}).data)

    @extend_schema(request=s.MemberInputSerializer, responses={201: s.MemberOutputSerializer})
    def post(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        data = s.MemberInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = services.member_add(household=household, actor=request.user, data=data.validated_data)
        return Response(
            s.MemberOutputSerializer(member, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class MemberDetailApi(APIView):
    queryset = Member.objects.none()

    @extend_schema(responses=s.MemberOutputSerializer)
    def get(self, request, pk: int, member_pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        member = selectors.member_get(actor=request.user, household=household, pk=member_pk)
        return Response(s.MemberOutputSerializer(member, context={"request": request}).data)

    @extend_schema(request=s.MemberInputSerializer, responses=s.MemberOutputSerializer)
    def patch(self, request, pk: int, member_pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        member = selectors.member_get(actor=request.user, household=household, pk=member_pk)
        data = s.MemberInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        member = services.member_update(member=member, actor=request.user, data=data.validated_data)
        return Response(s.MemberOutputSerializer(member, context={"request": request}).data)


class MemberIdNumberApi(APIView):
    """The full ID number, for roles that may see it. Every call is logged (who, when, which member)."""

    required_permissions = {"POST": ["households.view_full_id_number"]}

    @extend_schema(request=None, responses=s.IdNumberSerializer)
    def post(self, request, pk: int, member_pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        member = selectors.member_get(actor=request.user, household=household, pk=member_pk)
        number = services.member_reveal_id_number(
            member=member, actor=request.user, channel="api", path=request.path
        )
        return Response({"id_number": number})


class IncomeApi(APIView):
    required_permissions = {"POST": ["households.change_household"]}

    @extend_schema(request=s.IncomeInputSerializer, responses={201: s.IncomeSerializer})
    def post(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        data = s.IncomeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        income = services.income_record(household=household, actor=request.user, year=v.pop("year"), data=v)
        return Response(s.IncomeSerializer(income).data, status=status.HTTP_201_CREATED)
