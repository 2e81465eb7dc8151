"""The year's targets with progress (issue 18.5) and the 三个显著提升 trend (issue 19.11) as JSON."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import read_query
from dashboard import targets
from dashboard.api.params import DashboardParams
from dashboard.target_views import month_of, year_of
from inspections.survey_trend import trend_as_json

REGION = OpenApiParameter("region", str, description="12-digit region code; default: your own region")


class TargetsApi(APIView):
    """This year's targets (city or county) against what the register counts, by county, and the year
    before with the results recorded for it (labelled `recorded`)."""

    required_permissions = {"GET": ["dashboard.view_dashboard"]}

    @extend_schema(parameters=[REGION, OpenApiParameter("year", int)], responses={200: dict})
    def get(self, request):
        read_query(request, DashboardParams)  # a malformed year or month is a 400 naming it
        data = targets.targets_for(
            actor=request.user, region_code=request.query_params.get("region"), year=year_of(request._request)
        )
        return Response({
            "region": data["region"].code, "year": data["year"],
            "current": targets.progress_json(data["current"]), "previous": targets.progress_json(data["previous"]),
        })  # fmt: skip


class TrendApi(APIView):
    """Recognition and satisfaction month by month, each with its sample size, against a baseline."""

    required_permissions = {"GET": ["dashboard.view_dashboard"]}

    @extend_schema(
        parameters=[REGION, OpenApiParameter("month", str, description="YYYY-MM, the last month shown"),
                    OpenApiParameter("baseline", str, description="YYYY-MM; default: the first month with answers")],
        responses={200: dict},
    )  # fmt: skip
    def get(self, request):
        read_query(request, DashboardParams)  # a malformed year or month is a 400 naming it
        trend = targets.trend_for(
            actor=request.user, region_code=request.query_params.get("region"),
            end=month_of(request._request, "month"), baseline=month_of(request._request, "baseline"),
        )  # fmt: skip
        return Response({"region": trend["region"].code, **trend_as_json(trend)})
