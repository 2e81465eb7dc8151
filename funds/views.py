"""Pages for finance officers and auditors. Every read goes through a selector (scoped), every
write through a service; a row outside the user's region is a 404."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.exceptions import DomainError
from core.models import Region
from core.scoping import ensure_in_scope, scope
from core.web import PageMixin, add_domain_error, paginate, querystring_without

from . import exports, selectors, services
from .forms import AllocationForm, AmountForm, DisbursementRequestForm, ProjectForm, ReasonForm
from .models import AccountKind, EntryKind, PayeeKind, ProjectKind, RequestStatus

LEDGER_PAGE = 100
FLAG_PAGE = 50


def _flag_cursor(value: str) -> tuple[dt.date, int] | None:
    """`2017-03-01.1234` (booking date and entry id of the last flagged payment shown)."""
    day, _sep, entry_id = value.partition(".")
    on = _date(day)
    return (on, int(entry_id)) if on and entry_id.isdigit() else None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


class HomeView(PageMixin, View):
    permission_required = "funds.view_fund"

    def get(self, request):
        year = request.GET.get("year", "")
        funds = selectors.fund_list(actor=request.user, year=int(year) if year.isdigit() else None)
        page = paginate(request, funds)
        recs = {f.pk: selectors.reconciliation(actor=request.user, fund=f) for f in page}
        return render(
            request,
            "funds/home.html",
            {
                "page": page,
                "rows": [(f, recs[f.pk]) for f in page],
                "year": year,
                "pending": selectors.pending_count(actor=request.user),
                "querystring": querystring_without(request, "page"),
            },
        )


class FundDetailView(PageMixin, View):
    permission_required = "funds.view_fund"

    def _context(self, request, fund, budget_form=None, allocation_form=None):
        return {
            "fund": fund,
            "rec": selectors.reconciliation(actor=request.user, fund=fund),
            "accounts": selectors.account_list(actor=request.user, fund=fund).exclude(kind=AccountKind.PAYEE),
            "budget_form": budget_form or AmountForm(prefix="budget"),
            "allocation_form": allocation_form or self._allocation_form(request, fund),
        }

    def _allocation_form(self, request, fund, data=None):
        return AllocationForm(
            data,
            prefix="alloc",
            counties=scope(
                Region.objects.filter(level="county"), actor=request.user, field="code", within=fund.region_id
            ),
            projects=selectors.project_list(actor=request.user),
            sources=selectors.account_list(actor=request.user, fund=fund, kinds=[AccountKind.COUNTY]),
        )

    def get(self, request, pk: int):
        fund = selectors.fund_get(actor=request.user, pk=pk)
        return render(request, "funds/fund_detail.html", self._context(request, fund))

    def post(self, request, pk: int):
        if not request.user.has_perm("funds.add_entry"):
            raise PermissionDenied  # inside the region without the permission: 403 (convention)
        fund = selectors.fund_get(actor=request.user, pk=pk)
        if "budget-amount" in request.POST:
            form = AmountForm(request.POST, prefix="budget")
            if form.is_valid():
                try:
                    services.budget_arrange(actor=request.user, fund=fund, **form.cleaned_data)
                except DomainError as error:
                    add_domain_error(form, error)
                else:
                    messages.success(request, _("Budget posted."))
                    return redirect("funds:fund_detail", pk=fund.pk)
            return render(
                request, "funds/fund_detail.html", self._context(request, fund, budget_form=form), status=400
            )
        form = self._allocation_form(request, fund, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            common = {"amount": data["amount"], "booked_on": data["booked_on"], "memo": data["memo"]}
            try:
                if data["county"]:
                    services.allocate_to_county(
                        actor=request.user, fund=fund, county=data["county"], **common
                    )
                else:
                    source = data["from_account"] or services.pool_account(fund)
                    services.allocate_to_project(
                        actor=request.user, from_account=source, project=data["project"], **common
                    )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Allocation posted."))
                return redirect("funds:fund_detail", pk=fund.pk)
        return render(
            request, "funds/fund_detail.html", self._context(request, fund, allocation_form=form), status=400
        )


class ProjectListView(PageMixin, View):
    permission_required = "funds.view_project"

    def get(self, request):
        q = request.GET.get("q", "").strip()
        kind = request.GET.get("kind", "")
        page = paginate(request, selectors.project_list(actor=request.user, search=q, kind=kind))
        paid = selectors.project_paid_totals([p.pk for p in page])
        return render(
            request,
            "funds/project_list.html",
            {
                "page": page,
                "rows": [(p, paid.get(p.pk)) for p in page],
                "q": q,
                "kind": kind,
                "kinds": ProjectKind.choices,
                "querystring": querystring_without(request, "page"),
            },
        )


class ProjectDetailView(PageMixin, View):
    permission_required = "funds.view_project"

    def get(self, request, pk: int):
        from core.history import history_for

        project = selectors.project_get(actor=request.user, pk=pk)
        return render(
            request,
            "funds/project_detail.html",
            {
                "project": project,
                "rec": selectors.reconciliation(actor=request.user, project=project),
                "accounts": selectors.account_list(actor=request.user).filter(project=project),
                "requests": selectors.request_list(actor=request.user, project=project)[:50],
                "history": history_for(project, limit=30),
            },
        )


class ProjectFormView(PageMixin, View):
    permission_required = "funds.add_project"

    def _form(self, request, data=None, instance=None):
        counties = scope(Region.objects.filter(level="county"), actor=request.user, field="code")
        villages = scope(Region.objects.filter(level="village"), actor=request.user, field="code")
        return ProjectForm(data, instance=instance, counties=counties, villages=villages)

    def get(self, request, pk: int | None = None):
        project = selectors.project_get(actor=request.user, pk=pk) if pk else None
        return render(
            request,
            "funds/project_form.html",
            {"form": self._form(request, instance=project), "project": project},
        )

    def post(self, request, pk: int | None = None):
        project = selectors.project_get(actor=request.user, pk=pk) if pk else None
        if project and not request.user.has_perm("funds.change_project"):
            raise Http404
        form = self._form(request, request.POST, instance=project)
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in form.Meta.fields}
            try:
                if project:
                    project = services.project_update(actor=request.user, project=project, data=data)
                else:
                    project = services.project_create(actor=request.user, data=data)
            except DomainError as error:
                add_domain_error(form, error)
            except ValidationError as error:
                for field, errs in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                messages.success(request, _("Project saved."))
                return redirect("funds:project_detail", pk=project.pk)
        return render(request, "funds/project_form.html", {"form": form, "project": project}, status=400)


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
        return render(
            request,
            "funds/request_detail.html",
            {
                "obj": obj,
                "entry": entry,
                "warnings": warnings,
                "reason_form": form or ReasonForm(),
                "can_decide": obj.status == RequestStatus.PENDING and obj.maker_id != request.user.pk,
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


class AccountLedgerView(PageMixin, View):
    permission_required = "funds.view_entry"

    def get(self, request, pk: int):
        account = selectors.account_get(actor=request.user, pk=pk)
        date_from, date_to = _date(request.GET.get("from")), _date(request.GET.get("to"))
        xlsx = request.GET.get("format") == "xlsx"
        # Keyset pages (`after` = entry id of the last line shown): no COUNT(*) over the account's
        # lines and no OFFSET; the opening balance of a later page is summed by the selector.
        after = request.GET.get("after", "")
        after = int(after) if after.isdigit() and not xlsx else None
        opening, lines = selectors.account_ledger(
            actor=request.user, account=account, date_from=date_from, date_to=date_to, after_entry=after
        )
        if xlsx:
            return exports.ledger_xlsx(account=account, opening=opening, lines=lines, user=request.user)
        rows = list(lines[: LEDGER_PAGE + 1])
        more = len(rows) > LEDGER_PAGE
        rows = rows[:LEDGER_PAGE]
        return render(
            request,
            "funds/account_ledger.html",
            {
                "account": account,
                "opening": opening,
                "lines": rows,
                "first_page": after is None,
                "next_after": rows[-1].entry_id if more else None,
                "date_from": request.GET.get("from", ""),
                "date_to": request.GET.get("to", ""),
                "querystring": querystring_without(request, "page", "after"),
            },
        )


class EntryDetailView(PageMixin, View):
    permission_required = "funds.view_entry"

    def get(self, request, pk: int, form=None, status=200):
        entry = selectors.entry_get(actor=request.user, pk=pk)
        lines = entry.lines.select_related("account")
        return render(
            request,
            "funds/entry_detail.html",
            {
                "entry": entry,
                "lines": lines,
                "reversal": getattr(entry, "reversed_by", None) if hasattr(entry, "reversed_by") else None,
                "can_reverse": entry.kind != EntryKind.REVERSAL and not hasattr(entry, "reversed_by"),
                "form": form or ReasonForm(),
            },
            status=status,
        )

    def post(self, request, pk: int):
        if request.user.is_read_only or not request.user.has_perm("funds.add_entry"):
            raise PermissionDenied  # inside the region without the permission: 403 (convention)
        entry = selectors.entry_get(actor=request.user, pk=pk)
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                if entry.request_id:
                    services.disbursement_reverse(
                        actor=request.user, request=entry.request, reason=form.cleaned_data["reason"]
                    )
                else:
                    services.entry_reverse(
                        actor=request.user, entry=entry, reason=form.cleaned_data["reason"]
                    )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Reversed: a reversing entry returned the money."))
                return redirect("funds:entry_detail", pk=entry.pk)
        return self.get(request, pk=pk, form=form, status=400)


class ReconciliationView(PageMixin, View):
    permission_required = "funds.view_account"

    def get(self, request):
        target = {}
        fund_id, county_code, project_id = (
            request.GET.get("fund"),
            request.GET.get("county"),
            request.GET.get("project"),
        )
        if fund_id and fund_id.isdigit():
            target["fund"] = selectors.fund_get(actor=request.user, pk=int(fund_id))
        elif project_id and project_id.isdigit():
            target["project"] = selectors.project_get(actor=request.user, pk=int(project_id))
        elif county_code:
            county = get_object_or_404(Region, code=county_code, level="county")
            ensure_in_scope(request.user, county.code)
            target["county"] = county
        as_of = _date(request.GET.get("as_of"))
        rec = selectors.reconciliation(actor=request.user, as_of=as_of, **target)
        if request.GET.get("format") == "xlsx":
            flags = selectors.fund_flags(actor=request.user, as_of=as_of)
            return exports.reconciliation_xlsx(rec=rec, flags=flags)
        # Counts of every kind, then the flags a page at a time (keyset on booking date and entry).
        after = _flag_cursor(request.GET.get("flags_after", ""))
        report = selectors.flag_report(actor=request.user, as_of=as_of, after=after, limit=FLAG_PAGE)
        flags, next_cursor = (report.totals if after is None else []) + report.flags, report.next_after
        counties = scope(Region.objects.filter(level="county"), actor=request.user, field="code")
        return render(
            request,
            "funds/reconciliation.html",
            {
                "rec": rec,
                "flags": flags,
                "flag_counts": report.counts,
                "flags_after": f"{next_cursor[0].isoformat()}.{next_cursor[1]}" if next_cursor else "",
                "flags_querystring": querystring_without(request, "flags_after"),
                "first_flags_page": after is None,
                "flag_labels": selectors.FLAG_LABELS,
                "funds": selectors.fund_list(actor=request.user)[:200],
                "counties": counties,
                "selected": {"fund": fund_id or "", "county": county_code or "", "project": project_id or ""},
                "as_of": rec.as_of.isoformat(),
                "querystring": request.GET.urlencode(),
            },
        )
