from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core.scoping import in_scope
from core.web import PageMixin, paginate, querystring_without
from households.models import HouseholdAttribute, HouseholdStatus, PovertyCause

from . import selectors
from .figures import BY_NAME


def chart_data(ov: selectors.Overview) -> dict:
    """What the charts draw; the same numbers are in the tables under them."""
    causes = PovertyCause.choices
    return {
        "causes": [{"name": str(label), "value": int(ov.get("cause", code))} for code, label in causes],
        "trend": {
            "months": [k for k, _ in ov.months("exits_month")],
            "series": [
                {"name": str(BY_NAME[m].label), "data": [int(v) for _, v in ov.months(m)]}
                for m in ("registrations_month", "exits_month", "returns_month")
            ],
        },
        "children": {
            "names": [r.name for r, _ in ov.children],
            "series": [
                {
                    "name": str(_("Registered households")),
                    "data": [int(f.get("households", {}).get("registered", 0)) for _, f in ov.children],
                },
                {
                    "name": str(_("Exited in %(year)s") % {"year": ov.year}),
                    "data": [int(f.get("exits_year", {}).get(str(ov.year), 0)) for _, f in ov.children],
                },
            ],
        },
    }


def kpis(ov: selectors.Overview) -> dict[str, int]:
    year = str(ov.year)
    return {
        "registered_hh": int(ov.get("households", "registered")),
        "registered_people": int(ov.get("people", "registered")),
        "exited_year_hh": int(ov.get("exits_year", year)),
        "exited_year_people": int(ov.get("exit_people_year", year)),
        "exited_hh": int(ov.get("households", "exited")),
        "exited_people": int(ov.get("people", "exited")),
        "returned_hh": int(ov.get("households", "returned")),
        "returned_people": int(ov.get("people", "returned")),
        "poor_villages": int(ov.get("poor_villages", "poor")),
        "exited_villages": int(ov.get("poor_villages", "exited")),
    }


class OverviewView(PageMixin, View):
    permission_required = "dashboard.view_dashboard"

    def get(self, request, code: str | None = None):
        year = request.GET.get("year", "")
        year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None
        ov = selectors.overview(actor=request.user, region_code=code, year=year)
        year = str(ov.year)
        statuses = [
            (s, label, ov.get("households", s), ov.get("people", s)) for s, label in HouseholdStatus.choices
        ]
        context = {
            "ov": ov,
            "k": kpis(ov),
            "years": selectors.years_with_data(ov),
            "crumbs": [r for r in ov.region.ancestors() if in_scope(request.user, r.code)],
            "year": year,
            "statuses": statuses,
            "causes": [(c, label, ov.get("cause", c)) for c, label in PovertyCause.choices],
            "attributes": [(a, label, ov.get("attribute", a)) for a, label in HouseholdAttribute.choices],
            "exits_by_year": sorted(ov.figures.get("exits_year", {}).items()),
            "exit_people_by_year": dict(ov.figures.get("exit_people_year", {})),
            "trend_rows": list(
                zip(
                    [k for k, _ in ov.months("exits_month")],
                    [v for _, v in ov.months("registrations_month")],
                    [v for _, v in ov.months("exits_month")],
                    [v for _, v in ov.months("returns_month")],
                    strict=True,
                )
            ),
            "chart": chart_data(ov),
            "children_rows": [
                (
                    region,
                    f.get("households", {}).get("registered", 0),
                    f.get("people", {}).get("registered", 0),
                    f.get("households", {}).get("returned", 0),
                    f.get("exits_year", {}).get(year, 0),
                    f.get("poor_villages", {}).get("poor", 0),
                )
                for region, f in ov.children
            ],
        }
        return render(request, "dashboard/overview.html", context)


ROW_TEMPLATES = {"household": "dashboard/rows_households.html", "member": "dashboard/rows_members.html",
                 "village": "dashboard/rows_villages.html"}  # fmt: skip


class FigureRowsView(PageMixin, View):
    permission_required = "dashboard.view_dashboard"

    def get(self, request, code: str, metric: str):
        key = request.GET.get("key", "")
        qs = selectors.figure_rows(actor=request.user, region_code=code, metric=metric, key=key)
        region = selectors.region_for(actor=request.user, region_code=code)
        page = paginate(request, qs)
        return render(
            request,
            ROW_TEMPLATES[selectors.ROW_METRICS[metric]],
            {
                "region": region,
                "metric": BY_NAME[metric],
                "key": key,
                "page": page,
                "querystring": querystring_without(request, "page"),
                "back": reverse("dashboard:region", args=[code]),
            },
        )
