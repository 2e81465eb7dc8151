"""API of funds (budget, allocation) and projects."""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import BaseFilterSet
from core.api.pagination import CodeKeysetPagination
from core.exceptions import DomainError
from core.models import Region
from core.scoping import scope

from ... import selectors, services
from ...models import (
    ContractChange,
    Fund,
    Project,
)
from .. import serializers as s

VIEW_FUND = {"GET": ["funds.view_fund"]}


class FundFilter(BaseFilterSet):
    class Meta:
        model = Fund
        fields = ["source", "fiscal_year", "region"]


class FundListApi(generics.ListAPIView):
    serializer_class = s.FundOutputSerializer
    filterset_class = FundFilter
    queryset = Fund.objects.none()
    required_permissions = {"GET": ["funds.view_fund"], "POST": ["funds.add_fund"]}

    def get_queryset(self):
        return selectors.fund_list(actor=self.request.user)

    @extend_schema(request=s.FundInputSerializer, responses={201: s.FundOutputSerializer})
    def post(self, request):
        data = s.FundInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fund = services.fund_create(actor=request.user, **data.validated_data)
        return Response(s.FundOutputSerializer(fund).data, status=status.HTTP_201_CREATED)


class FundDetailApi(APIView):
    required_permissions = VIEW_FUND

    @extend_schema(responses=s.FundOutputSerializer)
    def get(self, request, pk: int):
        return Response(s.FundOutputSerializer(selectors.fund_get(actor=request.user, pk=pk)).data)


class FundBudgetApi(APIView):
    """预算安排: the fund receives budget."""

    required_permissions = {"POST": ["funds.add_entry"]}

    @extend_schema(request=s.AmountInputSerializer, responses={201: s.EntryOutputSerializer})
    def post(self, request, pk: int):
        fund = selectors.fund_get(actor=request.user, pk=pk)
        data = s.AmountInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.budget_arrange(actor=request.user, fund=fund, **data.validated_data)
        return Response(s.EntryOutputSerializer(entry).data, status=status.HTTP_201_CREATED)


class FundAllocationApi(APIView):
    """资金下达: pool → county, pool → project, or county → project (`from_account`)."""

    required_permissions = {"POST": ["funds.add_entry"]}

    @extend_schema(request=s.AllocationInputSerializer, responses={201: s.EntryOutputSerializer})
    def post(self, request, pk: int):
        fund = selectors.fund_get(actor=request.user, pk=pk)
        data = s.AllocationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        common = {"amount": v["amount"], "booked_on": v.get("booked_on"), "memo": v.get("memo", "")}
        if v.get("county"):
            county = get_object_or_404(Region, code=v["county"], level="county")
            entry = services.allocate_to_county(actor=request.user, fund=fund, county=county, **common)
        else:
            project = selectors.project_get(actor=request.user, pk=v["project"])
            if v.get("from_account"):
                source = selectors.account_get(actor=request.user, pk=v["from_account"])
                if source.fund_id != fund.pk:
                    raise DomainError(_("The account belongs to another fund."), field="from_account")
            else:
                source = services.pool_account(fund)
            entry = services.allocate_to_project(
                actor=request.user, from_account=source, project=project, **common
            )
        return Response(s.EntryOutputSerializer(entry).data, status=status.HTTP_201_CREATED)


