"""API of reconciliation and the flags for auditors."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import KeysetPagination
from core.models import Region

from ... import selectors
from .. import serializers as s


class _ReconParams(s.serializers.Serializer):
    fund = s.serializers.IntegerField(required=False)
    county = s.serializers.CharField(required=False)
    project = s.serializers.IntegerField(required=False)
    as_of = s.serializers.DateField(required=False)


def reconciliation_target(actor, params: dict) -> dict:
    """fund / county / project from query parameters, each looked up within the actor's scope."""
    from core.scoping import ensure_in_scope

    if params.get("fund"):
        return {"fund": selectors.fund_get(actor=actor, pk=params["fund"])}
    if params.get("project"):
        return {"project": selectors.project_get(actor=actor, pk=params["project"])}
    if params.get("county"):
        county = get_object_or_404(Region, code=params["county"], level="county")
        ensure_in_scope(actor, county.code)
        return {"county": county}
    return {}


class ReconciliationApi(APIView):
    required_permissions = {"GET": ["funds.view_account"]}

    @extend_schema(parameters=[_ReconParams], responses=s.ReconciliationSerializer)
    def get(self, request):
        params = _ReconParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        target = reconciliation_target(request.user, params.validated_data)
        result = selectors.reconciliation(
            actor=request.user, as_of=params.validated_data.get("as_of"), **target
        )
        return Response(s.ReconciliationSerializer(result.as_dict()).data)


# The order of `fund_flags` (payments to households not registered, flags raised by totals, payments
# made twice) as a keyset: rank, booking date, code, then the flagged entry, project or measure id.
_FLAG_RANK = {"household_not_registered": 0, "duplicate_payment": 2}


def _flag_row(flag) -> dict:
    return {
        **dataclasses.asdict(flag),
        "rank": _FLAG_RANK.get(flag.code, 1),
        "on": flag.booked_on or dt.date.min,
        "key": flag.entry_id or flag.project_id or flag.measure_id or 0,
    }


class FlagPagination(KeysetPagination):
    ordering = ("rank", "on", "code", "key")


class FlagListApi(generics.ListAPIView):
    """Everything reconciliation should draw an auditor's eye to, in keyset pages like every list
    (`{next, previous, results}`, `page_size` obeyed): it answered every flag as `{results}`.
    Computed from the payments, not stored: no modification time, so no `updated_after`."""

    serializer_class = s.FlagSerializer
    pagination_class = FlagPagination
    filter_backends = ()  # rows computed in Python: `as_of` is read below, nothing else narrows them
    required_permissions = {"GET": ["funds.view_entry"]}

    @extend_schema(
        parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE, description="Flags as of this date")]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = _ReconParams(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        flags = selectors.fund_flags(actor=self.request.user, as_of=params.validated_data.get("as_of"))
        return [_flag_row(flag) for flag in flags]
