"""Pages of the 六个一 board and the three targets (leaders, read-only; county users: their county)."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils import timezone
from django.views import View

from accountability.selectors import sixones
from core.db_replicas import replica_reads
from core.web import PageMixin, paginate, querystring_without
from inspections.targets import Rate

from . import board
from .views import export_url


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


def _month(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        return timezone.localdate().replace(day=1)


@replica_reads
class BoardView(PageMixin, View):
    permission_required = "dashboard.view_dashboard"

    def get(self, request, code: str | None = None):
        year, month = _year(request), _month(request)
        data = board.board_for(actor=request.user, region_code=code, year=year)
        targets = board.targets_for(actor=request.user, region_code=data["region"].code, month=month)
        return render(
            request, "dashboard/board.html", {"b": data, "t": targets, "year": year, "month": month}
        )


@replica_reads
class BoardRowsView(PageMixin, View):
    permission_required = "dashboard.view_dashboard"

    def get(self, request, code: str, line: str):
        year = _year(request)
        county, line_def, qs = board.line_rows(
            actor=request.user, county_code=code, line_code=line, year=year
        )
        page = paginate(request, board._select(line_def, qs))
        headers, cells = board.line_cells(line_def, page)
        figures = sixones.line_figures(line_def, prefix=county.prefix, year=year)
        figure = figures.get(county.code) or Rate(0, 0)
        return render(request, "dashboard/board_rows.html", {
            "county": county, "line": line_def, "year": year, "page": page, "headers": headers,
            "rows": list(zip(page, cells, strict=True)), "figure": figure,
            "querystring": querystring_without(request, "page"),
            "export_url": export_url(request, "dashboard:board_rows_export", code, line),
        })  # fmt: skip


class TargetRowsView(PageMixin, View):
    permission_required = "dashboard.view_dashboard"

    def get(self, request, code: str, target: str):
        month = _month(request)
        data = board.target_rows(actor=request.user, county_code=code, target=target, month=month)
        label = {k: v for k, v, _b in sixones.TARGETS}[target]
        return render(request, "dashboard/board_target_rows.html", {
            "d": data, "label": label, "month": month, "target": target,
            "export_url": export_url(request, "dashboard:board_target_rows_export", code, target),
        })  # fmt: skip
