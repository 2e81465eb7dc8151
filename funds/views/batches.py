"""Pages of month-end batch review: open a batch, review a page (at most 200 rows), see what the
confirmation approved and refused, row by row."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.exceptions import DomainError
from core.web import PageMixin, add_domain_error

from .. import selectors, services
from ..models import Account

CHECKER = "funds.approve_disbursementrequest"


class BatchOpenForm(forms.Form):
    from_account = forms.ModelChoiceField(queryset=Account.objects.none(), label=gettext_lazy("paid from"))
    month = forms.DateField(
        label=gettext_lazy("month"), input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )  # fmt: skip
    purpose = forms.CharField(label=gettext_lazy("purpose"), max_length=200, required=False)

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_account"].queryset = accounts if accounts is not None else Account.objects.none()
        self.fields["from_account"].widget.attrs["autofocus"] = True


class BatchListView(PageMixin, View):
    """The batches in scope, and the form to open one."""

    permission_required = CHECKER

    def _form(self, request, data=None):
        initial = {"month": timezone.localdate().replace(day=1)}
        return BatchOpenForm(data, initial=initial, accounts=selectors.payable_accounts(actor=request.user))

    def get(self, request, form=None, status=200):
        batches = selectors.batch_list(actor=request.user)[:50]
        return render(
            request,
            "funds/batch_list.html",
            {"form": form or self._form(request), "batches": batches},
            status=status,
        )

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                batch = services.batch_open(
                    actor=request.user,
                    from_account=data["from_account"],
                    month=data["month"],
                    purpose=data["purpose"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect("funds:batch_page", pk=batch.pk, number=1)
        return self.get(request, form=form, status=400)


class BatchPageView(PageMixin, View):
    """One page of a batch: what is shown is recorded; the checker ticks rows and confirms."""

    permission_required = CHECKER

    def get(self, request, pk: int, number: int, error=None, ticked=None, notes=None, status=200):
        batch = selectors.batch_get(actor=request.user, pk=pk)
        try:
            page, rows = services.page_show(actor=request.user, batch=batch, number=number)
        except DomainError as problem:
            messages.error(request, str(problem.message))
            return (
                redirect("funds:batch_page", pk=batch.pk, number=1)
                if number != 1
                else redirect("funds:batch_list")
            )
        any_flagged = any(row.flags for row in rows if row.pending)
        # Select-all covers this page only, and only when none of its rows is flagged.
        select_all = request.GET.get("all") == "1" and not any_flagged
        if ticked is None:
            ticked = {row.request.pk for row in rows if row.pending} if select_all else set()
        page_total = sum((row.request.amount for row in rows), start=0)
        for row in rows:
            row.note = (notes or {}).get(row.request.pk, "")
        return render(
            request,
            "funds/batch_page.html",
            {
                "batch": batch,
                "page": page,
                "rows": rows,
                "number": number,
                "pages": range(1, batch.pages + 1),
                "any_flagged": any_flagged,
                "ticked": ticked,
                "notes": notes or {},
                "page_total": page_total,
                "progress": selectors.batches.batch_progress(batch),
                "error": error,
            },
            status=status,
        )


class BatchConfirmView(PageMixin, View):
    """Confirm a page as shown: each selected request approved on its own."""

    permission_required = CHECKER

    def post(self, request, pk: int, page_pk: int):
        batch = selectors.batch_get(actor=request.user, pk=pk)
        page = selectors.batches.page_get(batch=batch, pk=page_pk)
        selected = [int(v) for v in request.POST.getlist("selected") if v.isdigit()]
        notes = {pk_: request.POST.get(f"note_{pk_}", "") for pk_ in page.request_ids}
        try:
            page = services.page_confirm(actor=request.user, page=page, selected=selected, notes=notes)
        except DomainError as error:
            messages.error(request, str(error.message))
            return BatchPageView().get(
                request, pk=batch.pk, number=page.number, error=error, ticked=set(selected),
                notes={k: v for k, v in notes.items() if v}, status=400 if error.status_code < 500 else 500,
            )  # fmt: skip
        messages.success(
            request,
            _("%(approved)d approved one by one, %(failed)d not approved (listed below).")
            % {"approved": len(page.approved_ids), "failed": len(page.failures)},
        )
        return redirect("funds:batch_result", pk=batch.pk, page_pk=page.pk)


class BatchResultView(PageMixin, View):
    """What a confirmed page approved and refused, row by row."""

    permission_required = "funds.view_disbursementrequest"

    def get(self, request, pk: int, page_pk: int):
        batch = selectors.batch_get(actor=request.user, pk=pk)
        page = selectors.batches.page_get(batch=batch, pk=page_pk)
        requests = {
            r.pk: r for r in selectors.request_list(actor=request.user).filter(pk__in=page.request_ids)
        }
        rows = [
            {"request": requests[pk_], "approved": pk_ in page.approved_ids, "failure": page.failures.get(str(pk_), ""),
             "selected": pk_ in page.selected_ids}
            for pk_ in page.request_ids
            if pk_ in requests
        ]  # fmt: skip
        return render(
            request,
            "funds/batch_result.html",
            {"batch": batch, "page": page, "rows": rows, "next": page.number + 1},
        )
