"""Entry and exit procedure steps, and the status decisions (return to poverty, removal)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.web import PageMixin, add_domain_error

from .. import selectors, services
from ..forms import (
    StatusForm,
    StepForm,
)
from ..models import (
    PROCEDURE_STEPS,
    ProcedureKind,
    Step,
)
from ..services.procedures import open_case
from ..validation import GUARANTEE_FIELDS


class StepView(PageMixin, View):
    permission_required = "households.run_procedure"
    template = "households/step_form.html"
    upload_fields = ("files",)  # evidence: checked and stored by core.uploads (procedure_step_record)

    def _context(self, request, household, kind, step, form):
        case = open_case(household)
        line = None
        if step == Step.VERIFICATION:
            line = household.incomes.order_by("-year").first()
        done = []
        if case is not None and case.kind == kind and case.last_step:
            done = case.steps_order[: case.steps_order.index(case.last_step) + 1]
        return {
            "done_steps": done,
            "household": household, "kind": kind, "step": step, "step_label": dict(Step.choices).get(step, step),
            "kind_label": dict(ProcedureKind.choices).get(kind, kind), "form": form, "case": case,
            "steps": PROCEDURE_STEPS.get(kind, []), "latest_income": line,
            "guarantees": [(household._meta.get_field(f).verbose_name, getattr(household, f)) for f in GUARANTEE_FIELDS],
        }  # fmt: skip

    def get(self, request, pk: int, kind: str, step: str):
        household = selectors.household_get(actor=request.user, pk=pk)
        if kind not in ProcedureKind.values or step not in Step.values:
            raise Http404
        form = StepForm(step=step)
        return render(request, self.template, self._context(request, household, kind, step, form))

    def post(self, request, pk: int, kind: str, step: str):
        household = selectors.household_get(actor=request.user, pk=pk)
        if kind not in ProcedureKind.values or step not in Step.values:
            raise Http404
        form = StepForm(request.POST, request.FILES, step=step)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "files" and v not in (None, "")}
            try:
                services.procedure_step_record(
                    household=household, kind=kind, step=step, actor=request.user, data=data,
                    files=form.cleaned_data.get("files") or [],
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("%(step)s recorded.") % {"step": dict(Step.choices)[step]})
                return redirect("households:detail", pk=household.pk)
        return render(request, self.template, self._context(request, household, kind, step, form), status=400)


class StatusView(PageMixin, View):
    """返贫 (return) and 清退 (remove), each with its reason."""

    permission_required = "households.run_procedure"
    ACTIONS = {"return": services.household_mark_returned, "remove": services.household_remove}

    def _render(self, request, household, action, form, status=200):
        title = _("Mark as returned to poverty") if action == "return" else _("Remove as wrongly identified")
        return render(
            request,
            "households/simple_form.html",
            {"household": household, "form": form, "title": title},
            status=status,
        )

    def get(self, request, pk: int, action: str):
        household = selectors.household_get(actor=request.user, pk=pk)
        if action not in self.ACTIONS:
            raise Http404
        return self._render(request, household, action, StatusForm())

    def post(self, request, pk: int, action: str):
        household = selectors.household_get(actor=request.user, pk=pk)
        if action not in self.ACTIONS:
            raise Http404
        form = StatusForm(request.POST)
        if form.is_valid():
            try:
                self.ACTIONS[action](
                    household=household, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Status changed."))
                return redirect("households:detail", pk=household.pk)
        return self._render(request, household, action, form, status=400)
