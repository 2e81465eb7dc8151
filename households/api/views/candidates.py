"""应退未退 and 漏评 through the API (issue 17.3): the two lists, scoped and paginated, and the decision
on a possible omission."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import IdKeysetPagination
from households.models import Household, OmissionDecision, OmissionReview
from households.selectors.candidates import exit_due, omission_candidate_get, omission_candidates
from households.selectors.guarantees import guarantees_met, guarantees_met_many
from households.services.candidates import omission_review_decide


class CandidateSerializer(serializers.ModelSerializer):
    # Declared: left to ModelSerializer, `village_id` became a related field whose queryset the schema
    # generator evaluates (a database query while building the schema, which `check --deploy` runs).
    village_id = serializers.CharField(read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    income = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "file_number",
            "head_name",
            "village_id",
            "village_name",
            "status",
            "status_label",
            "income",
        ]


class ExitDueSerializer(CandidateSerializer):
    guarantees_met_today = serializers.SerializerMethodField()

    class Meta(CandidateSerializer.Meta):
        fields = [*CandidateSerializer.Meta.fields, "guarantees_met_today"]

    def get_guarantees_met_today(self, obj) -> bool:
        met = self.context.get("guarantees_met")  # the page's, read at once by the list view
        return met[obj.pk] if met is not None and obj.pk in met else guarantees_met(obj)


class OmissionCandidateSerializer(CandidateSerializer):
    income_below_line = serializers.BooleanField(read_only=True)
    guarantee_unmet = serializers.BooleanField(read_only=True)

    class Meta(CandidateSerializer.Meta):
        fields = [*CandidateSerializer.Meta.fields, "income_below_line", "guarantee_unmet"]


class OmissionReviewSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    household_status = serializers.CharField(source="household.status", read_only=True)

    class Meta:
        model = OmissionReview
        fields = [
            "id", "household", "household_status", "year", "income", "poverty_line", "income_below_line",
            "guarantee_unmet", "status", "status_label", "reason", "created_at", "updated_at",
        ]  # fmt: skip


class OmissionDecisionInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[OmissionDecision.ENTRY_STARTED, OmissionDecision.DISMISSED])
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    cause = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)


class ExitDueListApi(generics.ListAPIView):
    """应退未退: registered households meeting every exit condition, with no exit procedure."""

    serializer_class = ExitDueSerializer
    queryset = Household.objects.none()
    pagination_class = IdKeysetPagination
    filterset_class = None
    required_permissions = {"GET": ["households.view_procedurecase"]}

    def get_queryset(self):
        return exit_due(actor=self.request.user).order_by("id")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {**self.get_serializer_context(), "guarantees_met": guarantees_met_many(page)}
        return self.get_paginated_response(self.get_serializer(page, many=True, context=context).data)


class OmissionCandidateListApi(generics.ListAPIView):
    """漏评: households not on the poor register whose income or guarantees say they may be poor."""

    serializer_class = OmissionCandidateSerializer
    queryset = Household.objects.none()
    pagination_class = IdKeysetPagination
    filterset_class = None
    required_permissions = {"GET": ["households.view_omissionreview"]}

    def get_queryset(self):
        return omission_candidates(actor=self.request.user).order_by("id")


class OmissionDecideApi(APIView):
    """Decide a possible omission: `entry_started` (an exited household: the 返贫 procedure, with its
    `cause`) or `dismissed` with its `reason`."""

    required_permissions = {"POST": ["households.review_omission"]}

    @extend_schema(request=OmissionDecisionInputSerializer, responses={201: OmissionReviewSerializer})
    def post(self, request, pk: int):
        household = omission_candidate_get(actor=request.user, pk=pk)
        data = OmissionDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = omission_review_decide(household=household, actor=request.user, **data.validated_data)
        return Response(OmissionReviewSerializer(review).data, status=201)
