"""A payee's page: a household or an enterprise/cooperative, with its payments in the reader's
scope, its bank card (masked unless the reader sends payment files), its status and its flags.
Linked from every disbursement row."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.exceptions import DomainError
from core.web import PageMixin, add_domain_error, paginate

from .. import selectors, services
from ..selectors import payees

READ = "funds.view_disbursementrequest"
ADD = "funds.add_disbursementrequest"


class HouseholdPayeeView(PageMixin, View):
    permission_required = READ

    def get(self, request, pk: int):
        household = payees.household_payee_get(actor=request.user, pk=pk)
        summary = payees.household_payee_summary(actor=request.user, household=household)
        cards = [(card, payees.card_number_shown(actor=request.user, card=card)) for card in summary.cards]
        return render(
            request,
            "funds/payee_detail.html",
            {"household": household, "summary": summary, "cards": cards, "requests": summary.requests[:200]},
        )


class PayeeView(PageMixin, View):
    permission_required = READ

    def get(self, request, pk: int):
        payee = payees.payee_get(actor=request.user, pk=pk)
        summary = payees.payee_summary(actor=request.user, payee=payee)
        return render(
            request,
            "funds/payee_detail.html",
            {"payee": payee, "summary": summary, "cards": [], "requests": summary.requests[:200]},
        )


class PayeeForm(forms.Form):
    county = forms.ModelChoiceField(queryset=None, label=gettext_lazy("County"))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    credit_code = forms.CharField(
        label=gettext_lazy("Unified social credit code"), max_length=18, required=False
    )
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=20, required=False)

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties


class PayeeListView(PageMixin, View):
    """收款单位: the enterprises and cooperatives a county pays, chosen by the request form's look-up.
    A finance officer records one here (a project's winner is recorded with the project)."""

    permission_required = READ

    def get(self, request, form=None, status=200):
        counties = selectors.bank.counties_in_scope(actor=request.user)
        q = request.GET.get("q", "")
        return render(
            request,
            "funds/payee_list.html",
            {
                "payees": paginate(request, payees.payee_list(actor=request.user, q=q)),
                "q": q,
                "form": form or PayeeForm(counties=counties, initial={"county": counties.first()}),
                "can_add": request.user.has_perm(ADD),
            },
            status=status,
        )

    def post(self, request):
        if not request.user.has_perm(ADD):
            raise PermissionDenied
        form = PayeeForm(request.POST, counties=selectors.bank.counties_in_scope(actor=request.user))
        if form.is_valid():
            try:
                payee = services.payee_create(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Payee %(name)s recorded.") % {"name": payee.name})
                return redirect("funds:payee_detail", pk=payee.pk)
        return self.get(request, form=form, status=400)
