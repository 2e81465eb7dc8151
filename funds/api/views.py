"""REST API of the funds app: the same services and selectors as the pages, the same scope."""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import BaseFilterSet
from core.api.pagination import IdKeysetPagination
from core.models import Region

from .. import selectors, services
from ..models import Account, AccountKind, DisbursementRequest, Entry, EntryKind, Fund, Project, RequestStatus
from . import serializers as s

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
                    raise ValidationError({"from_account": "The account belongs to another fund."})
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

    @extend_schema(responses=s.ProjectOutputSerializer)
    def get(self, request, pk: int):
        return Response(s.ProjectOutputSerializer(selectors.project_get(actor=request.user, pk=pk)).data)

    @extend_schema(request=s.ProjectInputSerializer, responses=s.ProjectOutputSerializer)
    def patch(self, request, pk: int):
        project = selectors.project_get(actor=request.user, pk=pk)
        data = s.ProjectInputSerializer(instance=project, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        project = services.project_update(actor=request.user, project=project, data=data.validated_data)
        return Response(s.ProjectOutputSerializer(project).data)


class AccountFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=AccountKind.choices)

    class Meta:
        model = Account
        fields = ["kind", "fund", "project"]


class AccountListApi(generics.ListAPIView):
    serializer_class = s.AccountOutputSerializer
    filterset_class = AccountFilter
    pagination_class = IdKeysetPagination
    required_permissions = {"GET": ["funds.view_account"]}

    def get_queryset(self):
        return selectors.account_list(actor=self.request.user)


class AccountLedgerApi(APIView):
    """An account's lines with the running balance. `after` = last entry id of the previous page."""

    required_permissions = {"GET": ["funds.view_entry"]}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "after", int, description="Keyset cursor: entry id of the last line already read."
            ),
            OpenApiParameter("date_from", str),
            OpenApiParameter("date_to", str),
            OpenApiParameter("page_size", int),
        ],
        responses=s.LedgerLineSerializer(many=True),
    )
    def get(self, request, pk: int):
        account = selectors.account_get(actor=request.user, pk=pk)
        params = _DateParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        size = min(max(params.validated_data.get("page_size") or 100, 1), 500)
        opening, lines = selectors.account_ledger(
            actor=request.user, account=account, date_from=params.validated_data.get("date_from"),
            date_to=params.validated_data.get("date_to"), after_entry=params.validated_data.get("after"),
        )  # fmt: skip
        page = list(lines[: size + 1])
        more = len(page) > size
        page = page[:size]
        return Response(
            {
                "account": s.AccountOutputSerializer(account).data,
                "opening_balance": f"{opening:.2f}",
                "results": s.LedgerLineSerializer(page, many=True).data,
                "next_after": page[-1].entry_id if more and page else None,
            }
        )


class _DateParams(s.serializers.Serializer):
    after = s.serializers.IntegerField(required=False, min_value=0)
    page_size = s.serializers.IntegerField(required=False, min_value=1, max_value=500)
    date_from = s.serializers.DateField(required=False)
    date_to = s.serializers.DateField(required=False)


class EntryFilter(django_filters.FilterSet):
    # Entries never change: `updated_after` means "posted after".
    updated_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gt")
    kind = django_filters.ChoiceFilter(choices=EntryKind.choices)
    fund = django_filters.NumberFilter(field_name="fund_id")
    booked_from = django_filters.DateFilter(field_name="booked_on", lookup_expr="gte")
    booked_to = django_filters.DateFilter(field_name="booked_on", lookup_expr="lte")

    class Meta:
        model = Entry
        fields = []


class EntryListApi(generics.ListAPIView):
    serializer_class = s.EntryOutputSerializer
    filterset_class = EntryFilter
    pagination_class = IdKeysetPagination
    queryset = Entry.objects.none()
    required_permissions = {"GET": ["funds.view_entry"]}

    def get_queryset(self):
        return (
            selectors.entry_list(actor=self.request.user)
            .select_related("reversed_by")
            .prefetch_related("lines__account")
        )


class EntryDetailApi(APIView):
    required_permissions = {"GET": ["funds.view_entry"]}

    @extend_schema(responses=s.EntryOutputSerializer)
    def get(self, request, pk: int):
        return Response(s.EntryOutputSerializer(selectors.entry_get(actor=request.user, pk=pk)).data)


class EntryReverseApi(APIView):
    required_permissions = {"POST": ["funds.add_entry"]}

    @extend_schema(request=s.ReasonInputSerializer, responses={201: s.EntryOutputSerializer})
    def post(self, request, pk: int):
        entry = selectors.entry_get(actor=request.user, pk=pk)
        data = s.ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if entry.request_id:
            reversal = services.disbursement_reverse(
                actor=request.user, request=entry.request, reason=data.validated_data["reason"]
            )
        else:
            reversal = services.entry_reverse(
                actor=request.user, entry=entry, reason=data.validated_data["reason"]
            )
        return Response(s.EntryOutputSerializer(reversal).data, status=status.HTTP_201_CREATED)


class RequestFilter(BaseFilterSet):
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices)

    class Meta:
        model = DisbursementRequest
        fields = ["status", "project", "payee_kind", "household"]


