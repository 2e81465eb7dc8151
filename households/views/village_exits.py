"""贫困村退出 pages (issue 18.4): the poor villages with their exit, a village's page (its registered
population per year, its exit procedure with the criteria as measured and the evidence), each step
of the exit, the evidence files. Reads through selectors.village_exits, writes through
services.village_exits."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.exceptions import DomainError
from core.uploads import serve_upload
from core.web import PageMixin, add_domain_error, paginate, querystring_without

from ..forms import MultipleFileField, StepForm
from ..models import VILLAGE_EXIT_STEPS, InfrastructureItem, PoorVillageStatus, Step
from ..selectors.village_exits import (
    evidence_get,
    poor_village_get,
    poor_village_list,
    village_exit_cases,
    village_figures,
    village_populations,
)
from ..services.village_exits import open_village_case, village_exit_step_record, village_population_record

STEPS = (*VILLAGE_EXIT_STEPS, Step.OBJECTION)
ITEM_FIELDS = tuple(f"evidence_{item}" for item in InfrastructureItem.values)


class VillageListView(PageMixin, View):
    """The poor villages in the reader's scope: poor or exited (with the year), the exit in progress."""

    permission_required = "households.view_poorvillage"

    def get(self, request):
        status = request.GET.get("status", "")
        if status not in PoorVillageStatus.values:
            status = ""
        page = paginate(request, poor_village_list(actor=request.user, status=status), per_page=50)
        return render(
            request,
            "households/village_list.html",
            {
                "page": page, "status": status, "statuses": PoorVillageStatus.choices,
                "step_labels": dict(Step.choices), "querystring": querystring_without(request, "page"),
            },
        )  # fmt: skip


class PopulationForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    registered_population = forms.IntegerField(label=gettext_lazy("Registered population"), min_value=1)


def _may_run(user) -> bool:
    return user.has_perm("households.run_village_exit") and not user.is_read_only


class VillageDetailView(PageMixin, View):
    permission_required = "households.view_poorvillage"

    def get(self, request, code: str, population_form=None, status=200):
        poor_village = poor_village_get(actor=request.user, code=code)
        case = open_village_case(poor_village)
        form = population_form or PopulationForm(initial={"year": timezone.localdate().year})
        return render(
            request,
            "households/village_detail.html",
            {
                "pv": poor_village, "cases": village_exit_cases(poor_village=poor_village), "open_case": case,
                "next_step": case.next_step if case else (Step.VERIFICATION if poor_village.status == PoorVillageStatus.POOR else None),
                "figures": village_figures(village_code=poor_village.village_id),
                "populations": village_populations(village_code=poor_village.village_id),
                "population_form": form, "may_run": _may_run(request.user), "steps": VILLAGE_EXIT_STEPS,
                "item_labels": dict(InfrastructureItem.choices),
                "may_see_evidence": request.user.has_perm("households.view_villageexitcase"),
            },
            status=status,
        )  # fmt: skip


class VillagePopulationView(PageMixin, View):
    permission_required = "households.run_village_exit"

    def post(self, request, code: str):
        poor_village = poor_village_get(actor=request.user, code=code)
        form = PopulationForm(request.POST)
        if form.is_valid():
            try:
                village_population_record(
                    actor=request.user, village=poor_village.village, **form.cleaned_data
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Registered population recorded."))
                return redirect("households:village_detail", code=code)
        return VillageDetailView().get(request, code, population_form=form, status=400)


def _step_form(step: str, *args) -> StepForm:
    form = StepForm(*args, step=step)
    form.fields.pop("household_agrees", None)
    if step == Step.VERIFICATION:
        form.fields["year"].label = gettext_lazy("Exit year")
        form.fields["year"].initial = timezone.localdate().year
        form.fields["year"].required = True
        form.fields["collective_income"] = forms.DecimalField(
            label=gettext_lazy("Collective income of the year (yuan)"), min_value=0, decimal_places=2,
            max_digits=12,
        )  # fmt: skip
        for item, label in InfrastructureItem.choices:
            form.fields[f"evidence_{item}"] = MultipleFileField(
                label=_("Evidence: %(item)s") % {"item": label}, required=False
            )
        form.fields["files"].label = gettext_lazy("Other papers")
        form.order_fields(["date", "year", "collective_income", *ITEM_FIELDS, "note", "files"])
    if step == Step.TOWNSHIP_REVIEW:
        form.fields["approved"].label = gettext_lazy("The township approves the exit")
    return form


class VillageExitStepView(PageMixin, View):
    permission_required = "households.run_village_exit"
    template = "households/village_exit_step.html"
    upload_fields = ("files", *ITEM_FIELDS)  # checked and stored by core.uploads (village_exit_step_record)

    def _context(self, poor_village, step, form):
        return {
            "pv": poor_village, "step": step, "step_label": dict(Step.choices)[step], "form": form,
            "steps": VILLAGE_EXIT_STEPS, "case": open_village_case(poor_village),
            "figures": village_figures(village_code=poor_village.village_id),
        }  # fmt: skip

    def get(self, request, code: str, step: str):
        poor_village = poor_village_get(actor=request.user, code=code)
        if step not in STEPS:
            raise Http404
        return render(request, self.template, self._context(poor_village, step, _step_form(step)))

    def post(self, request, code: str, step: str):
        poor_village = poor_village_get(actor=request.user, code=code)
        if step not in STEPS:
            raise Http404
        form = _step_form(step, request.POST, request.FILES)
        if form.is_valid():
            cleaned = form.cleaned_data
            data = {
                k: v
                for k, v in cleaned.items()
                if k != "files" and k not in ITEM_FIELDS and v not in (None, "")
            }
            item_files = {item: cleaned.get(f"evidence_{item}") or [] for item in InfrastructureItem.values}
            try:
                village_exit_step_record(
                    poor_village=poor_village, step=step, actor=request.user, data=data,
                    files=cleaned.get("files") or [], item_files=item_files,
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("%(step)s recorded.") % {"step": dict(Step.choices)[step]})
                return redirect("households:village_detail", code=code)
        return render(request, self.template, self._context(poor_village, step, form), status=400)


class VillageExitEvidenceView(PageMixin, View):
    """An evidence file of a village's exit, to those who may see the procedure (core.uploads)."""

    permission_required = "households.view_villageexitcase"

    def get(self, request, code: str, pk: int):
        poor_village = poor_village_get(actor=request.user, code=code)
        evidence = evidence_get(poor_village=poor_village, pk=pk)
        return serve_upload(evidence.file.name, download_name=evidence.name)
