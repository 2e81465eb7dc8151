from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accountability.selectors import sixones
from core.api.filters import read_query
from dashboard import board
from dashboard.api.params import DashboardParams

PARAMS = [
    OpenApiParameter("region", str, description="12-digit region code; default: your own region"),
    OpenApiParameter("year", int, description="Year of the 六个一 board; default: this year"),
    OpenApiParameter("month", str, description="YYYY-MM of the three targets; default: this month"),
]


class BoardApi(APIView):
    """The 六个一 board (part/whole per county per line) and the three targets of the month."""

    required_permissions = {"GET": ["dashboard.view_dashboard"]}

    @extend_schema(parameters=PARAMS, responses={200: dict})
    def get(self, request):
        from dashboard.board_views import _month, _year

        read_query(request, DashboardParams)  # a malformed year or month is a 400 naming it

        year, month = _year(request._request), _month(request._request)
        data = board.board_for(actor=request.user, region_code=request.query_params.get("region"), year=year)
        targets = board.targets_for(actor=request.user, region_code=data["region"].code, month=month)
        return Response(
            {"region": data["region"].code, "as_of": timezone.now(), **sixones.as_json(data, targets)}
        )
