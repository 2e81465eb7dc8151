"""Pages of disbursement requests: the list, a new request, a request with its decision."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.scoping import scope
from core.transitions import can_transition
from core.web import PageMixin, add_domain_error, paginate, querystring_without

from .. import selectors, services
from ..forms import DisbursementRequestForm, ReasonForm
from ..models import PayeeKind, RequestStatus


class RequestListView(PageMixin, View):
    permission_required = "funds.view_disbursementrequest"

    def get(self, request):
        status = request.GET.get("status", "")
        page = paginate(request, selectors.request_list(actor=request.user, status=status))
        return render(
            request,
            "funds/request_list.html",
            {
                "page": page,
                "status": status,
                "statuses": RequestStatus.choices,
                "querystring": querystring_without(request, "page"),
            },
        )


class RequestCreateView(PageMixin, View):
    permission_required = "funds.add_disbursementrequest"

    def _form(self, request, data=None):
        return DisbursementRequestForm(data, accounts=selectors.payable_accounts(actor=request.user))

    def get(self, request):
        return render(request, "funds/request_form.html", {"form": self._form(request)})

    def post(self, request):
        from households.models import Household

        form = self._form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            household = measure = None
            try:
                if data["payee_kind"] == PayeeKind.HOUSEHOLD:
                    household = (
                        scope(Household.objects.all(), actor=request.user, field="village_id")
                        .filter(file_number=data["household_file_number"].strip())
                        .first()
                    )
                    if household is None:
                        raise DomainError(
                            _("No household with this file number in your region."),
                            field="household_file_number",
                        )
                if data["measure"]:
                    from assistance.models import Measure

                    measure = (
                        Measure.objects.select_related("plan__household").filter(pk=data["measure"]).first()
                    )
                    if measure is None:
                        raise DomainError(_("No such assistance measure."), field="measure")
                obj, created = services.disbursement_request_create(
                    actor=request.user, idempotency_key=data["idempotency_key"], from_account=data["from_account"],
                    amount=data["amount"], purpose=data["purpose"], payee_kind=data["payee_kind"],
                    household=household, payee_name=data["payee_name"], measure=measure,
                )  # fmt: skip
            except DomainError as error:
                if error.field == "household":
                    error.field = "household_file_number"
                add_domain_error(form, error)
            else:
                if created:
                    messages.success(
                        request, _("Request submitted; another finance officer must approve it.")
                    )
                else:
                    messages.info(
                        request, _("This request was already submitted; it was not submitted twice.")
                    )
                return redirect("funds:request_detail", pk=obj.pk)
        return render(request, "funds/request_form.html", {"form": form}, status=400)


class RequestDetailView(PageMixin, View):
    permission_required = "funds.view_disbursementrequest"

    def get(self, request, pk: int, form=None, status=200):
        from core.history import history_for
        from households.models import HouseholdStatus

        obj = selectors.request_get(actor=request.user, pk=pk)
        warnings = []
        if obj.household_id and obj.household.status != HouseholdStatus.REGISTERED:
            warnings.append(
                _("The household is %(status)s, not registered (在册).")
                % {"status": obj.household.get_status_display()}
            )
        if obj.status == RequestStatus.PENDING and obj.from_account.balance < obj.amount:
            warnings.append(_("The account does not hold enough money for this payment at present."))
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
