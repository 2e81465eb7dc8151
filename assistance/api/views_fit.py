"""因户施策 API: the causes each kind answers (a county extends them) and the measures under review
for their cause, each decided. Scoped by the selectors; services refuse with DomainError."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from assistance import selectors, services
from assistance.models import FitDecision, KindCause, MeasureFitReview
from core.api.filters import BaseFilterSet
from core.api.pagination import IdKeysetPagination

from . import serializers as s


class KindCauseListCreateApi(generics.ListAPIView):
    """The defaults (county null) and the extensions of the counties in your scope; POST adds one."""

    serializer_class = s.KindCauseOutputSerializer
    pagination_class = IdKeysetPagination
    queryset = KindCause.objects.none()

    def get_queryset(self):
        defaults = KindCause.objects.filter(county__isnull=True)
        return defaults | selectors.kind_cause_extensions(actor=self.request.user).order_by()

    @extend_schema(request=s.KindCauseInputSerializer, responses={201: s.KindCauseOutputSerializer})
    def post(self, request):
        data = s.KindCauseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.kind_cause_add(actor=request.user, **data.validated_data)
        return Response(s.KindCauseOutputSerializer(row).data, status=status.HTTP_201_CREATED)


class FitReviewFilter(BaseFilterSet):
    decision = django_filters.ChoiceFilter(
        choices=[("open", "open"), *[(c, c) for c in FitDecision.values if c]],
        method="filter_decision", label="open (default: every review), or one decision",
    )  # fmt: skip

    class Meta:
        model = MeasureFitReview
        fields = ["decision"]

    def filter_decision(self, qs, name, value):
        return qs.filter(decision="" if value == "open" else value)


class FitReviewListApi(generics.ListAPIView):
    """Measures that claim a cause their kind does not answer, with each decision."""

    serializer_class = s.FitReviewOutputSerializer
    filterset_class = FitReviewFilter
    pagination_class = IdKeysetPagination
    queryset = MeasureFitReview.objects.none()

    def get_queryset(self):
        return selectors.fit_review_list(actor=self.request.user, filters={"decision": "all"}).order_by()


class FitReviewDecideApi(APIView):
    """Decide a review: narrowed, cancelled, fits or kept (kept and cancelled need a note)."""

    queryset = MeasureFitReview.objects.none()
    required_permissions = {"POST": ["assistance.change_measurefitreview"]}

    @extend_schema(request=s.FitDecisionSerializer, responses=s.FitReviewOutputSerializer)
    def post(self, request, pk: int):
        review = selectors.fit_review_get(actor=request.user, pk=pk)
        data = s.FitDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.fit_review_decide(review=review, actor=request.user, **data.validated_data)
        return Response(
            s.FitReviewOutputSerializer(selectors.fit_review_get(actor=request.user, pk=review.pk)).data
        )
