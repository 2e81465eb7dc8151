"""API of the bank's return files (惠民惠农一卡通, issue 20.4): the same service as the page.

POST /funds/bank/returns/ multipart {bank, county, file (.xlsx or .csv)} → the lines paid, failed,
                                                                          and those unmatched
GET  /funds/bank/returns/{id}/                                          → the record and its lines
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.models import Region

from ... import selectors, services
from ...models import Bank


class BankReturnInput(serializers.Serializer):
    bank = serializers.PrimaryKeyRelatedField(queryset=Bank.objects.all())
    county = serializers.PrimaryKeyRelatedField(queryset=Region.objects.filter(level="county"))
    file = serializers.FileField(help_text="The bank's return file: .xlsx, or .csv in UTF-8 or GBK.")


class BankReturnOutput(serializers.Serializer):
    id = serializers.IntegerField()
    bank = serializers.CharField()
    county = serializers.CharField(source="region_id")
    file_name = serializers.CharField(source="original_name")
    paid = serializers.IntegerField()
    failed = serializers.IntegerField()
    unmatched = serializers.ListField(child=serializers.DictField())
    uploaded_by = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    lines = serializers.SerializerMethodField()

    def get_lines(self, obj) -> list[dict]:
        return [
            {
                "reference": line.reference,
                "request": line.request_id,
                "card": f"****{line.last_digits}",
                "amount": str(line.amount),
                "result": line.result,
                "reason": line.reason,
            }
            for line in obj.lines.order_by("id")
        ]


class BankReturnListApi(APIView):
    """Upload the bank's return file (multipart only): each line marks its payment paid or failed."""

    required_permissions = {"POST": ["funds.add_entry"]}
    parser_classes = [MultiPartParser]
    upload_fields = ("file",)  # checked and stored by core.uploads (services.bank_return_upload)

    @extend_schema(request={"multipart/form-data": BankReturnInput}, responses={201: BankReturnOutput})
    def post(self, request):
        data = BankReturnInput(data=request.data)
        data.is_valid(raise_exception=True)
        county = (
            selectors.bank.counties_in_scope(actor=request.user)
            .filter(pk=data.validated_data["county"].pk)
            .first()
        )
        if county is None:
            raise Http404
        record = services.bank_return_upload(
            actor=request.user, bank=data.validated_data["bank"], region=county,
            upload=data.validated_data["file"],
        )  # fmt: skip
        return Response(BankReturnOutput(record).data, status=status.HTTP_201_CREATED)


class BankReturnDetailApi(APIView):
    required_permissions = {"GET": ["funds.view_disbursementrequest"]}

    @extend_schema(responses=BankReturnOutput)
    def get(self, request, pk: int):
        return Response(BankReturnOutput(selectors.bank.bank_return_get(actor=request.user, pk=pk)).data)


class BankCardInput(serializers.Serializer):
    household = serializers.IntegerField(min_value=1, help_text="The household (of the caller's region).")
    bank = serializers.PrimaryKeyRelatedField(queryset=Bank.objects.all())
    account_number = serializers.CharField(
        max_length=40, help_text="12 to 30 digits; spaces and dashes are dropped."
    )
    holder_name = serializers.CharField(max_length=100, required=False, allow_blank=True)


class BankCardOutput(serializers.Serializer):
    id = serializers.IntegerField()
    household = serializers.IntegerField(source="household_id")
    bank = serializers.IntegerField(source="bank_id")
    bank_name = serializers.CharField(source="bank.name")
    last_digits = serializers.CharField(
        help_text="The card's last four digits; the number is kept encrypted."
    )
    holder_name = serializers.CharField()
    created_at = serializers.DateTimeField()


class BankCardApi(APIView):
    """Record a household's card (惠民惠农一卡通) for its payments; the previous card is no longer used.
    The number is stored encrypted and never answered."""

    required_permissions = {"POST": ["funds.add_disbursementrequest"]}

    @extend_schema(request=BankCardInput, responses={201: BankCardOutput})
    def post(self, request):
        from core.scoping import scope
        from households.models import Household

        data = BankCardInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        household = (
            scope(Household.objects.all(), actor=request.user, field="village_id")
            .filter(pk=d["household"])
            .first()
        )
        if household is None:
            raise Http404
        card = services.payee_bank_account_set(
            actor=request.user, household=household, bank=d["bank"], account_number=d["account_number"],
            holder_name=d.get("holder_name", ""),
        )  # fmt: skip
        return Response(BankCardOutput(card).data, status=status.HTTP_201_CREATED)
