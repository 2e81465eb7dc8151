"""乡镇 sign-offs through the API (issue 18.6): the sign-offs in your region, signing the month (a
township officer), a sign-off with what changed after it, its withdrawal with a reason."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import IdKeysetPagination
from households.models import Household, TownshipSignOff
from households.selectors.signoffs import changes_after, signoff_get, signoff_list
from households.services.signoffs import signoff_sign, signoff_withdraw


class SignOffSerializer(serializers.ModelSerializer):
    township_id = serializers.CharField(read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    signed_by = serializers.CharField(source="signed_by.username", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = TownshipSignOff
        fields = [
            "id", "township_id", "township_name", "month", "state", "state_label", "signed_by", "signed_at",
            "counts", "note", "withdraw_reason",
        ]  # fmt: skip


class ChangedHouseholdSerializer(serializers.ModelSerializer):
    village_id = serializers.CharField(read_only=True)
    signed_change = serializers.DateTimeField(read_only=True, allow_null=True)
    last_change = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Household
        fields = ["id", "file_number", "head_name", "village_id", "status", "signed_change", "last_change"]


class SignOffDetailSerializer(SignOffSerializer):
    changed_after = serializers.SerializerMethodField()

    class Meta(SignOffSerializer.Meta):
        fields = [*SignOffSerializer.Meta.fields, "changed_after"]

    def get_changed_after(self, obj) -> list[dict]:
        if obj.state != "signed":
            return []
        return ChangedHouseholdSerializer(changes_after(signoff=obj)[:500], many=True).data


class SignInput(serializers.Serializer):
    month = serializers.CharField(
        required=False, allow_blank=True, help_text="YYYY-MM (this month by default)"
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class WithdrawInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class SignOffListApi(generics.ListCreateAPIView):
    """GET: the sign-offs in your region (`?township=`). POST: sign off your township for the month."""

    serializer_class = SignOffSerializer
    queryset = TownshipSignOff.objects.none()
    pagination_class = IdKeysetPagination
    filterset_class = None
    required_permissions = {
        "GET": ["households.view_townshipsignoff"],
        "POST": ["households.sign_off_township"],
    }

    def get_queryset(self):
        return signoff_list(
            actor=self.request.user, township=self.request.query_params.get("township", "")
        ).order_by("id")

    @extend_schema(request=SignInput, responses={201: SignOffSerializer})
    def post(self, request):
        data = SignInput(data=request.data)
        data.is_valid(raise_exception=True)
        signoff = signoff_sign(actor=request.user, **data.validated_data)
        return Response(SignOffSerializer(signoff).data, status=201)


class SignOffDetailApi(APIView):
    required_permissions = {"GET": ["households.view_townshipsignoff"]}

    @extend_schema(responses=SignOffDetailSerializer)
    def get(self, request, pk: int):
        return Response(SignOffDetailSerializer(signoff_get(actor=request.user, pk=pk)).data)


class SignOffWithdrawApi(APIView):
    required_permissions = {"POST": ["households.sign_off_township"]}

    @extend_schema(request=WithdrawInput, responses={200: SignOffSerializer})
    def post(self, request, pk: int):
        signoff = signoff_get(actor=request.user, pk=pk)
        data = WithdrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        signoff = signoff_withdraw(signoff=signoff, actor=request.user, reason=data.validated_data["reason"])
        return Response(SignOffSerializer(signoff).data)
