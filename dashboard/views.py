from __future__ import annotations

from decimal import Decimal

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View

from accountability.models import AccountabilityCase
from core.db_replicas import replica_reads
from core.pii import mask_id_numbers
from core.scoping import in_scope
from core.templatetags.core_tags import yuan
from core.web import PageMixin, paginate, querystring_without
from households.models import HouseholdAttribute, HouseholdStatus, PoorVillageStatus, PovertyCause
from inspections.models import FindingCategory, ItemStatus

from . import selectors
from .figures import BY_NAME

CASE_STATUSES = AccountabilityCase._meta.get_field("status").choices


def chart_data(ov: selectors.Overview) -> dict:
    """What the charts draw; the same numbers are in the tables under them."""
    causes = PovertyCause.choices
    return {
        "causes": [{"name": str(label), "value": int(ov.get("cause", code))} for code, label in causes],
        # Every axis names its unit (issue 21: STYLE.md, a unit on every chart axis).
        "trend": {
            "unit": pgettext("axis unit", "households"),
            "months": [k for k, _ in ov.months("exits_month")],
            "series": [
                {"name": str(BY_NAME[m].label), "data": [int(v) for _, v in ov.months(m)]}
                for m in ("registrations_month", "exits_month", "returns_month")
            ],
        },
        "findings": [
            {"name": str(label), "value": int(ov.get("findings", code))}
            for code, label in FindingCategory.choices
        ],
        "money_trend": {
            "unit": pgettext("axis unit", "yuan"),
            "months": [k for k, _ in ov.months("fund_disbursed_month")],
            "data": [float(v) for _, v in ov.months("fund_disbursed_month")],
            "name": str(BY_NAME["fund_disbursed_month"].label),
        },
        "children": {
            "unit": pgettext("axis unit", "households"),
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


def _rate(part, whole):
    return (Decimal(part) / Decimal(whole)) if whole else None


def coverage(ov: selectors.Overview) -> dict:
    covered, uncovered, no_plan = (
        int(ov.get("plan_coverage", k)) for k in ("covered", "uncovered", "no_plan")
    )
    needs = covered + uncovered + no_plan
    return {"needs": needs, "covered": covered, "uncovered": uncovered, "no_plan": no_plan,
            "late": int(ov.get("late_plans")), "rate": _rate(covered, needs)}  # fmt: skip


def money(ov: selectors.Overview) -> dict:
    budget, allocated, disbursed = (ov.get(m) for m in ("fund_budget", "fund_allocated", "fund_disbursed"))
    return {
        "budget": budget,
        "allocated": allocated,
        "disbursed": disbursed,
        "rate": _rate(disbursed, allocated),
    }


def inspection(ov: selectors.Overview) -> dict:
    items = {k: int(ov.get("rectification", k)) for k in ("open", "submitted", "closed", "overdue")}
    total = sum(items.values())
    return {
        "findings": [(c, label, int(ov.get("findings", c))) for c, label in FindingCategory.choices],
        "findings_total": int(ov.total("findings")),
        "items": items,
        "items_total": total,
        "completion": _rate(items["closed"], total),
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


@replica_reads
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
            "coverage": coverage(ov),
            "money": money(ov),
            "inspection": inspection(ov),
            "ranking": selectors.county_ranking(ov) if len(ov.region.prefix) <= 4 else [],
            "cases": [(code, label, ov.get("cases", code)) for code, label in CASE_STATUSES],
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


def export_url(request, name: str, *args) -> str:
    """The .xlsx of a drill-down list: the same rows, every page (dashboard.export_views)."""
    query = querystring_without(request, "page", "per_page", "sort")
    return reverse(name, args=args) + (f"?{query}" if query else "")


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def generic_rows(kind: str, page) -> tuple[list[str], list[list[tuple[str, str]]]]:
    """Headers and cells (text, link) for the row kinds of the other apps."""
    if kind == "line":
        headers = [_("Date"), _("Entry"), pgettext("fund account", "Account"), _("Debit"), _("Credit")]
        rows = [
            [(f"{x.entry.booked_on:%Y-%m-%d}", ""), (x.entry.get_kind_display(), _url("funds:entry_detail", x.entry_id)),
             (x.account.name, _url("funds:account_ledger", x.account_id)), (yuan(x.debit), ""), (yuan(x.credit), "")]
            for x in page
        ]  # fmt: skip
    elif kind == "finding":
        headers = [_("Confirmed"), _("Category"), _("Severity"), _("Place"), _("Description")]
        rows = [
            [(f"{timezone.localtime(f.confirmed_at):%Y-%m-%d}" if f.confirmed_at else "—", ""),
             (f.get_category_display(), _url("inspections:finding_detail", f.pk)), (f.get_severity_display(), ""),
             (f.region.name, ""), (mask_id_numbers(f.description)[:80], "")]
            for f in page
        ]  # fmt: skip
    elif kind == "item":
        headers = [_("Deadline"), _("Status"), _("Responsible unit"), _("Place"), _("Rectification")]
        rows = [
            [(f"{i.deadline:%Y-%m-%d}", ""), (i.get_status_display(), _url("inspections:item_detail", i.pk)),
             (i.responsible_unit.name, ""), (i.region.name, ""), (mask_id_numbers(i.description)[:80], "")]
            for i in page
        ]  # fmt: skip
    else:  # case
        headers = [_("Opened"), _("Type"), _("Status"), _("Subject"), _("Region")]
        rows = [
            [(f"{c.opened_on:%Y-%m-%d}", ""), (c.get_case_type_display(), _url("accountability:case_detail", c.pk)),
             (c.get_status_display(), ""), (str(c.subject_officer or c.subject_unit or "—"), ""), (c.region.name, "")]
            for c in page
        ]  # fmt: skip
    return headers, rows


def key_labels(metric: str) -> dict:
    """A figure's keys in words (the choice labels the overview shows), for its rows' heading: the
    households of status `registered` read 在册, not the code. Years and months read as they are."""
    by_metric = {
        "households": HouseholdStatus.choices,
        "people": HouseholdStatus.choices,
        "cause": PovertyCause.choices,
        "attribute": HouseholdAttribute.choices,
        "poor_villages": PoorVillageStatus.choices,
        "findings": FindingCategory.choices,
        "rectification": [*ItemStatus.choices, ("overdue", _("overdue"))],
        "cases": CASE_STATUSES,
        "plan_coverage": [
            ("covered", _("Every cause covered")),
            ("uncovered", _("A cause left uncovered")),
            ("no_plan", _("No plan yet")),
        ],
    }
    return {code: str(label) for code, label in by_metric.get(metric, [])}


@replica_reads
class FigureRowsView(PageMixin, View):
    permission_required = "dashboard.view_dashboard"

    def get(self, request, code: str, metric: str):
        key = request.GET.get("key", "")
        qs = selectors.figure_rows(actor=request.user, region_code=code, metric=metric, key=key)
        region = selectors.region_for(actor=request.user, region_code=code)
        page = paginate(request, qs)
        kind = selectors.ROW_METRICS[metric]
        headers, rows = ([], []) if kind in ROW_TEMPLATES else generic_rows(kind, page)
        return render(
            request,
            ROW_TEMPLATES.get(kind, "dashboard/rows_generic.html"),
            {
                "headers": headers,
                "rows": rows,
                "region": region,
                "metric": BY_NAME[metric],
                "key": key,
                "key_label": key_labels(metric).get(key, key),
                "page": page,
                "querystring": querystring_without(request, "page"),
                "back": reverse("dashboard:region", args=[code]),
                "export_url": export_url(request, "dashboard:rows_export", code, metric),
            },
        )
