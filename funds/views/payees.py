"""A payee's page: a household or an enterprise/cooperative, with its payments in the reader's
scope, its bank card (masked unless the reader sends payment files), its status and its flags.
Linked from every disbursement row."""

from __future__ import annotations

from django.shortcuts import render
from django.views import View

from core.web import PageMixin

from ..selectors import payees

READ = "funds.view_disbursementrequest"


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
