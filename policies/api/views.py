"""REST API for policies: the policy system, tasks with their overdue flag, evidence. Scoped."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import BaseFilterSet
from policies import selectors, services
from policies.models import Policy, PolicyTask, TaskStatus

from . import serializers as s


class PolicyListApi(generics.ListAPIView):
    """Policies concerning your region, with counts of your tasks (implemented, overdue)."""

    serializer_class = s.PolicySerializer
    queryset = Policy.objects.none()
    required_permissions = {"GET": ["policies.view_policy"]}

    def get_queryset(self):
        return selectors.policy_list(actor=self.request.user).prefetch_related("departments")


class TaskFilter(BaseFilterSet):
    policy = django_filters.NumberFilter(field_name="policy_id")
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices)
    overdue = django_filters.BooleanFilter(
        field_name="is_overdue", label="Only tasks past deadline without evidence"
    )

    class Meta:
        model = PolicyTask
        fields = ["policy", "status"]


class TaskListApi(generics.ListAPIView):
    serializer_class = s.TaskSerializer
    filterset_class = TaskFilter
    queryset = PolicyTask.objects.none()
    required_permissions = {"GET": ["policies.view_policytask"]}

    def get_queryset(self):
        return selectors.task_list(actor=self.request.user).prefetch_related(
            "evidence", "rectification_items"
        )


class TaskDetailApi(APIView):
    required_permissions = {"GET": ["policies.view_policytask"]}

    @extend_schema(responses=s.TaskSerializer)
    def get(self, request, pk: int):
        return Response(s.TaskSerializer(selectors.task_get(actor=request.user, pk=pk)).data)


class TaskEvidenceApi(APIView):
    """Attach an implementing document (file or link): the task becomes implemented."""

    required_permissions = {"POST": ["policies.add_policyevidence"]}
    parser_classes = [MultiPartParser]
    upload_fields = ("file",)  # core.uploads, in policy_task_add_evidence

    @extend_schema(request=s.EvidenceInputSerializer, responses={201: s.TaskSerializer})
    def post(self, request, pk: int):
        task = selectors.task_get(actor=request.user, pk=pk)
        data = s.EvidenceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.policy_task_add_evidence(
            task=task, actor=request.user, title=data.validated_data["title"],
            url=data.validated_data.get("url", ""), upload=data.validated_data.get("file"),
        )  # fmt: skip
        return Response(
            s.TaskSerializer(selectors.task_get(actor=request.user, pk=pk)).data,
            status=status.HTTP_201_CREATED,
        )
