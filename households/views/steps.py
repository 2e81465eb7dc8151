"""Entry and exit procedure steps, and the status decisions (return to poverty, removal)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
    PovertyCause,
    ProcedureKind,
    Step,
)
from ..selectors.guarantees import guarantee_status
from ..services.procedures import open_case


class ReturnForm(StatusForm):
    """返贫: the application that starts the return procedure — its cause and what happened."""

    cause = forms.ChoiceField(
        label=gettext_lazy("Cause of the return to poverty"), choices=PovertyCause.choices
    )


def _step_form(kind: str, step: str, *args) -> StepForm:
    form = StepForm(*args, step=step)
    if kind == ProcedureKind.RETURN and step == Step.APPLICATION:  # the return's application: its cause
        form.fields["cause"] = forms.ChoiceField(
            label=gettext_lazy("Cause of the return to poverty"), choices=PovertyCause.choices
        )
        form.fields["note"].required = True
        form.fields["note"].label = gettext_lazy("What happened to the household")
        form.order_fields(["date", "cause", "note", "files"])
    return form


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
            "guarantees": [(s.label, s.met) for s in guarantee_status(household).values()],
        }  # fmt: skip

    def get(self, request, pk: int, kind: str, step: str):
        household = selectors.household_get(actor=request.user, pk=pk)
        if kind not in ProcedureKind.values or step not in Step.values:
            raise Http404
        form = _step_form(kind, step)
        return render(request, self.template, self._context(request, household, kind, step, form))

    def post(self, request, pk: int, kind: str, step: str):
        household = selectors.household_get(actor=request.user, pk=pk)
        if kind not in ProcedureKind.values or step not in Step.values:
            raise Http404
        form = _step_form(kind, step, request.POST, request.FILES)
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
    """返贫 (return: starts the return procedure, with its cause) and 清退 (remove), each with its reason."""

    permission_required = "households.run_procedure"
    ACTIONS = {"return": services.household_mark_returned, "remove": services.household_remove}

    def _render(self, request, household, action, form, status=200):
        title = (
            _("Start the return-to-poverty procedure")
            if action == "return"
            else _("Remove as wrongly identified")
        )
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
        return self._render(request, household, action, ReturnForm() if action == "return" else StatusForm())

    def post(self, request, pk: int, action: str):
        household = selectors.household_get(actor=request.user, pk=pk)
        if action not in self.ACTIONS:
            raise Http404
        form = (ReturnForm if action == "return" else StatusForm)(request.POST)
        if form.is_valid():
            extra = {"cause": form.cleaned_data["cause"]} if action == "return" else {}
            try:
                self.ACTIONS[action](
                    household=household, actor=request.user, reason=form.cleaned_data["reason"], **extra
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                if action == "return":
                    messages.success(
                        request, _("The return-to-poverty procedure has started: the village review is next.")
                    )
                else:
                    messages.success(request, _("Status changed."))
                return redirect("households:detail", pk=household.pk)
        return self._render(request, household, action, form, status=400)
