"""API of reconciliation and the flags for auditors."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

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


class FlagListApi(APIView):
    required_permissions = {"GET": ["funds.view_entry"]}

    @extend_schema(parameters=[OpenApiParameter("as_of", str)], responses=s.FlagSerializer(many=True))
    def get(self, request):
        params = _ReconParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        flags = selectors.fund_flags(actor=request.user, as_of=params.validated_data.get("as_of"))
        return Response({"results": s.FlagSerializer(flags, many=True).data})
