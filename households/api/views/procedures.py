"""Entry and exit procedures, status decisions and moves."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from households import selectors, services
from households.models import HouseholdTransfer

from .. import serializers as s


class CaseSerializer(s.ProcedureCaseSerializer):
    """A procedure case with the cause of a return to poverty (返贫; empty for entry and exit)."""

    class Meta(s.ProcedureCaseSerializer.Meta):
        fields = [*s.ProcedureCaseSerializer.Meta.fields, "cause"]


class StepInput(s.StepInputSerializer):
    cause = serializers.CharField(required=False, allow_blank=True, help_text="返贫 application: its cause")


class StatusInput(s.StatusInputSerializer):
    action = serializers.ChoiceField(
        choices=["return", "remove"],
        help_text="return = 返贫: starts the return procedure (201, the case); remove = 清退",
    )
    cause = serializers.CharField(
        required=False, allow_blank=True, help_text="返贫: the poverty cause of the return (illness, …)"
    )
    date = serializers.DateField(
        required=False, help_text="返贫: the application's date (today if not given)"
    )


class ProcedureListApi(APIView):
    required_permissions = {"GET": ["households.view_household"]}

    @extend_schema(responses=CaseSerializer(many=True))
    def get(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        cases = selectors.procedure_timeline(household=household)
        return Response(CaseSerializer(cases, many=True).data)


class ProcedureStepApi(APIView):
    """Record the next step of the entry, exit or return procedure (`kind` = entry | exit | return;
    the return's application carries its `cause`).

    multipart/form-data: the step's fields, and its evidence files in field `files` (repeated)."""

    required_permissions = {"POST": ["households.run_procedure"]}
    parser_classes = [MultiPartParser]
    upload_fields = ("files",)  # checked and stored by core.uploads (procedure_step_record)

    @extend_schema(request=StepInput, responses={201: CaseSerializer})
    def post(self, request, pk: int, kind: str):
        household = selectors.household_get(actor=request.user, pk=pk)
        if hasattr(
            request.data, "getlist"
        ):  # multipart: the files by reference (a deep copy fails on a big one)
            payload = {key: request.data.get(key) for key in request.data if key != "files"}
            payload["files"] = request.FILES.getlist("files")
        else:
            payload = dict(request.data)
        data = StepInput(data=payload)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        step = v.pop("step")
        files = v.pop("files", [])
        record = services.procedure_step_record(
            household=household, kind=kind, step=step, actor=request.user, data=v, files=files
        )
        case = selectors.procedure_timeline(household=household)
        case = next(c for c in case if c.pk == record.case_id)
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)


class StatusApi(APIView):
    """返贫 (`return`, with its `cause`): starts the return procedure — 201 with the case, whose next
    steps go to procedures/return/ — and the status moves when the county approves it (409 for a
    household that has not exited). 清退 (`remove`), with the reason: 200 with the household."""

    required_permissions = {"POST": ["households.run_procedure"]}

    @extend_schema(
        request=StatusInput,
        responses={200: s.HouseholdDetailSerializer, 201: CaseSerializer},
    )
    def post(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        data = StatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if v["action"] == "return":
            case = services.household_mark_returned(
                household=household, actor=request.user, reason=v["reason"], cause=v.get("cause", ""),
                date=v.get("date"),
            )  # fmt: skip
            case = next(c for c in selectors.procedure_timeline(household=household) if c.pk == case.pk)
            return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)
        services.household_remove(household=household, actor=request.user, reason=v["reason"])
        household = selectors.household_get(actor=request.user, pk=pk)
        return Response(s.HouseholdDetailSerializer(household, context={"request": request}).data)


class MoveApi(APIView):
    """Into a village of the caller's region: the household moves (200, the household). Outside
    it: the household is released to that region (202, the pending transfer; see transfers/)."""

    required_permissions = {"POST": ["households.change_household"]}

    @extend_schema(
        request=s.MoveInputSerializer,
        responses={200: s.HouseholdListSerializer, 202: s.TransferSerializer},
    )
    def post(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        data = s.MoveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.household_move(household=household, actor=request.user, **data.validated_data)
        if isinstance(done, HouseholdTransfer):
            return Response(s.TransferSerializer(done).data, status=status.HTTP_202_ACCEPTED)
        household = selectors.household_get(actor=request.user, pk=pk)
        return Response(s.HouseholdListSerializer(household).data)
