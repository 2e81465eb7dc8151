"""API of month-end batch review and the bank's payment files: the same services as the pages.

POST /funds/batches/ {from_account, month: "2017-12", purpose}        → the batch
GET  /funds/batches/{id}/pages/{n}/                                   → the page as shown (recorded)
POST /funds/batches/{id}/reviews/{page}/confirm/ {selected, notes}    → approved and refused, row by row
POST /funds/bank/payment-files/ {bank, county}                        → the file (requests marked sent)
GET  /funds/bank/payment-files/{id}/                                  → its lines and the bank's answers
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.models import Region

from ... import selectors, services
from ...models import Account, Bank

CHECK = "funds.approve_disbursementrequest"


class BatchInput(serializers.Serializer):
    from_account = serializers.PrimaryKeyRelatedField(queryset=Account.objects.all())
    month = serializers.DateField(input_formats=["%Y-%m", "%Y-%m-%d"])
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class BatchOutput(serializers.Serializer):
    id = serializers.IntegerField()
    from_account = serializers.IntegerField(source="from_account_id")
    month = serializers.DateField()
    purpose = serializers.CharField()
    count = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=16, decimal_places=2)
    pages = serializers.IntegerField()
    opened_by = serializers.CharField()
    opened_at = serializers.DateTimeField()


class RowOutput(serializers.Serializer):
    id = serializers.IntegerField(source="request.pk")
    payee = serializers.CharField(source="request.payee_name")
    payee_kind = serializers.CharField(source="request.payee_kind")
    household = serializers.IntegerField(source="request.household_id", allow_null=True)
    measure = serializers.IntegerField(source="request.measure_id", allow_null=True)
    amount = serializers.DecimalField(source="request.amount", max_digits=16, decimal_places=2)
    purpose = serializers.CharField(source="request.purpose")
    status = serializers.CharField(source="request.status")
    flags = serializers.ListField(child=serializers.CharField())
    flag_labels = serializers.ListField(child=serializers.CharField())


class ConfirmInput(serializers.Serializer):
    selected = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    notes = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=300), required=False
    )


class PageOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    checker = serializers.CharField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    approved = serializers.ListField(source="approved_ids", child=serializers.IntegerField())
    failures = serializers.DictField(child=serializers.CharField())


class BatchListApi(APIView):
    required_permissions = {"GET": [CHECK], "POST": [CHECK]}

    @extend_schema(responses=BatchOutput(many=True))
    def get(self, request):
        return Response(BatchOutput(selectors.batch_list(actor=request.user)[:100], many=True).data)

    @extend_schema(request=BatchInput, responses={201: BatchOutput})
    def post(self, request):
        data = BatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        account = selectors.account_get(actor=request.user, pk=data.validated_data["from_account"].pk)
        batch = services.batch_open(
            actor=request.user, from_account=account, month=data.validated_data["month"],
            purpose=data.validated_data["purpose"],
        )  # fmt: skip
        return Response(BatchOutput(batch).data, status=201)


class BatchPageApi(APIView):
    required_permissions = {"GET": [CHECK]}

    @extend_schema(
        responses=inline_serializer(
            "BatchPage",
            fields={
                "batch": BatchOutput(),
                "page": serializers.IntegerField(),
                "number": serializers.IntegerField(),
                "rows": RowOutput(many=True),
                "page_total": serializers.DecimalField(
                    max_digits=18, decimal_places=2, coerce_to_string=False, help_text="Yuan, a JSON number."
                ),
            },
        )
    )
    def get(self, request, pk: int, number: int):
        batch = selectors.batch_get(actor=request.user, pk=pk)
        page, rows = services.page_show(actor=request.user, batch=batch, number=number)
        return Response(
            {
                "batch": BatchOutput(batch).data,
                "page": page.pk,
                "number": number,
                "rows": RowOutput(rows, many=True).data,
                "page_total": sum((row.request.amount for row in rows), start=0),
            }
        )


class BatchConfirmApi(APIView):
    required_permissions = {"POST": [CHECK]}

    @extend_schema(request=ConfirmInput, responses=PageOutput)
    def post(self, request, pk: int, page_pk: int):
        batch = selectors.batch_get(actor=request.user, pk=pk)
        page = selectors.batches.page_get(batch=batch, pk=page_pk)
        data = ConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        page = services.page_confirm(
            actor=request.user, page=page, selected=data.validated_data["selected"],
            notes=data.validated_data.get("notes") or {},
        )  # fmt: skip
        return Response(PageOutput(page).data)


class PaymentFileInput(serializers.Serializer):
    bank = serializers.PrimaryKeyRelatedField(queryset=Bank.objects.all())
    county = serializers.PrimaryKeyRelatedField(queryset=Region.objects.filter(level="county"))


class PaymentFileOutput(serializers.Serializer):
    id = serializers.IntegerField()
    bank = serializers.CharField()
    county = serializers.CharField(source="region_id")
    count = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=16, decimal_places=2)
    created_at = serializers.DateTimeField()
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


class PaymentFileListApi(APIView):
    required_permissions = {"POST": ["funds.add_entry"]}

    @extend_schema(request=PaymentFileInput, responses={201: PaymentFileOutput})
    def post(self, request):
        data = PaymentFileInput(data=request.data)
        data.is_valid(raise_exception=True)
        county = (
            selectors.bank.counties_in_scope(actor=request.user)
            .filter(pk=data.validated_data["county"].pk)
            .first()
        )
        if county is None:
            from django.http import Http404

            raise Http404
        payment_file, left_out = services.payment_file_create(
            actor=request.user, bank=data.validated_data["bank"], region=county
        )
        body = PaymentFileOutput(payment_file).data
        body["left_out_without_card"] = [r.pk for r in left_out]
        return Response(body, status=201)


class PaymentFileDetailApi(APIView):
    required_permissions = {"GET": ["funds.add_entry"]}

    @extend_schema(responses=PaymentFileOutput)
    def get(self, request, pk: int):
        return Response(PaymentFileOutput(selectors.bank.payment_file_get(actor=request.user, pk=pk)).data)