class RequestListApi(generics.ListAPIView):
    """Disbursement requests. POST with an idempotency key (header `Idempotency-Key` or body)."""

    serializer_class = s.RequestOutputSerializer
    filterset_class = RequestFilter
    queryset = DisbursementRequest.objects.none()
    required_permissions = {
        "GET": ["funds.view_disbursementrequest"],
        "POST": ["funds.add_disbursementrequest"],
    }

    def get_queryset(self):
        return selectors.request_list(actor=self.request.user)

    @extend_schema(
        request=s.RequestInputSerializer,
        parameters=[
            OpenApiParameter("Idempotency-Key", str, location=OpenApiParameter.HEADER, required=False)
        ],
        responses={201: s.RequestOutputSerializer, 200: s.RequestOutputSerializer},
    )
    def post(self, request):
        data = s.RequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        key = request.headers.get("Idempotency-Key") or v.pop("idempotency_key", "")
        v.pop("idempotency_key", None)
        if not key:
            raise ValidationError(
                {"idempotency_key": "Send an idempotency key (header Idempotency-Key or body)."}
            )
        account = selectors.account_get(actor=request.user, pk=v.pop("from_account"))
        if v.get("household") is not None:
            from core.scoping import ensure_in_scope
            from households.models import Household

            household: Household = v["household"]
            ensure_in_scope(request.user, household.village_id)
        result, created = services.disbursement_request_create(
            actor=request.user, idempotency_key=key, from_account=account, **v
        )
        return Response(
            s.RequestOutputSerializer(result).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class RequestDetailApi(APIView):
    required_permissions = {"GET": ["funds.view_disbursementrequest"]}

    @extend_schema(responses=s.RequestOutputSerializer)
    def get(self, request, pk: int):
        return Response(s.RequestOutputSerializer(selectors.request_get(actor=request.user, pk=pk)).data)


class RequestApproveApi(APIView):
    required_permissions = {"POST": ["funds.approve_disbursementrequest"]}

    @extend_schema(request=None, responses=s.RequestOutputSerializer)
    def post(self, request, pk: int):
        obj = selectors.request_get(actor=request.user, pk=pk)
        obj = services.disbursement_approve(actor=request.user, request=obj)
        return Response(s.RequestOutputSerializer(selectors.request_get(actor=request.user, pk=obj.pk)).data)


class RequestRejectApi(APIView):
    required_permissions = {"POST": ["funds.reject_disbursementrequest"]}

    @extend_schema(request=s.ReasonInputSerializer, responses=s.RequestOutputSerializer)
    def post(self, request, pk: int):
        obj = selectors.request_get(actor=request.user, pk=pk)
        data = s.ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        obj = services.disbursement_reject(
            actor=request.user, request=obj, reason=data.validated_data["reason"]
        )
        return Response(s.RequestOutputSerializer(obj).data)


class RequestReverseApi(APIView):
    required_permissions = {"POST": ["funds.add_entry"]}

    @extend_schema(request=s.ReasonInputSerializer, responses={201: s.EntryOutputSerializer})
    def post(self, request, pk: int):
        obj = selectors.request_get(actor=request.user, pk=pk)
        data = s.ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reversal = services.disbursement_reverse(
            actor=request.user, request=obj, reason=data.validated_data["reason"]
        )
        return Response(s.EntryOutputSerializer(reversal).data, status=status.HTTP_201_CREATED)


class _ReconParams(s.serializers.Serializer):
    fund = s.serializers.IntegerField(required=False)
    county = s.serializers.CharField(required=False)
    project = s.serializers.IntegerField(required=False)
    as_of = s.serializers.DateField(required=False)


def reconciliation_target(actor, params: dict) -> dict:
    """fund / county / project from query parameters, each looked up within the actor's scope."""
    from core.scoping import ensure_in_scope

    if params.get("fund"):
        return {"fund": selectors.fund_get(actor=actor, pk=params["fund"])}
    if params.get("project"):
        return {"project": selectors.project_get(actor=actor, pk=params["project"])}
    if params.get("county"):
        county = get_object_or_404(Region, code=params["county"], level="county")
        ensure_in_scope(actor, county.code)
        return {"county": county}
    return {}


class ReconciliationApi(APIView):
    required_permissions = {"GET": ["funds.view_account"]}

    @extend_schema(parameters=[_ReconParams], responses=s.ReconciliationSerializer)
    def get(self, request):
        params = _ReconParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        target = reconciliation_target(request.user, params.validated_data)
        result = selectors.reconciliation(
            actor=request.user, as_of=params.validated_data.get("as_of"), **target
        )
        return Response(s.ReconciliationSerializer(result.as_dict()).data)


class FlagListApi(APIView):
    required_permissions = {"GET": ["funds.view_entry"]}

    @extend_schema(parameters=[OpenApiParameter("as_of", str)], responses=s.FlagSerializer(many=True))
    def get(self, request):
        params = _ReconParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        flags = selectors.fund_flags(actor=request.user, as_of=params.validated_data.get("as_of"))
        return Response({"results": s.FlagSerializer(flags, many=True).data})
