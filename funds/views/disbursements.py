"""Pages of disbursement requests: the list, a new request, a request with its decision."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.transitions import can_transition
from core.web import PageMixin, add_domain_error, paginate, querystring_without, sort

from .. import selectors, services
from ..forms import DisbursementRequestForm, ReasonForm
from ..models import PayeeKind, RequestStatus

# The request list's sortable columns (core.web.sort): the newest first by default.
REQUEST_ORDER = {"requested": ("created_at",), "amount": ("amount",), "status": ("status", "created_at")}


class RequestListView(PageMixin, View):
    permission_required = "funds.view_disbursementrequest"

    def get(self, request):
        status = request.GET.get("status", "")
        qs, sorting = sort(
            request, selectors.request_list(actor=request.user, status=status), REQUEST_ORDER, "-requested"
        )
        return render(
            request,
            "funds/request_list.html",
            {
                "page": paginate(request, qs),
                "status": status,
                "statuses": RequestStatus.choices,
                "querystring": querystring_without(request, "page"),
                "sorting": sorting,
            },
        )


class RequestCreateView(PageMixin, View):
    """Fill in → check (the preview: the payee's status, the balance, every flag the checker will
    see, every refusal beside its field) → submit. Enter on the form checks; only the checked
    form's "Submit for review" button submits."""

    permission_required = "funds.add_disbursementrequest"

    def _form(self, request, data=None):
        return DisbursementRequestForm(
            data, accounts=selectors.payable_accounts(actor=request.user), actor=request.user
        )

    def get(self, request):
        return render(request, "funds/request_form.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST)
        submit = request.POST.get("action") == "submit"
        preview = None
        if form.is_valid():
            data = form.cleaned_data
            household = data["household"] if data["payee_kind"] == PayeeKind.HOUSEHOLD else None
            payee = data["payee"] if data["payee_kind"] == PayeeKind.ORGANISATION else None
            args = {
                "actor": request.user, "from_account": data["from_account"], "amount": data["amount"],
                "payee_kind": data["payee_kind"], "household": household, "payee": payee,
                "measure": data["measure"], "kind": data["kind"] or None, "limit_reason": data["limit_reason"],
                "confirmed_different": data["confirmed_different"],
            }  # fmt: skip
            if data["payee_kind"] == PayeeKind.ORGANISATION and payee is None:
                form.add_error("payee", _("Choose the enterprise or cooperative to be paid."))
            try:
                if form.errors:
                    pass
                elif submit:
                    obj, created = services.disbursement_request_create(
                        idempotency_key=data["idempotency_key"], purpose=data["purpose"], **args
                    )
                    if created:
                        messages.success(
                            request, _("Request submitted; another finance officer must approve it.")
                        )
                    else:
                        messages.info(
                            request, _("This request was already submitted; it was not submitted twice.")
                        )
                    return redirect("funds:request_detail", pk=obj.pk)
                else:
                    preview = services.disbursement_request_preview(**args)
                    for field, message in preview.refusals.items():
                        add_domain_error(form, DomainError(message, field=field))
            except DomainError as error:
                add_domain_error(form, error)
        ok = preview is not None and not form.errors
        return render(
            request,
            "funds/request_form.html",
            {"form": form, "preview": preview, "can_submit": ok},
            status=200 if ok else 400,
        )


class RequestWithdrawView(PageMixin, View):
    """The maker takes back a request not yet checked."""

    permission_required = "funds.add_disbursementrequest"

    def post(self, request, pk: int):
        obj = selectors.request_get(actor=request.user, pk=pk)
        try:
            services.disbursement_withdraw(
                actor=request.user, request=obj, reason=request.POST.get("reason", "")
            )
        except DomainError as error:
            messages.error(request, str(error.message))
            return RequestDetailView().get(request, pk=pk, status=400 if error.status_code < 500 else 500)
        messages.success(request, _("Withdrawn: the request will not be checked or paid."))
        return redirect("funds:request_detail", pk=obj.pk)


class RequestDetailView(PageMixin, View):
    permission_required = "funds.view_disbursementrequest"

    def get(self, request, pk: int, form=None, status=200, confirm: str = ""):
        from core.history import history_for
        from households.models import HouseholdStatus

        obj = selectors.request_get(actor=request.user, pk=pk)
        # What the maker saw before submitting, as it stands today: a request queued before a
        # rule started is flagged here for its checker, not rejected.
        warnings = selectors.request_flags(obj)
        if (
            obj.status != RequestStatus.PENDING
            and obj.household_id
            and obj.household.status != HouseholdStatus.REGISTERED
        ):
            warnings.append(
                _("The household is %(status)s, not registered (在册).")
                % {"status": obj.household.get_status_display()}
            )
        entry = getattr(obj, "entry", None)
        user = request.user
        return render(
            request,
            "funds/request_detail.html",
            {
                "obj": obj,
                "entry": entry,
                "warnings": warnings,
                "reason_form": form or ReasonForm(),
                # The buttons follow the request's transitions (maker ≠ checker, the role's permission).
                "can_approve": can_transition(obj, RequestStatus.APPROVED, user),
                "can_reject": can_transition(obj, RequestStatus.REJECTED, user),
                "can_reverse": can_transition(obj, RequestStatus.REVERSED, user),
                "can_withdraw": can_transition(obj, RequestStatus.WITHDRAWN, user),
                "confirm": confirm,
                "awaits_another_checker": obj.maker_id == user.pk
                and can_transition(obj, RequestStatus.APPROVED),
                "status_changes": selectors.request_status_changes(request=obj),
                "history": history_for(obj, limit=20),
            },
            status=status,
        )


class RequestActionView(PageMixin, View):
    """approve / reject / reverse: POST only."""

    action = ""
    permission_required = ()

    def post(self, request, pk: int):
        obj = selectors.request_get(actor=request.user, pk=pk)
        form = ReasonForm(request.POST) if self.action != "approve" else None
        try:
            if self.action == "approve":
                if request.POST.get("confirmed") != "1" and can_transition(
                    obj, RequestStatus.APPROVED, request.user
                ):
                    # The confirm step: the request's page again, with its flags and one button.
                    return RequestDetailView().get(request, pk=pk, confirm="approve")
                services.disbursement_approve(actor=request.user, request=obj)
                messages.success(request, _("Approved: the payment is posted to the ledger."))
            else:
                if not form.is_valid():
                    raise DomainError(_("Give a reason."), field="reason")
                reason = form.cleaned_data["reason"]
                if self.action == "reject":
                    services.disbursement_reject(actor=request.user, request=obj, reason=reason)
                    messages.success(request, _("Rejected."))
                else:
                    services.disbursement_reverse(actor=request.user, request=obj, reason=reason)
                    messages.success(request, _("Reversed: a reversing entry returned the money."))
        except DomainError as error:
            messages.error(request, str(error.message))
            return RequestDetailView().get(
                request, pk=pk, form=form, status=400 if error.status_code < 500 else 500
            )
        return redirect("funds:request_detail", pk=obj.pk)
