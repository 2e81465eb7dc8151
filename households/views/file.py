"""A household's file: register, edit (with members), move, yearly income."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.web import PageMixin, add_domain_error

from .. import selectors, services
from ..forms import (
    HouseholdForm,
    IncomeForm,
    MemberFormSet,
    MoveForm,
)
from ..models import HouseholdTransfer
from ..validation import HOUSEHOLD_FIELDS
from .common import _household_data, _members_from, apply_errors


class HouseholdCreateView(PageMixin, View):
    permission_required = "households.add_household"
    template = "households/household_form.html"

    def get(self, request):
        form = HouseholdForm(actor=request.user)
        formset = MemberFormSet(prefix="members", initial=[{"relation": "head"}])
        return render(request, self.template, {"form": form, "formset": formset})

    def post(self, request):
        form = HouseholdForm(request.POST, actor=request.user)
        formset = MemberFormSet(request.POST, prefix="members")
        if form.is_valid() and formset.is_valid():
            members, index_map = _members_from(formset)
            try:
                household = services.household_register(
                    actor=request.user, village=form.cleaned_data["village"], data=_household_data(form),
                    members=members,
                )  # fmt: skip
            except DomainError as error:
                apply_errors(error, form, formset, index_map)
            else:
                messages.success(
                    request, _("Household %(file)s registered.") % {"file": household.file_number}
                )
                return redirect("households:detail", pk=household.pk)
        return render(request, self.template, {"form": form, "formset": formset}, status=400)


def _member_initial(household) -> list[dict]:
    return [
        {
            "id": m.pk, "name": m.name, "masked": m.id_number_masked, "relation": m.relation, "sex": m.sex,
            "birth_date": m.birth_date, "health": m.health, "disability": m.disability, "education": m.education,
            "schooling": m.schooling, "labour_ability": m.labour_ability, "migrant_worker": m.migrant_worker,
            "migrant_months": m.migrant_months, "is_active": m.is_active, "left_reason": m.left_reason,
        }
        for m in household.members.all().order_by("-is_active", "id")
    ]  # fmt: skip


class HouseholdEditView(PageMixin, View):
    permission_required = "households.change_household"
    template = "households/household_form.html"

    def get(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        initial = {f: getattr(household, f) for f in HOUSEHOLD_FIELDS}
        form = HouseholdForm(initial=initial, actor=request.user, editing=True)
        formset = MemberFormSet(prefix="members", initial=_member_initial(household))
        return render(request, self.template, {"form": form, "formset": formset, "household": household})

    def post(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        form = HouseholdForm(request.POST, actor=request.user, editing=True)
        formset = MemberFormSet(request.POST, prefix="members", initial=_member_initial(household))
        if form.is_valid() and formset.is_valid():
            members, index_map = _members_from(formset)
            try:
                services.household_update(
                    household=household, actor=request.user, data=_household_data(form), members=members
                )
            except DomainError as error:
                apply_errors(error, form, formset, index_map)
            else:
                messages.success(request, _("Household file saved."))
                return redirect("households:detail", pk=household.pk)
        context = {"form": form, "formset": formset, "household": household}
        return render(request, self.template, context, status=400)


class MoveView(PageMixin, View):
    permission_required = "households.change_household"

    def _render(self, request, household, form, status=200):
        return render(
            request,
            "households/simple_form.html",
            {"household": household, "form": form, "title": _("Move to another village")},
            status=status,
        )

    def get(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        return self._render(request, household, MoveForm(actor=request.user))

    def post(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        form = MoveForm(request.POST, actor=request.user)
        if form.is_valid():
            try:
                done = services.household_move(
                    household=household, actor=request.user, to_village=form.cleaned_data["to_village"],
                    reason=form.cleaned_data["reason"], note=form.cleaned_data["note"],
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                if isinstance(done, HouseholdTransfer):
                    # Outside the clerk's region: released, and still theirs until the other side accepts.
                    messages.success(
                        request,
                        _("Household released to %(village)s; it moves when a clerk there accepts it.")
                        % {"village": done.to_village.name},
                    )
                else:
                    messages.success(
                        request, _("Household moved to %(village)s.") % {"village": done.to_village.name}
                    )
                return redirect("households:detail", pk=household.pk)
        return self._render(request, household, form, status=400)


class IncomeView(PageMixin, View):
    permission_required = "households.change_household"

    def _render(self, request, household, form, status=200):
        return render(
            request,
            "households/simple_form.html",
            {"household": household, "form": form, "title": _("Record yearly income")},
            status=status,
        )

    def get(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        return self._render(request, household, IncomeForm(initial={"year": timezone.localdate().year - 1}))

    def post(self, request, pk: int):
        household = selectors.household_get(actor=request.user, pk=pk)
        form = IncomeForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.income_record(
                    household=household, actor=request.user, year=data.pop("year"), data=data
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Income saved."))
                return redirect("households:detail", pk=household.pk)
        return self._render(request, household, form, status=400)
