from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboard import selectors

from .serializers import OverviewSerializer

REGION_PARAM = OpenApiParameter("region", str, description="12-digit region code; default: your own region")


class OverviewApi(APIView):
    """Every dashboard figure for a region, with the same figures for each child region."""

    required_permissions = {"GET": ["dashboard.view_dashboard"]}

    @extend_schema(parameters=[REGION_PARAM], responses=OverviewSerializer)
    def get(self, request):
        ov = selectors.overview(actor=request.user, region_code=request.query_params.get("region"))
        data = {
            "region": ov.region,
            "as_of": ov.as_of,
            "figures": ov.figures,
            "children": [{"region": r, "figures": f} for r, f in ov.children],
        }
        return Response(OverviewSerializer(data).data)
