"""Pages of the year's targets (progress, drill-down to the rows) and of the 三个显著提升 trend."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils import timezone
from django.views import View

from core.web import PageMixin, paginate, querystring_without

from . import targets
from .views import export_url


def year_of(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


def month_of(request, name: str) -> dt.date | None:
    try:
        month = dt.date.fromisoformat(request.GET.get(name, "") + "-01")
    except ValueError:
        return None
    return month if 2000 <= month.year <= 2100 else None


class TargetsView(PageMixin, View):
    permission_required = "dashboard.view_dashboard"

    def get(self, request, code: str | None = None):
        year = year_of(request)
        data = targets.targets_for(actor=request.user, region_code=code, year=year)
        this_year = timezone.localdate().year
        return render(request, "dashboard/targets.html", {
            **data, "years": list(range(this_year, this_year - 5, -1)),
            "may_record": request.user.has_perm("households.record_exit_target"),
            "chart": targets.targets_chart(data["current"]),
        })  # fmt: skip


class TargetRowsView(PageMixin, View):
    permission_required = "dashboard.view_dashboard"

    def get(self, request, code: str, kind: str):
        year = year_of(request)
        region, qs = targets.target_rows(actor=request.user, region_code=code, kind=kind, year=year)
        page = paginate(request, qs)
        return render(request, "dashboard/target_rows.html", {
            "region": region, "kind": kind, "year": year, "page": page,
            "querystring": querystring_without(request, "page"),
            "export_url": export_url(request, "dashboard:target_rows_export", code, kind),
        })  # fmt: skip


class TrendView(PageMixin, View):
    permission_required = "dashboard.view_dashboard"

    def get(self, request, code: str | None = None):
        end, baseline = month_of(request, "month"), month_of(request, "baseline")
        trend = targets.trend_for(actor=request.user, region_code=code, end=end, baseline=baseline)
        return render(request, "dashboard/trend.html", {"t": trend, "chart": targets.trend_chart(trend)})
