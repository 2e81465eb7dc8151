"""API of disbursement requests: make (idempotent), approve, reject, reverse."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import BaseFilterSet
from core.exceptions import DomainError

from ... import selectors, services
from ...models import (
    DisbursementRequest,
    PayeeKind,
    RequestStatus,
)
from .. import serializers as s


class RequestFilter(BaseFilterSet):
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices)

    class Meta:
        model = DisbursementRequest
        fields = ["status", "project", "payee_kind", "household"]


def payee_by_record(values: dict) -> dict:
    """Who is paid, as the pages choose it: a household by its id (the serializer looks it up
    within the reader's scope), an enterprise or cooperative by its payee record — a project's
    contractor is the record of its recorded winner (`contractor` on the project). A typed name
    is refused, naming the field."""
    if (values.pop("payee_name", "") or "").strip():
        raise DomainError(
            _(
                "Name no payee by text: choose the enterprise or cooperative by its payee record "
                "(payee); a project's contractor is the payee recorded as its winning bidder."
            ),
            field="payee_name",
        )
    if values.get("payee_kind") == PayeeKind.ORGANISATION and values.get("payee") is None:
        raise DomainError(_("Choose the enterprise or cooperative to be paid."), field="payee")
    if values.get("payee_kind") == PayeeKind.HOUSEHOLD and values.get("household") is None:
        raise DomainError(_("Choose the household to be paid."), field="household")
    return values


def request_input(request):
    """(validated values, account): the account is looked up in the reader's scope before the rest
    is judged, so one of another county answers 404 whatever else the body holds."""
    data = s.RequestInputSerializer(data=request.data, context={"actor": request.user})
    valid = data.is_valid()
    account = None
    if "from_account" not in data.errors:
        account = selectors.account_get(actor=request.user, pk=int(data.initial_data["from_account"]))
    if not valid:
        data.is_valid(raise_exception=True)
    v = dict(data.validated_data)
    v.pop("from_account", None)
    return v, account


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
        v, account = request_input(request)
        key = request.headers.get("Idempotency-Key") or v.pop("idempotency_key", "")
        v.pop("idempotency_key", None)
        if not key:
            raise DomainError(
                _("Send an idempotency key (header Idempotency-Key or body)."), field="idempotency_key"
            )
        v = payee_by_record(v)
        result, created = services.disbursement_request_create(
            actor=request.user, idempotency_key=key, from_account=account, **v
        )
        return Response(
            s.RequestOutputSerializer(result).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class RequestPreviewApi(APIView):
    """What the maker would meet: refusals by field, the flags the checker will see, the balance.
    Saves nothing."""

    required_permissions = {"POST": ["funds.add_disbursementrequest"]}

    @extend_schema(request=s.RequestInputSerializer, responses=s.RequestPreviewSerializer)
    def post(self, request):
        v, account = request_input(request)
        for name in ("idempotency_key", "purpose"):
            v.pop(name, None)
        v = payee_by_record(v)
        return Response(
            s.RequestPreviewSerializer(
                services.disbursement_request_preview(actor=request.user, from_account=account, **v)
            ).data
        )


class RequestWithdrawApi(APIView):
    required_permissions = {"POST": ["funds.add_disbursementrequest"]}

    @extend_schema(request=s.ReasonInputSerializer, responses=s.RequestOutputSerializer)
    def post(self, request, pk: int):
        obj = selectors.request_get(actor=request.user, pk=pk)
        obj = services.disbursement_withdraw(
            actor=request.user, request=obj, reason=request.data.get("reason", "")
        )
        return Response(s.RequestOutputSerializer(selectors.request_get(actor=request.user, pk=obj.pk)).data)


class RequestDetailApi(APIView):
    required_permissions = {"GET": ["funds.view_disbursementrequest"]}

    @extend_schema(responses=s.RequestDetailSerializer)
    def get(self, request, pk: int):
        return Response(s.RequestDetailSerializer(selectors.request_get(actor=request.user, pk=pk)).data)


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
