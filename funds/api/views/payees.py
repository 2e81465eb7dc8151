"""API of payees (收款单位): the enterprises and cooperatives a county pays, by record — a request
names one by its id (`payee`), never by a typed name.

GET  /funds/payees/?q=          → the payees of the reader's counties (name or credit code)
POST /funds/payees/ {county, name, credit_code, phone} → the record (finance officers)
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from core.api.pagination import IdKeysetPagination
from core.models import Region

from ... import selectors, services
from ...models import Payee
from ...selectors import payees


class PayeeOutput(serializers.ModelSerializer):
    county_name = serializers.CharField(source="county.name", read_only=True)

    class Meta:
        model = Payee
        fields = ["id", "county", "county_name", "name", "credit_code", "phone"]


class PayeeInput(serializers.Serializer):
    county = serializers.PrimaryKeyRelatedField(queryset=Region.objects.filter(level="county"))
    name = serializers.CharField(max_length=100)
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class PayeeListApi(generics.ListAPIView):
    serializer_class = PayeeOutput
    pagination_class = IdKeysetPagination
    queryset = Payee.objects.none()
    filterset_class = None
    required_permissions = {
        "GET": ["funds.view_disbursementrequest"],
        "POST": ["funds.add_disbursementrequest"],
    }

    def get_queryset(self):
        return payees.payee_list(actor=self.request.user, q=self.request.query_params.get("q", ""))

    @extend_schema(parameters=[OpenApiParameter("q", str)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=PayeeInput, responses={201: PayeeOutput})
    def post(self, request):
        data = PayeeInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        county = selectors.bank.counties_in_scope(actor=request.user).filter(pk=v.pop("county").pk).first()
        if county is None:
            raise Http404
        payee = services.payee_create(actor=request.user, county=county, **v)
        return Response(PayeeOutput(payee).data, status=status.HTTP_201_CREATED)
