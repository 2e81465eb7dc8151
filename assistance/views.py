"""Pages: a household's plan (add measures, mark progress, attach evidence), the "missing or
late" work list by village, village work teams, and the Excel export."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from operator import itemgetter

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.history import history_for
from core.models import Region
from core.regions import prefix_from_code as region_prefix
from core.scoping import ensure_in_scope
from core.transitions import next_statuses
from core.uploads import serve_upload
from core.web import PageMixin, add_domain_error, paginate, querystring_without, sort_rows
from households.models import PovertyCause

from . import exports, selectors, services
from .forms import EvidenceForm, MeasureDetailsForm, MeasureForm, PlanForm, TeamForm, TransitionForm
from .models import AssistancePlan, MeasureStatus
from .presenters import detail_lines
from .services.details import FIELDS_OF_KIND


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or selectors.current_year())
    except ValueError:
        raise Http404 from None
    if not 2013 <= year <= 2100:
        raise Http404
    return year


def _region(request, actor) -> Region:
    """The region a list or export is for (default: the actor's own); outside the scope → 404."""
    code = request.GET.get("region") or actor.region_id
    if not code:
        raise Http404
    region = get_object_or_404(Region.objects.select_related("parent__parent__parent__parent"), code=code)
    ensure_in_scope(actor, region.code)
    return region


class PlanView(PageMixin, View):
    """A household's plan for a year: coverage of every cause, measures, quick add, history."""

    permission_required = "assistance.view_assistanceplan"

    def get(self, request, household_id: int):
        household = selectors.household_get(actor=request.user, pk=household_id)
        return self.render_page(request, household, _year(request))

    @staticmethod
    def render_page(
        request, household, year, *, form=None, evidence_form=None, evidence_for=None, status=200,
        details_forms=None,
    ):  # fmt: skip
        details_forms = details_forms or {}
        plan = AssistancePlan.objects.filter(household=household, year=year).first()
        measures = selectors.measures_of_plan(plan=plan) if plan else []
        summary = selectors.plan_summary(household=household, year=year, plan=plan, measures=measures)
        officers = selectors.officer_choices(actor=request.user, household=household)
        members = services.member_choices(household)
        if form is None and plan is not None:
            form = MeasureForm(
                household=household,
                officers=officers,
                members=members,
                initial={
                    # Start from what is still missing: the uncovered causes, the year's end.
                    "causes": [c.code for c in summary.uncovered],
                    "planned_end": dt.date(year, 12, 31),
                    "responsible_officer": household.assistance_officer_id,
                },
            )
        cause_labels = dict(PovertyCause.choices)
        for m in measures:
            m.next_statuses = next_statuses(m, request.user)
            m.cause_labels = [cause_labels.get(c, c) for c in m.causes]
            m.unanswered_labels = [cause_labels.get(c, c) for c in getattr(m, "unanswered", [])]
            m.detail_lines = detail_lines(m)
            m.detail_fields = FIELDS_OF_KIND.get(m.kind, ())
            if m.detail_fields and m.is_open:
                # 因人施策: the facts of its kind, recorded here before the measure is done.
                m.details_form = details_forms.get(m.pk) or MeasureDetailsForm(
                    prefix=f"measure-{m.pk}", members=members,
                    initial={name: getattr(m, name) for name in m.detail_fields},
                )  # fmt: skip
        live = [m for m in measures if m.status != MeasureStatus.CANCELLED]
        history = _merged_history([plan], measures) if plan else []
        context = {
            **_officer_context(request, household, officers),
            "household": household,
            "year": year,
            "plan": plan,
            "summary": summary,
            "measures": measures,
            "form": form,
            "plan_form": PlanForm(initial={"summary": plan.summary if plan else ""}),
            # A refused upload: its form (errors beside the file field) and the measure it was for.
            "evidence_form": evidence_form,
            "evidence_for": evidence_for,
            "status_changes": selectors.status_changes_of_plan(plan=plan) if plan else [],
            "history": history,
            "years": range(selectors.current_year(), 2015, -1),
            "expected_total": sum((m.expected_income_gain for m in live), Decimal(0)),
            "funds_total": sum((m.funds_needed for m in live), Decimal(0)),
            "breadcrumb_trail": [
                (str(household), _household_url(household)),
                (_("Assistance plan %(year)s") % {"year": year}, None),
            ],
            "can_write": not request.user.is_read_only and request.user.has_perm("assistance.add_measure"),
            # The quick-add form shows each kind's own facts only (assistance/measure_form.js).
            "kind_fields_of": {str(kind): names for kind, names in FIELDS_OF_KIND.items()},
            "kind_fields": [name for names in FIELDS_OF_KIND.values() for name in names],
        }
        return render(request, "assistance/plan_detail.html", context, status=status)


def _officer_context(request, household, officers) -> dict:
    """The household's responsible officer on the plan page: who, since when, the history, the form."""
    from .views_fieldwork import HouseholdOfficerForm

    history = list(selectors.assignment_history(household=household)[:20])
    can_assign = not request.user.is_read_only and request.user.has_perm(services.ASSIGN_PERMISSION)
    return {
        "officer_history": history,
        "officer_since": next((a.started_on for a in history if a.ended_on is None), None),
        "officer_form": HouseholdOfficerForm(
            officers=officers, initial={"officer": household.assistance_officer_id}
        )
        if can_assign
        else None,
    }


def _merged_history(*groups, limit: int = 60):
    """history_for() takes objects of one model; merge several models' events, newest first."""
    entries = [e for objs in groups if objs for e in history_for(*objs, limit=limit)]
    return sorted(entries, key=lambda e: e.at, reverse=True)[:limit]


def _household_url(household) -> str | None:
    try:
        return reverse("households:detail", args=[household.pk])
    except NoReverseMatch:
        return None


def _plan_url(plan: AssistancePlan) -> str:
    return f"{reverse('assistance:plan', args=[plan.household_id])}?year={plan.year}"


class PlanCreateView(PageMixin, View):
    permission_required = "assistance.add_assistanceplan"

    def post(self, request, household_id: int):
        household = selectors.household_get(actor=request.user, pk=household_id)
        year = _year(request)
        try:
            plan = services.plan_create(
                household=household, year=year, actor=request.user, summary=request.POST.get("summary", "")
            )
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect(f"{reverse('assistance:plan', args=[household.pk])}?year={year}")
        messages.success(request, _("Plan created. Add a measure for every poverty cause."))
        return redirect(_plan_url(plan))


class PlanEditView(PageMixin, View):
    permission_required = "assistance.change_assistanceplan"

    def post(self, request, pk: int):
        plan = selectors.plan_get(actor=request.user, pk=pk)
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                services.plan_update(
                    plan=plan, actor=request.user, data={"summary": form.cleaned_data["summary"]}
                )
            except DomainError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(request, _("Plan saved."))
        return redirect(_plan_url(plan))


class MeasureAddView(PageMixin, View):
    permission_required = "assistance.add_measure"

    def post(self, request, pk: int):
        plan = selectors.plan_get(actor=request.user, pk=pk)
        household = plan.household
        officers = selectors.officer_choices(actor=request.user, household=household)
        form = MeasureForm(
            request.POST, household=household, officers=officers, members=services.member_choices(household)
        )
        if form.is_valid():
            try:
                services.measure_add(plan=plan, actor=request.user, **form.service_data())
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Measure added."))
                return redirect(_plan_url(plan) + "#add-measure")
        household = selectors.household_get(actor=request.user, pk=household.pk)
        return PlanView.render_page(request, household, plan.year, form=form, status=400)


class MeasureTransitionView(PageMixin, View):
    permission_required = "assistance.change_measure"

    def post(self, request, pk: int):
        measure = selectors.measure_get(actor=request.user, pk=pk)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a valid status."))
        else:
            try:
                services.measure_transition(
                    measure=measure, to_status=form.cleaned_data["status"], actor=request.user,
                    reason=form.cleaned_data["reason"], actual_income_gain=form.cleaned_data["actual_income_gain"],
                )  # fmt: skip
            except DomainError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(request, _("Status changed."))
        return redirect(_plan_url(measure.plan) + f"#measure-{measure.pk}")


class EvidenceUploadView(PageMixin, View):
    """A refused file re-renders the plan page (400) with the error beside that measure's file field."""

    permission_required = "assistance.add_evidence"
    upload_fields = ("file",)  # core.uploads, in evidence_attach

    def post(self, request, pk: int):
        measure = selectors.measure_get(actor=request.user, pk=pk)
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.evidence_attach(
                    measure=measure, actor=request.user, upload=form.cleaned_data["file"],
                    note=form.cleaned_data["note"],
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Evidence attached."))
                return redirect(_plan_url(measure.plan) + f"#measure-{measure.pk}")
        household = selectors.household_get(actor=request.user, pk=measure.plan.household_id)
        return PlanView.render_page(
            request, household, measure.plan.year, evidence_form=form, evidence_for=measure.pk, status=400
        )


class EvidenceDownloadView(PageMixin, View):
    """Files are never served from MEDIA_URL: only here, after the scope check."""

    permission_required = "assistance.view_evidence"

    def get(self, request, pk: int):
        evidence = selectors.evidence_get(actor=request.user, pk=pk)
        # Content type from the stored bytes; scripts can never run (core.uploads).
        return serve_upload(evidence.file.name, download_name=evidence.original_name)


# The work list's by-village table sorts by any column (core.web.sort_rows): its rows are a region's
# villages, already counted in one pass.
WORKLIST_VILLAGE_ORDER = {
    "village": itemgetter("village_id"),
    **{
        key: itemgetter(key)
        for key in ("households", "no_plan", "late", "relief", "no_officer", "visit_overdue")
    },
    "uncovered": itemgetter("uncovered_n"),
}


class WorklistView(PageMixin, View):
    """Per village: households with no plan this year, a cause left uncovered, or late measures."""

    permission_required = "assistance.view_assistanceplan"

    def get(self, request):
        region = _region(request, request.user)
        year = _year(request)
        flag = request.GET.get("flag") if request.GET.get("flag") in selectors.Flag.ALL else None
        village = request.GET.get("village") or None
        if village:
            ensure_in_scope(request.user, village)
        by_village = selectors.worklist_by_village(
            actor=request.user, year=year, region=region.code, flag=flag
        )
        rows = selectors.worklist(actor=request.user, year=year, region=village or region.code, flag=flag)
        if village is None or village.startswith(region_prefix(region.code)):
            # The per-village counts give the page count and the villages a page spans.
            counts = [
                (v["village_id"], v["flagged"]) for v in by_village if village in (None, v["village_id"])
            ]
            rows = selectors.WorklistRows(rows, counts)
        page = paginate(request, rows)
        by_village_shown, sorting = sort_rows(request, by_village, WORKLIST_VILLAGE_ORDER, "village")
        labels = dict(PovertyCause.choices)
        for hh in page:
            hh.uncovered_labels = [labels.get(c, c) for c in hh.uncovered]
            hh.relief_labels = [labels.get(c, c) for c in hh.relief_missing]
        context = {
            "region": region,
            "year": year,
            "flag": flag,
            "village": village,
            # Shown in the order its headers ask for (a region's villages: a small table, in memory);
            # the household rows below keep the village order their pages are counted in.
            "by_village": by_village_shown,
            "sorting": sorting,
            # 应保尽保: the county's (region's) count, from the same pass as the village rows.
            "relief_total": sum(v["relief"] for v in by_village),
            "page": page,
            "querystring": querystring_without(request, "page"),
            "years": range(selectors.current_year(), 2015, -1),
            "flags": [
                (selectors.Flag.NO_PLAN, _("no plan this year")),
                (selectors.Flag.UNCOVERED, _("cause uncovered")),
                (selectors.Flag.LATE, _("measure late")),
                (selectors.Flag.RELIEF, _("no relief (relief for all who qualify)")),
                (selectors.Flag.NO_OFFICER, _("no responsible officer")),
                (selectors.Flag.VISIT_OVERDUE, _("visit overdue")),
            ],
        }
        return render(request, "assistance/worklist.html", context)


class TeamListView(PageMixin, View):
    permission_required = "assistance.view_villageteam"

    def get(self, request):
        page = paginate(
            request, selectors.team_list(actor=request.user).order_by("-start_date", "name", "id")
        )
        return render(
            request,
            "assistance/team_list.html",
            {"page": page, "querystring": querystring_without(request, "page")},
        )


class TeamDetailView(PageMixin, View):
    permission_required = "assistance.view_villageteam"

    def get(self, request, pk: int):
        team = selectors.team_get(actor=request.user, pk=pk)
        history = _merged_history([team], list(team.served.all()), list(team.memberships.all()))
        return render(request, "assistance/team_detail.html", {"team": team, "history": history})


class TeamFormView(PageMixin, View):
    """Register a team (no pk) or change one; the county organisation department's clerk does this."""

    permission_required = ("assistance.add_villageteam", "assistance.change_villageteam")

    def _form(self, request, team=None, data=None):
        initial = {}
        if team is not None:
            initial = {
                "name": team.name, "dispatching_unit": team.dispatching_unit_id,
                "first_secretary": team.first_secretary_id, "start_date": team.start_date, "end_date": team.end_date,
                "villages": [tv.village_id for tv in team.served.all()],
                "members": [m.officer_id for m in team.memberships.all()],
            }  # fmt: skip
        return TeamForm(data, initial=initial, **selectors.team_form_choices(actor=request.user))

    def _render(self, request, form, team, status=200):
        return render(request, "assistance/team_form.html", {"form": form, "team": team}, status=status)

    def get(self, request, pk: int | None = None):
        team = selectors.team_get(actor=request.user, pk=pk) if pk else None
        return self._render(request, self._form(request, team), team)

    def post(self, request, pk: int | None = None):
        team = selectors.team_get(actor=request.user, pk=pk) if pk else None
        form = self._form(request, team, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["villages"], data["members"] = list(data["villages"]), list(data["members"])
            try:
                if team is None:
                    team = services.team_create(actor=request.user, **data)
                else:
                    services.team_update(team=team, actor=request.user, data=data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Work team saved."))
                return redirect("assistance:team_detail", pk=team.pk)
        return self._render(request, form, team, status=400)


class ExportView(PageMixin, View):
    permission_required = "assistance.view_assistanceplan"

    def get(self, request):
        region = _region(request, request.user)
        year = _year(request)
        body = exports.export_plans(actor=request.user, region=region.code, year=year)
        response = HttpResponse(
            body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        filename = f"帮扶方案-{region.name}-{year}.xlsx"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response


class CoverageView(PageMixin, View):
    """Villages with registered households and no current work team are flagged (增派帮扶工作队)."""

    permission_required = "assistance.view_villageteam"

    def get(self, request):
        only_flagged = request.GET.get("flag") != "all"
        qs = selectors.village_coverage(actor=request.user)
        if only_flagged:
            qs = qs.filter(has_team=False)
        page = paginate(request, qs.order_by("code"))
        return render(request, "assistance/coverage.html", {
            "page": page, "only_flagged": only_flagged, "querystring": querystring_without(request, "page"),
            "uncovered": selectors.uncovered_villages(actor=request.user).count(),
        })  # fmt: skip
