"""Pages of the bank's files (惠民惠农一卡通): households' cards, payment files to the bank, the
bank's return files (uploaded through core.uploads)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.exceptions import DomainError
from core.models import Region
from core.scoping import scope
from core.web import PageMixin, add_domain_error

from .. import selectors, services
from ..models import Bank

PAYER = "funds.add_entry"


class PaymentFileForm(forms.Form):
    bank = forms.ModelChoiceField(queryset=Bank.objects.none(), label=gettext_lazy("bank"))
    county = forms.ModelChoiceField(queryset=Region.objects.none(), label=gettext_lazy("county"))

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = selectors.bank.bank_list()
        self.fields["county"].queryset = counties if counties is not None else Region.objects.none()


class ReturnFileForm(PaymentFileForm):
    file = forms.FileField(label=gettext_lazy("the bank's return file (.xlsx or .csv)"))


class CardForm(forms.Form):
    household_file_number = forms.CharField(label=gettext_lazy("household file number"), max_length=40)
    bank = forms.ModelChoiceField(queryset=Bank.objects.none(), label=gettext_lazy("bank"))
    account_number = forms.CharField(label=gettext_lazy("card number"), max_length=40)
    holder_name = forms.CharField(label=gettext_lazy("account holder"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank"].queryset = selectors.bank.bank_list()
        self.fields["household_file_number"].widget.attrs["autofocus"] = True


class BankHomeView(PageMixin, View):
    """What waits for the bank, the files sent, the returns read; the forms for each step."""

    permission_required = PAYER
    upload_fields = ("file",)

    def _counties(self, request):
        return selectors.bank.counties_in_scope(actor=request.user)

    def get(self, request, file_form=None, return_form=None, card_form=None, status=200, confirm_file=None):
        counties = self._counties(request)
        initial = {"county": counties.first()} if counties.count() == 1 else {}
        return render(
            request,
            "funds/bank_home.html",
            {
                "waiting": selectors.bank.awaiting_file(actor=request.user),
                "files": selectors.bank.payment_file_list(actor=request.user)[:30],
                "returns": selectors.bank.bank_return_list(actor=request.user)[:30],
                "file_form": file_form or PaymentFileForm(initial=initial, counties=counties),
                "form": return_form or ReturnFileForm(initial=initial, counties=counties),
                "card_form": card_form or CardForm(),
                "confirm_file": confirm_file,
            },
            status=status,
        )

    def post(self, request):
        action = request.POST.get("action")
        counties = self._counties(request)
        if action == "card":
            return self._card(request)
        if action == "return":
            form = ReturnFileForm(request.POST, request.FILES, counties=counties)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    record = services.bank_return_upload(
                        actor=request.user, bank=data["bank"], region=data["county"], upload=data["file"]
                    )
                except DomainError as error:
                    add_domain_error(form, error)
                else:
                    messages.success(
                        request,
                        _(
                            "Return file read: %(paid)d paid, %(failed)d failed, %(unmatched)d lines unmatched."
                        )
                        % {"paid": record.paid, "failed": record.failed, "unmatched": len(record.unmatched)},
                    )
                    return redirect("funds:bank_return", pk=record.pk)
            return self.get(request, return_form=form, status=400)
        form = PaymentFileForm(request.POST, counties=counties)
        if form.is_valid() and request.POST.get("confirmed") != "1":
            # Paying asks for confirmation: what the file would send, then one button.
            data = form.cleaned_data
            ready = selectors.bank.ready_to_send(actor=request.user, bank=data["bank"], county=data["county"])
            return self.get(request, file_form=form, confirm_file={**data, **ready})
        if form.is_valid():
            try:
                payment_file, left_out = services.payment_file_create(
                    actor=request.user, bank=form.cleaned_data["bank"], region=form.cleaned_data["county"]
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("Payment file made: %(n)d payments marked sent to the bank.")
                    % {"n": payment_file.count},
                )
                if left_out:
                    messages.warning(
                        request,
                        _("%(n)d approved payments wait: their households have no card recorded.")
                        % {"n": len(left_out)},
                    )
                return redirect("funds:payment_file", pk=payment_file.pk)
        return self.get(request, file_form=form, status=400)

    def _card(self, request):
        from households.models import Household

        form = CardForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            household = (
                scope(Household.objects.all(), actor=request.user, field="village_id")
                .filter(file_number=data["household_file_number"].strip())
                .first()
            )
            try:
                if household is None:
                    raise DomainError(
                        _("No household with this file number in your region."), field="household_file_number"
                    )
                card = services.payee_bank_account_set(
                    actor=request.user, household=household, bank=data["bank"],
                    account_number=data["account_number"], holder_name=data["holder_name"],
                )  # fmt: skip
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("Card %(card)s recorded for %(household)s.")
                    % {"card": card, "household": household.file_number},
                )
                return redirect("funds:bank_home")
        return self.get(request, card_form=form, status=400)


class PaymentFileView(PageMixin, View):
    permission_required = PAYER

    def get(self, request, pk: int):
        payment_file = selectors.bank.payment_file_get(actor=request.user, pk=pk)
        lines = payment_file.lines.select_related("request", "bank_return").order_by("id")
        return render(request, "funds/payment_file.html", {"file": payment_file, "lines": lines})


class PaymentFileDownloadView(PageMixin, View):
    """The file for the bank, card numbers in full: only finance officers who may send payments."""

    permission_required = PAYER

    def get(self, request, pk: int):
        payment_file = selectors.bank.payment_file_get(actor=request.user, pk=pk)
        name, data = services.payment_file_content(payment_file)
        content_type = "text/csv; charset=utf-8" if name.endswith(".csv") else (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )  # fmt: skip
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response


class BankReturnView(PageMixin, View):
    permission_required = "funds.view_disbursementrequest"

    def get(self, request, pk: int):
        record = selectors.bank.bank_return_get(actor=request.user, pk=pk)
        lines = record.lines.select_related("request").order_by("id")
        return render(request, "funds/bank_return.html", {"record": record, "lines": lines})