class ProjectFilter(BaseFilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Project
        fields = ["kind", "county", "village", "procurement_method"]


class ProjectListApi(generics.ListAPIView):
    serializer_class = s.ProjectOutputSerializer
    filterset_class = ProjectFilter
    queryset = Project.objects.none()
    required_permissions = {"GET": ["funds.view_project"], "POST": ["funds.add_project"]}

    def get_queryset(self):
        return selectors.project_list(actor=self.request.user)

    @extend_schema(request=s.ProjectInputSerializer, responses={201: s.ProjectOutputSerializer})
    def post(self, request):
        data = s.ProjectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        project = services.project_create(actor=request.user, data=data.validated_data)
        return Response(s.ProjectOutputSerializer(project).data, status=status.HTTP_201_CREATED)


class ProjectDetailApi(APIView):
    required_permissions = {"GET": ["funds.view_project"], "PATCH": ["funds.change_project"]}

    @extend_schema(responses=s.ProjectDetailSerializer)
    def get(self, request, pk: int):
        return Response(s.ProjectDetailSerializer(selectors.project_get(actor=request.user, pk=pk)).data)

    @extend_schema(request=s.ProjectInputSerializer, responses=s.ProjectDetailSerializer)
    def patch(self, request, pk: int):
        project = selectors.project_get(actor=request.user, pk=pk)
        data = s.ProjectInputSerializer(instance=project, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        project = services.project_update(actor=request.user, project=project, data=data.validated_data)
        return Response(s.ProjectDetailSerializer(project).data)


class ContractChangeListApi(generics.ListAPIView):
    """补充协议 of a project: read by whoever reads the project; recorded by a finance officer of its
    county (the contractor's payments may then reach the contract plus its changes)."""

    serializer_class = s.ContractChangeOutputSerializer
    queryset = ContractChange.objects.none()
    required_permissions = {"GET": ["funds.view_project"], "POST": ["funds.change_project"]}

    def get_queryset(self):
        project = selectors.project_get(actor=self.request.user, pk=self.kwargs["pk"])
        return project.contract_changes.select_related("recorded_by").order_by("signed_on", "id")

    @extend_schema(request=s.ContractChangeInputSerializer, responses={201: s.ContractChangeOutputSerializer})
    def post(self, request, pk: int):
        project = selectors.project_get(actor=request.user, pk=pk)
        data = s.ContractChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.contract_change_record(actor=request.user, project=project, **data.validated_data)
        return Response(s.ContractChangeOutputSerializer(change).data, status=status.HTTP_201_CREATED)


class PaymentRulesApi(generics.ListAPIView):
    """The payment rules of the counties in the reader's region and the province's defaults (issue
    20.1); the city finance office sets a county's (POST: the review threshold)."""

    serializer_class = s.PaymentRulesSerializer
    pagination_class = CodeKeysetPagination
    queryset = Region.objects.none()
    required_permissions = {"GET": ["funds.view_paymentsettings"], "POST": ["funds.change_paymentsettings"]}

    def get_queryset(self):
        return scope(Region.objects.filter(level__in=["county", "province"]), actor=self.request.user,
                     field="code").order_by("code")  # fmt: skip

    @extend_schema(request=s.PaymentSettingsInputSerializer, responses=s.PaymentRulesSerializer)
    def post(self, request):
        data = s.PaymentSettingsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        region = _rules_region(request, data.validated_data["region"])
        services.payment_settings_set(
            actor=request.user, region=region, review_threshold=data.validated_data["review_threshold"]
        )
        return Response(s.PaymentRulesSerializer(region).data)


class PaymentLimitApi(APIView):
    """A county's (or the province's default) ceiling and softer limit of one kind of payment."""

    required_permissions = {"POST": ["funds.change_paymentsettings"]}

    @extend_schema(request=s.PaymentLimitInputSerializer, responses=s.PaymentRulesSerializer)
    def post(self, request):
        data = s.PaymentLimitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        region = _rules_region(request, d["region"])
        services.payment_limit_set(
            actor=request.user,
            region=region,
            kind=d["kind"],
            ceiling=d["ceiling"],
            soft_limit=d["soft_limit"],
        )
        return Response(s.PaymentRulesSerializer(region).data)


def _rules_region(request, code: str) -> Region:
    """A region the caller may read (else 404, as for any object out of scope)."""
    regions = scope(Region.objects.filter(level__in=["county", "province"]), actor=request.user, field="code")
    return get_object_or_404(regions, code=code)
