"""数据比对 API: upload a department's list, follow its run, list the county's flags, decide one."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import read_query
from core.api.pagination import IdKeysetPagination
from households.models import CrossCheckFlag, CrossCheckRule, CrossCheckRun, CrossCheckSource, FlagStatus
from households.selectors import crosschecks as selectors
from households.services import crosschecks as services

PERMISSION = ["households.run_crosscheck"]


class CrossCheckStartSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=CrossCheckSource.choices)
    file = serializers.FileField()


class CrossCheckRunSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    file_kept = serializers.SerializerMethodField(help_text="False once the run ended: the list is deleted.")

    class Meta:
        model = CrossCheckRun
        fields = [
            "id", "source", "file_name", "status", "total_rows", "processed_rows", "percent", "matched_rows",
            "unreadable_rows", "flags_raised", "message", "file_kept", "created_at", "started_at", "finished_at",
        ]  # fmt: skip

    def get_file_kept(self, obj) -> bool:
        return bool(obj.file)


class CrossCheckFlagSerializer(serializers.ModelSerializer):
    rule_label = serializers.CharField(source="get_rule_display", read_only=True)
    file_number = serializers.CharField(source="household.file_number", read_only=True)
    member_name = serializers.CharField(source="member.name", read_only=True)
    id_number = serializers.CharField(source="member.id_number_masked", read_only=True)

    class Meta:
        model = CrossCheckFlag
        fields = [
            "id", "run", "rule", "rule_label", "household", "file_number", "member", "member_name", "id_number",
            "row_number", "facts", "event_date", "status", "action", "decision_note", "decided_at",
        ]  # fmt: skip


class FlagDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[FlagStatus.CONFIRMED, FlagStatus.DISMISSED])
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class CrossCheckRunCreateApi(APIView):
    required_permissions = {"POST": PERMISSION}
    parser_classes = [MultiPartParser]
    upload_fields = ("file",)  # checked in the request by services.crosscheck_start (core.uploads)

    @extend_schema(request=CrossCheckStartSerializer, responses={202: CrossCheckRunSerializer})
    def post(self, request):
        data = CrossCheckStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            run = services.crosscheck_start(
                actor=request.user, upload=data.validated_data["file"], source=data.validated_data["source"]
            )
        return Response(CrossCheckRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class CrossCheckRunApi(APIView):
    required_permissions = {"GET": PERMISSION}

    @extend_schema(responses=CrossCheckRunSerializer)
    def get(self, request, pk: int):
        return Response(CrossCheckRunSerializer(selectors.crosscheck_run_get(actor=request.user, pk=pk)).data)


class CrossCheckFlagParams(serializers.Serializer):
    rule = serializers.ChoiceField(choices=CrossCheckRule.choices, required=False, allow_blank=True)
    status = serializers.ChoiceField(
        choices=[*FlagStatus.values, "all"],
        default=FlagStatus.OPEN,
        allow_blank=True,
        help_text="Open ones unless given; `all` (or empty) for every status.",
    )
    run = serializers.IntegerField(required=False, min_value=1, help_text="Only the flags of this run")


class CrossCheckFlagListApi(generics.ListAPIView):
    """The county's flags; `?rule=`, `?status=` (open by default; `all`), `?run=`."""

    serializer_class = CrossCheckFlagSerializer
    queryset = CrossCheckFlag.objects.none()
    required_permissions = {"GET": PERMISSION}
    pagination_class = IdKeysetPagination
    filterset_class = None

    @extend_schema(parameters=[CrossCheckFlagParams])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = read_query(self.request, CrossCheckFlagParams)
        return selectors.crosscheck_flag_list(
            actor=self.request.user, rule=params.get("rule", ""),
            status="" if params["status"] in ("all", "") else params["status"], run=params.get("run"),
        )  # fmt: skip


class CrossCheckFlagDecideApi(APIView):
    required_permissions = {"GET": PERMISSION, "POST": PERMISSION}

    @extend_schema(responses=CrossCheckFlagSerializer)
    def get(self, request, pk: int):
        return Response(
            CrossCheckFlagSerializer(selectors.crosscheck_flag_get(actor=request.user, pk=pk)).data
        )

    @extend_schema(request=FlagDecisionSerializer, responses=CrossCheckFlagSerializer)
    def post(self, request, pk: int):
        flag = selectors.crosscheck_flag_get(actor=request.user, pk=pk)
        data = FlagDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        flag = services.crosscheck_flag_decide(
            flag=flag, actor=request.user, decision=data.validated_data["decision"],
            note=data.validated_data["note"],
        )  # fmt: skip
        return Response(CrossCheckFlagSerializer(flag).data)
