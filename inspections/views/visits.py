"""Pages of covert visits: plans and their draw, visit reports, and the phone filing page."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views import View

from core.exceptions import DomainError
from core.models import Region
from core.scoping import scope
from core.transitions import can_transition
from core.web import PageMixin, add_domain_error, paginate, querystring_without

from .. import draw, selectors, services
from ..forms import PlanDrawForm
from ..models import FindingCategory, PlanStatus, ReportStatus, Severity
from .common import active_units, page_filters


class PlanListView(PageMixin, View):
    permission_required = "inspections.view_visitplan"

    def get(self, request):
        filters = page_filters(request, "q", "status", ids=("group",))
        qs = (
            selectors.plan_list(actor=request.user, filters=filters)
            .annotate(n_targets=Count("targets"))
            .order_by("-month", "group_id", "county_id")
        )
        return render(request, "inspections/plan_list.html", {
            "page": paginate(request, qs), "filters": filters, "statuses": PlanStatus.choices,
            "querystring": querystring_without(request, "page"), "can_draw": selectors.sees_secrets(request.user) and request.user.has_perm("inspections.add_visitplan"),
        })  # fmt: skip


class PlanCreateView(PageMixin, View):
    permission_required = "inspections.add_visitplan"

    def _form(self, request, data=None):
        counties = scope(Region.objects.filter(level="county"), actor=request.user, field="code").order_by(
            "code"
        )
        departments = active_units(request.user).filter(kind="department", region__level="city")
        return PlanDrawForm(
            data,
            counties=counties,
            groups=selectors.group_list(actor=request.user).filter(is_active=True),
            departments=departments,
        )

    def get(self, request):
        if not selectors.sees_secrets(request.user):
            raise Http404
        return render(request, "inspections/plan_form.html", {"form": self._form(request)})

    def post(self, request):
        if not selectors.sees_secrets(request.user):
            raise Http404
        form = self._form(request, request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                plan = services.visit_plan_draw(
                    actor=request.user, group=d["group"], county=d["county"], month=d["month"],
                    department=d.get("department"), counts={k: d[k] for k in ("townships", "villages_per_township", "households_per_village")},
                )  # fmt: skip
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Targets drawn. Keep this plan confidential."))
                return redirect("inspections:plan_detail", pk=plan.pk)
        return render(request, "inspections/plan_form.html", {"form": form}, status=400)


# A plan's draw in words: its algorithm, weights and counts are stored as the draw read them (codes and
# an English formula, so that the draw can be re-run); people read these.
ALGORITHMS = {
    draw.ALGORITHM_V1: pgettext_lazy("draw", "weighted random sampling without replacement (version 1)"),
    draw.ALGORITHM_V2: pgettext_lazy(
        "draw", "weighted random sampling without replacement (version 2: with village work teams)"
    ),
}
WEIGHTS = {
    draw.ALGORITHM_V1: pgettext_lazy(
        "draw",
        "township: 1 + open problems; village: 1 + open problems, + 1 for a poor village; "
        "household: 1 + 2 × open problems",
    ),
    draw.ALGORITHM_V2: pgettext_lazy(
        "draw",
        "township: 1 + open problems; village: 1 + open problems, + 1 for a poor village; "
        "household: 1 + 2 × open problems; work team: 1 + earlier absences of its first secretary",
    ),
}
COUNTS = {
    "townships": pgettext_lazy("draw", "townships"),
    "villages_per_township": pgettext_lazy("draw", "villages per township"),
    "households_per_village": pgettext_lazy("draw", "households per village"),
    "teams": pgettext_lazy("draw", "work teams"),
}


def draw_facts(plan) -> dict:
    version = plan.algorithm_version
    counts = (plan.draw_inputs or {}).get("counts") or {}
    return {
        "algorithm": ALGORITHMS.get(version, version),
        "weights": WEIGHTS.get(version, (plan.draw_inputs or {}).get("weights", "")),
        "counts": [(COUNTS.get(key, key), value) for key, value in counts.items()],
    }


class PlanDetailView(PageMixin, View):
    permission_required = "inspections.view_visitplan"

    def get(self, request, pk: int):
        plan = selectors.plan_get(actor=request.user, pk=pk)
        verify = None
        if request.GET.get("verify"):
            matches, redrawn, _stored = services.visit_plan_verify_draw(plan=plan)
            verify = {"matches": matches, "count": len(redrawn)}
        can_file = selectors.is_inspector(request.user) and selectors.sees_secrets(request.user)
        return render(request, "inspections/plan_detail.html", {
            "plan": plan, "targets": selectors.plan_targets(actor=request.user, plan=plan), "verify": verify,
            "draw": draw_facts(plan),
            "reports": selectors.report_list(actor=request.user).filter(plan=plan),
            "can_file": can_file, "can_file_visit": can_file and can_transition(plan, PlanStatus.FILED),
            "changes": selectors.status_changes(actor=request.user, obj=plan),
        })  # fmt: skip


class ReportListView(PageMixin, View):
    permission_required = "inspections.view_visitreport"

    def get(self, request):
        filters = page_filters(request, "q", "status")
        qs = (
            selectors.report_list(actor=request.user, filters=filters)
            .annotate(n_findings=Count("findings"))
            .order_by("-visit_date", "-id")
        )
        return render(request, "inspections/report_list.html", {
            "page": paginate(request, qs), "filters": filters, "statuses": ReportStatus.choices,
            "querystring": querystring_without(request, "page"),
            "can_file": selectors.is_inspector(request.user) and selectors.sees_secrets(request.user),
        })  # fmt: skip


class ReportDetailView(PageMixin, View):
    permission_required = "inspections.view_visitreport"

    def get(self, request, pk: int):
        report = selectors.report_get(actor=request.user, pk=pk)
        return render(request, "inspections/report_detail.html", {
            "report": report,
            "findings": report.findings.select_related("region", "responsible_unit", "household").prefetch_related("photos"),
            "households": report.households_visited.all(),
            "can_file": selectors.is_inspector(request.user) and not request.user.is_read_only
            and can_transition(report, ReportStatus.FILED),
            "changes": selectors.status_changes(actor=request.user, obj=report),
        })  # fmt: skip

    def post(self, request, pk: int):
        report = selectors.report_get(actor=request.user, pk=pk)
        try:
            services.visit_report_file(actor=request.user, report=report)
            messages.success(request, _("Report filed. The county can now see the visit and its findings."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("inspections:report_detail", pk=report.pk)


class ReportFilingView(PageMixin, View):
    """The phone page: works offline, keeps the draft (photos included) in IndexedDB, sends it later."""

    permission_required = "inspections.add_visitreport"

    def get(self, request):
        if not selectors.sees_secrets(request.user) or not selectors.is_inspector(request.user):
            raise Http404
        plans = (
            selectors.plan_list(actor=request.user).filter(status=PlanStatus.PLANNED).order_by("-month")[:20]
        )
        counties = scope(Region.objects.filter(level="county"), actor=request.user, field="code").order_by(
            "code"
        )
        return render(request, "inspections/report_file.html", {
            "plans": plans, "counties": counties, "categories": FindingCategory.choices,
            "severities": Severity.choices,
            "units": active_units(request.user).select_related("region")[:1000],
        })  # fmt: skip


def service_worker(request):
    """The filing page's service worker, served from /inspections/ so its scope covers the page."""
    from django.contrib.staticfiles import finders
    from django.http import HttpResponse

    path = finders.find("inspections/sw.js")
    with open(path, "rb") as fh:
        response = HttpResponse(fh.read(), content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/inspections/"
    response["Cache-Control"] = "no-cache"
    return response
